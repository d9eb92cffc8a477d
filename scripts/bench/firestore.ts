/**
 * Hearth Firestore emulator figures (no assertions). The emulator runs as its own process, started by the
 * CLI as a user starts it; every figure is repeated and printed with its spread, next to a reference
 * measured on this machine in the same run where one exists:
 *
 * - start-up, spawn to accepting connections, of README's `npx hearth-emulator` and of
 *   `node emulator/bin/hearth-emulator.js`, next to Node running an empty script;
 * - single-document write and read through firebase-admin, next to a raw gRPC echo round trip to another
 *   process (the floor: no Firestore, no protobuf);
 * - contended transactions (20 concurrent firebase-admin transactions on 10 hot documents), next to the
 *   same load with a document per worker;
 * - a 500-write batch, and a filtered, ordered query over 10,000 documents;
 * - write → listener: the timer starts before the write is issued and stops when a query listener in
 *   another client (its own app and gRPC channel) sees the new value, without waiting for the commit,
 *   at 1k / 10k / 50k documents in the collection, next to the commit's own latency in the same runs;
 * - the emulator server's resident memory (from /proc) while 100,000 small documents are loaded.
 *
 * Run: npm run bench -- firestore   (the CLI runs emulator/dist: npm run build --workspace emulator)
 */
import { spawn } from "node:child_process";
import { adminFirestore, type Firestore } from "./support/admin.js";
import { EMULATOR_BIN, spawnEmulator, startTimes } from "./support/emulator.js";
import { startEcho } from "./support/grpc-echo.js";
import { rssLine, watchRss } from "./support/proc.js";
import { mib, ms, perSecond, spread, summarize, Table } from "./support/stats.js";

const table = new Table(
  "Firestore emulator: its own process (node emulator/bin/hearth-emulator.js), clients in this one",
);
const STARTS = 10;
const SINGLE = 300;

/** Node's own start-up here: spawn to exit of an empty script. */
async function nodeAlone(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
  await new Promise((r) => child.once("exit", r));
  return performance.now() - t0;
}

async function startUp(): Promise<void> {
  const commands: [string, string, string[]][] = [
    ["npx hearth-emulator (README's command)", "npx", ["hearth-emulator"]],
    ["node emulator/bin/hearth-emulator.js", process.execPath, [EMULATOR_BIN]],
  ];
  const times = await startTimes(
    commands.map(([, command, args]) => [command, args] as const),
    STARTS,
  );
  const baseline: number[] = [];
  for (let i = 0; i < STARTS; i++) baseline.push(await nodeAlone());
  for (const [c, [label]] of commands.entries()) {
    table.add({
      figure: `start-up, spawn → accepting: ${label}`,
      value: spread(times[c]!, ms),
      reference: `node -e 0 runs in ${spread(baseline, ms)}`,
    });
  }
}

async function singleDocument(db: Firestore): Promise<void> {
  const echo = await startEcho();
  // About the size of the write request below, which firebase-admin encodes with its document name.
  const payload = Buffer.alloc(160, 0x61);
  const writes: number[] = [];
  const reads: number[] = [];
  const unary: number[] = [];
  const stream: number[] = [];
  const time = async (into: number[] | null, run: () => Promise<unknown>) => {
    const t = performance.now();
    await run();
    into?.push(performance.now() - t);
  };
  for (let i = 0; i < SINGLE + 20; i++) {
    // The first 20 rounds warm up both channels and the JIT, unrecorded.
    const keep = i >= 20;
    const ref = db.doc(`single/d${i % 20}`);
    await time(keep ? writes : null, () => ref.set({ i, name: "bench" }));
    await time(keep ? unary : null, () => echo.unary(payload));
    await time(keep ? reads : null, () => ref.get());
    await time(keep ? stream : null, () => echo.stream(payload));
  }
  await echo.stop();
  table.add({
    figure: "single write (set) through firebase-admin",
    value: spread(writes, ms),
    reference: `raw gRPC unary echo: ${spread(unary, ms)}`,
  });
  table.add({
    figure: "single read (get) through firebase-admin",
    value: spread(reads, ms),
    reference: `raw gRPC one-message stream echo: ${spread(stream, ms)}`,
  });
}

