/**
 * AI call figures (no assertions), on the Hearth Firestore emulator with the fake provider answering at
 * once: the overhead Hearth adds per aiGenerate call (p50/p95, provider time excluded) on a cache miss and
 * a cache hit, the Firestore reads and writes each costs, the calls per second one org sustains with
 * several users calling at once, and how the counter shards bound that rate in production.
 *
 * Reads and writes are counted at the client's RPC layer: documents named in batchGetDocuments, documents
 * streamed back by runQuery (at least one read per query, as Firestore bills), one read per aggregation,
 * and writes in each commit.
 *
 * Run: npx tsx scripts/bench/ai.ts
 */
import { randomBytes } from "node:crypto";
import { silentLogger, startEmulator } from "../../emulator/src/index.js";
import { startFakeAiProvider } from "../../tests/fakes/ai-provider/index.js";

const emulator = await startEmulator({ host: "127.0.0.1", port: 0, logger: silentLogger });
const fake = await startFakeAiProvider();
Object.assign(process.env, {
  FIRESTORE_EMULATOR_HOST: `${emulator.host}:${emulator.port}`,
  GCLOUD_PROJECT: `demo-bench-${randomBytes(4).toString("hex")}`,
  METADATA_SERVER_DETECTION: "none",
  AI_PROVIDER: "fake",
  AI_BASE_URL: fake.openAiBaseUrl,
  AI_TIMEOUT_MS: "10000",
  AI_MAX_OUTPUT_TOKENS: "256",
  AI_CACHE_TTL_SECONDS: "3600",
});

// Imported after the environment is set: functions code reads it on first use.
const { aiGenerateDeps, handleAiGenerate } = await import("../../functions/src/ai/ai-generate.js");
const { SHARD_COUNT } = await import("../../functions/src/usage/caps.js");
const deps = aiGenerateDeps();
const db = deps.db;

// The functions logger prints one JSON line per call; keep the figures readable.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  typeof chunk === "string" && chunk.startsWith("{")
    ? true
    : write(chunk, ...rest)) as typeof process.stdout.write;

const ops = { reads: 0, writes: 0 };
type Rpc = (method: string, request: Record<string, unknown>, ...rest: unknown[]) => Promise<unknown>;
const rpc = db as unknown as { request: Rpc; requestStream: Rpc };
const unary = rpc.request.bind(db);
rpc.request = (method, request, ...rest) => {
  if (method === "commit") ops.writes += (request.writes as unknown[] | undefined)?.length ?? 0;
  return unary(method, request, ...rest);
};
const streaming = rpc.requestStream.bind(db);
rpc.requestStream = async (method, ...args) => {
  const request = args[1] as Record<string, unknown>;
  if (method === "batchGetDocuments") ops.reads += (request.documents as unknown[]).length;
  // An aggregation is billed one read per 1,000 index entries it scans; a month has at most a few dozen.
  if (method === "runAggregationQuery") ops.reads += 1;
  const stream = (await streaming(method, ...args)) as NodeJS.ReadableStream;
  if (method === "runQuery") {
    let docs = 0;
    stream.on("data", (chunk: { document?: unknown }) => {
      if (chunk.document) docs++;
    });
    stream.on("end", () => {
      ops.reads += Math.max(1, docs);
    });
  }
  return stream;
};

const MEMBERS = 64;
const orgId = `bench-${randomBytes(4).toString("hex")}`;
const batch = db.batch();
batch.set(db.doc(`orgs/${orgId}`), {
  name: "Bench",
  settings: {},
  ownerUid: "u0",
  plan: "team",
  entitlements: {
    seats: 100,
    projects: 10,
    storageBytes: 0,
    aiCallsPerMonth: { soft: 10_000_000, hard: 10_000_000 },
    aiCostMicrosPerMonth: { soft: 1e12, hard: 1e12 },
    aiModels: ["gpt-4o-mini"],
    aiCallsPerMinutePerUser: 1_000_000,
  },
  billingStatus: "active",
  memberCount: MEMBERS,
  createdAt: new Date(),
  deletedAt: null,
});
for (let i = 0; i < MEMBERS; i++) batch.set(db.doc(`orgs/${orgId}/members/u${i}`), { role: "member" });
await batch.commit();

// Provider time is measured around the adapter, so the overhead excludes it.
let providerMs = 0;
const measured = {
  ...deps,
  provider: (spec: Parameters<typeof deps.provider>[0]) => {
    const inner = deps.provider(spec);
    return {
      name: inner.name,
      generate: async (req: Parameters<typeof inner.generate>[0]) => {
        const t = performance.now();
        try {
          return await inner.generate(req);
        } finally {
          providerMs += performance.now() - t;
        }
      },
    };
  },
};

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
let seq = 0;

async function one(uid: string, prompt: string) {
  const before = { ...ops };
  providerMs = 0;
  const t = performance.now();
  await handleAiGenerate({ orgId, prompt }, uid, measured);
  return {
    overhead: performance.now() - t - providerMs,
    reads: ops.reads - before.reads,
    writes: ops.writes - before.writes,
  };
}

async function series(label: string, n: number, prompt: (i: number) => string) {
  const runs: Awaited<ReturnType<typeof one>>[] = [];
  for (let i = 0; i < n; i++) runs.push(await one("u0", prompt(i)));
  const overhead = runs.map((r) => r.overhead);
  const avg = (key: "reads" | "writes") => runs.reduce((s, r) => s + r[key], 0) / n;
  console.log(
    `${label.padEnd(10)} overhead p50 ${pct(overhead, 0.5).toFixed(1)} ms, p95 ${pct(overhead, 0.95).toFixed(1)} ms;` +
      ` Firestore per call: ${avg("reads").toFixed(1)} reads, ${avg("writes").toFixed(1)} writes`,
  );
}

for (let i = 0; i < 30; i++) await one("u0", `warm-up ${i}`);
console.log(`aiGenerate on one org (${SHARD_COUNT} counter shards), one call at a time:`);
await series("cache miss", 200, (i) => `miss ${seq++} ${i}`);
await series("cache hit", 200, (i) => `miss ${seq - 200 + i} ${i}`);

async function throughput(users: number, seconds: number) {
  const before = { ...ops };
  let calls = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      while (Date.now() < end) {
        await handleAiGenerate({ orgId, prompt: `load ${u} ${seq++}` }, `u${u}`, deps);
        calls++;
      }
    }),
  );
  const writes = (ops.writes - before.writes) / calls;
  console.log(
    `${String(users).padStart(3)} users at once: ${(calls / seconds).toFixed(0)} calls/s, ${writes.toFixed(1)} writes per call`,
  );
}

console.log("\nSustained cache misses on one org (emulator-bound: one Node process, 2 cores):");
for (const users of [1, 8, 32]) await throughput(users, 4);

const shardWritesPerCall = 2;
console.log(
  `\nProduction bound: each miss writes its random counter shard twice (reserve, settle); at ~1 sustained` +
    ` write/s per document, ${SHARD_COUNT} shards carry about ${SHARD_COUNT / shardWritesPerCall} calls/s per org` +
    ` (bursts above that queue in transactions). The other writes go to per-call documents` +
    ` (reservation, cache entry) or per-user documents (rate limit, user counters), limited to one user's` +
    ` rate. Raise SHARD_COUNT in functions/src/usage/caps.ts for busier orgs.`,
);

await fake.stop();
await emulator.stop();
process.exit(0);
