/**
 * AI call figures (no assertions): aiGenerate's handler runs in this process, as the functions would,
 * against the Hearth Firestore emulator in its own process (started by its CLI) with the fake provider
 * answering at once: the overhead Hearth adds per call (provider time excluded) on a cache miss and a
 * cache hit, the Firestore reads and writes each costs, the calls per second one org sustains with
 * several users calling at once (repeated runs), the emulator server's RSS, and how the counter shards
 * bound that rate in production.
 *
 * Reads and writes are counted at the client's RPC layer: documents named in batchGetDocuments, documents
 * streamed back by runQuery (at least one read per query, as Firestore bills), one read per aggregation,
 * and writes in each commit.
 *
 * Run: npx tsx scripts/bench/ai.ts
 */
import { randomBytes } from "node:crypto";
import { startFakeAiProvider } from "../../tests/fakes/ai-provider/index.js";
import { spawnEmulator } from "./support/emulator.js";
import { rssLine, watchRss } from "./support/proc.js";
import { ms, perSecond, spread, Table } from "./support/stats.js";

const emulator = await spawnEmulator();
const serverMemory = watchRss(emulator.pid);
const fake = await startFakeAiProvider();
const table = new Table(
  "AI calls: aiGenerate in this process, emulator in its own process (CLI), fake provider answering at once",
);
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
    files: 0,
    fileMaxBytes: 0,
    aiCallsPerMonth: { soft: 10_000_000, hard: 10_000_000 },
    aiCostMicrosPerMonth: { soft: 1e12, hard: 1e12 },
    aiModels: ["gpt-4o-mini"],
    aiCallsPerMinutePerUser: 1_000_000,
  },
  billingStatus: "active",
  memberCount: MEMBERS,
  pendingInvites: 0,
  createdAt: new Date(),
  deletedAt: null,
});
for (let i = 0; i < MEMBERS; i++) {
  batch.set(db.doc(`orgs/${orgId}/members/u${i}`), {
    uid: `u${i}`,
    role: "member",
    email: null,
    displayName: null,
    joinedAt: new Date(),
    invitedBy: null,
  });
}
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

let seq = 0;

/** One aiGenerate call by `uid`, as the callable makes it. */
const generate = (uid: string, prompt: string, with_: typeof deps = deps) =>
  handleAiGenerate(with_, { uid, email: null, emailVerified: true }, { orgId, prompt });

async function one(uid: string, prompt: string) {
  const before = { ...ops };
  providerMs = 0;
  const t = performance.now();
  await generate(uid, prompt, measured);
  return {
    overhead: performance.now() - t - providerMs,
    reads: ops.reads - before.reads,
    writes: ops.writes - before.writes,
  };
}

async function series(label: string, n: number, prompt: (i: number) => string) {
  const runs: Awaited<ReturnType<typeof one>>[] = [];
  for (let i = 0; i < n; i++) runs.push(await one("u0", prompt(i)));
  const avg = (key: "reads" | "writes") => runs.reduce((s, r) => s + r[key], 0) / n;
  table.add({
    figure: `${label}: overhead per call, one call at a time (provider time excluded)`,
    value: spread(
      runs.map((r) => r.overhead),
      ms,
    ),
    reference: `Firestore per call: ${avg("reads").toFixed(1)} reads, ${avg("writes").toFixed(1)} writes`,
  });
}

for (let i = 0; i < 30; i++) await one("u0", `warm-up ${i}`);
await series("cache miss", 200, (i) => `miss ${seq++} ${i}`);
await series("cache hit", 200, (i) => `miss ${seq - 200 + i} ${i}`);

/** RUNS runs of `users` calling at once for SECONDS each; calls per second of each run. */
async function throughput(users: number): Promise<void> {
  const RUNS = 3;
  const SECONDS = 3;
  const rates: number[] = [];
  const before = { ...ops };
  let calls = 0;
  for (let run = 0; run < RUNS; run++) {
    let inRun = 0;
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        while (Date.now() < end) {
          await generate(`u${u}`, `load ${u} ${seq++}`);
          inRun++;
        }
      }),
    );
    rates.push(inRun / SECONDS);
    calls += inRun;
  }
  table.add({
    figure: `sustained cache misses on one org, ${users} user${users === 1 ? "" : "s"} at once (${RUNS} runs of ${SECONDS} s)`,
    value: spread(rates, perSecond("calls")),
    reference: `${((ops.writes - before.writes) / calls).toFixed(1)} writes per call`,
  });
}

for (const users of [1, 8, 32]) await throughput(users);
table.add({
  figure: `emulator RSS over the figures above (${SHARD_COUNT} counter shards)`,
  value: rssLine(serverMemory.stop()),
});
table.print();

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