interface TransactionRuns {
  p50s: number[];
  p95s: number[];
  rates: number[];
  lost: number;
}

/**
 * RUNS runs of WORKERS concurrent workers, each running ROUNDS transactions that read a document and
 * write it back incremented: on `hot` documents shared by all (contended), or each worker its own.
 */
async function transactions(db: Firestore, hot: number | null): Promise<TransactionRuns> {
  const WORKERS = 20;
  const ROUNDS = 10;
  const RUNS = 5;
  const docs = hot ?? WORKERS;
  const runs: TransactionRuns = { p50s: [], p95s: [], rates: [], lost: 0 };
  for (let run = 0; run < RUNS; run++) {
    const collection = `tx-${hot ?? "own"}-${run}`;
    const latencies: number[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        for (let r = 0; r < ROUNDS; r++) {
          const ref = db.doc(`${collection}/d${hot === null ? w : (w * 7 + r * 3) % hot}`);
          const t = performance.now();
          await db.runTransaction(async (tx) => {
            const snap = await tx.get(ref);
            tx.set(ref, { n: ((snap.get("n") as number | undefined) ?? 0) + 1 });
          });
          latencies.push(performance.now() - t);
        }
      }),
    );
    runs.rates.push((WORKERS * ROUNDS) / ((performance.now() - start) / 1000));
    const s = summarize(latencies);
    runs.p50s.push(s.median);
    runs.p95s.push(s.p95);
    const snaps = await db.getAll(...Array.from({ length: docs }, (_, i) => db.doc(`${collection}/d${i}`)));
    runs.lost +=
      WORKERS * ROUNDS - snaps.reduce((sum, snap) => sum + ((snap.get("n") as number | undefined) ?? 0), 0);
  }
  return runs;
}

async function transactionFigures(db: Firestore): Promise<void> {
  // Server-SDK transactions lock what they read, so on hot documents they queue rather than abort into
  // the SDK's 1 s backoff.
  const hot = await transactions(db, 10);
  const own = await transactions(db, null);
  const label = "20 concurrent transactions on 10 hot documents (5 runs of 200)";
  table.add({
    figure: `${label}: p50 of a run`,
    value: spread(hot.p50s, ms),
    reference: `a document per worker: ${spread(own.p50s, ms)}`,
  });
  table.add({
    figure: `${label}: p95 of a run`,
    value: spread(hot.p95s, ms),
    reference: `a document per worker: ${spread(own.p95s, ms)}`,
  });
  table.add({
    figure: `${label}: throughput (lost updates: ${hot.lost})`,
    value: spread(hot.rates, perSecond("tx")),
    reference: `a document per worker: ${spread(own.rates, perSecond("tx"))}`,
  });
}

async function load(db: Firestore, collection: string, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 500) {
    const batch = db.batch();
    for (let i = start; i < Math.min(start + 500, to); i++) {
      batch.set(db.doc(`${collection}/d${i}`), {
        i,
        group: i % 10,
        score: (i * 7919) % 10007,
        name: `doc ${i}`,
      });
    }
    await batch.commit();
  }
}

async function batchAndQuery(db: Firestore): Promise<void> {
  const batches: number[] = [];
  for (let r = 0; r < 10; r++) {
    const batch = db.batch();
    for (let i = 0; i < 500; i++) batch.set(db.doc(`batch${r}/d${i}`), { i, tag: "x" });
    const t = performance.now();
    await batch.commit();
    batches.push(performance.now() - t);
  }
  table.add({ figure: "one 500-write batch", value: spread(batches, ms) });

  await load(db, "big", 0, 10_000);
  const queries: number[] = [];
  let size = 0;
  for (let r = 0; r < 10; r++) {
    const t = performance.now();
    const snap = await db.collection("big").where("group", "==", 3).orderBy("score").get();
    queries.push(performance.now() - t);
    size = snap.size;
  }
  table.add({
    figure: `query over 10,000 docs (group == 3, orderBy score → ${size.toLocaleString("en-US")})`,
    value: spread(queries, ms),
  });
}

/**
 * Write → listener: `writer` updates one of the documents a query listener of `listener` (another app,
 * so another gRPC channel) matches; the timer runs from just before the update is issued to the
 * listener's callback with the new value. The commit is awaited only afterwards, so that one write is in
 * flight at a time; its own latency is the reference.
 */
async function writeToListener(writer: Firestore, listener: Firestore): Promise<void> {
  const SAMPLES = 50;
  const WARMUP = 5;
  const waiting = new Map<number, (at: number) => void>();
  let first: () => void = () => {};
  const ready = new Promise<void>((r) => (first = r));
  const unsubscribe = listener
    .collection("live")
    .where("group", "==", 1)
    .onSnapshot(
      (snap) => {
        const at = performance.now();
        for (const change of snap.docChanges()) {
          const tick: unknown = change.doc.get("tick");
          if (typeof tick === "number") waiting.get(tick)?.(at);
        }
        first();
      },
      (error) => console.error(`listener failed: ${error.message}`),
    );
  await ready;
  let tick = 0;
  let stored = 0;
  for (const size of [1_000, 10_000, 50_000]) {
    await load(writer, "live", stored, size);
    stored = size;
    await new Promise((r) => setTimeout(r, 200));
    const seen: number[] = [];
    const commits: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      tick++;
      const snapshot = new Promise<number>((resolve) => waiting.set(tick, resolve));
      const t = performance.now();
      // A new value each time (an identical write raises no snapshot), to a document the query matches.
      const commit = writer
        .doc(`live/d${(i % 50) * 10 + 1}`)
        .update({ tick })
        .then(() => performance.now());
      const [seenAt, committedAt] = await Promise.all([snapshot, commit]);
      waiting.delete(tick);
      if (i < WARMUP) continue;
      seen.push(seenAt - t);
      commits.push(committedAt - t);
    }
    table.add({
      figure: `write → listener in another client, ${size.toLocaleString("en-US")} docs stored`,
      value: spread(seen, ms),
      reference: `the commit itself: ${spread(commits, ms)}`,
    });
  }
  unsubscribe();
}

/** RUNS fresh emulator processes, each loaded with 100,000 small documents; its RSS before and after. */
async function memory(): Promise<void> {
  const RUNS = 3;
  const DOCS = 100_000;
  const before: number[] = [];
  const grown: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const emulator = await spawnEmulator();
    const db = adminFirestore(emulator.port, "demo-bench-memory", `memory-${run}`);
    await db.doc("warm/up").set({ v: 0 });
    const watch = watchRss(emulator.pid);
    await load(db, "small", 0, DOCS);
    const r = watch.stop();
    before.push(r.before);
    grown.push(r.after - r.before);
    await db.terminate();
    await emulator.stop();
  }
  table.add({
    figure: `emulator RSS growth loading 100,000 small documents (${RUNS} fresh processes)`,
    value: spread(grown, (n) => `+${n.toFixed(1)} MiB`),
    reference: `from ${spread(before, mib)}; per document ${spread(
      grown.map((n) => (n * 1024 * 1024) / DOCS),
      (n) => `${n.toFixed(0)} B`,
    )}`,
  });
}

async function main(): Promise<void> {
  await startUp();

  const emulator = await spawnEmulator();
  const session = watchRss(emulator.pid);
  const db = adminFirestore(emulator.port, "demo-bench");
  const listener = adminFirestore(emulator.port, "demo-bench", "listener");
  await db.doc("warm/up").set({ v: 0 });
  await singleDocument(db);
  await transactionFigures(db);
  await batchAndQuery(db);
  await writeToListener(db, listener);
  table.add({ figure: "emulator RSS over the figures above (one process)", value: rssLine(session.stop()) });
  await Promise.all([db.terminate(), listener.terminate()]);
  await emulator.stop();

  await memory();
  table.print();
}

await main();
