/**
 * Hearth Firestore emulator figures (no assertions): start-up time of the CLI, single-document latency
 * through firebase-admin, a 500-write batch, a filtered and ordered query over 10,000 documents, memory
 * for 100,000 small documents, and write latency with a live listener as the collection grows (listen
 * re-evaluation is per changed document, so it should stay flat), and contended transactions: 20
 * concurrent firebase-admin transactions incrementing 10 hot documents (server-SDK transactions lock what
 * they read, so they queue instead of aborting into the SDK's 1 s backoff).
 *
 * Run: npx tsx scripts/bench/firestore.ts   (needs emulator/dist for the start-up figure: npm run build -w emulator)
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect, createServer } from "node:net";
import { type RunningEmulator, silentLogger, startEmulator } from "../../emulator/src/index.js";
import { type Firestore as AdminFirestore, gc, getFirestore, initializeApp } from "./support/admin.js";

const root = new URL("../../", import.meta.url);

const ms = (n: number) => `${n.toFixed(2)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Node's own start-up on this machine (spawn to exit of an empty script), to read the figure above against. */
async function nodeBaseline(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
  await new Promise((r) => child.on("exit", r));
  return performance.now() - t0;
}

async function startupTime(): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ["emulator/bin/hearth-emulator.js", "--port", String(port)], {
    cwd: root,
    stdio: "ignore",
  });
  while (!(await tryConnect(port))) await new Promise((r) => setTimeout(r, 2));
  const elapsed = performance.now() - t0;
  const exited = new Promise((r) => child.on("exit", r));
  child.kill("SIGTERM");
  await exited;
  return elapsed;
}

function client(emulator: RunningEmulator, project: string): AdminFirestore {
  const db = getFirestore(initializeApp({ projectId: project }, project));
  db.settings({ host: `127.0.0.1:${emulator.port}`, ssl: false });
  return db;
}

async function load(db: AdminFirestore, collection: string, count: number, from = 0): Promise<void> {
  for (let start = from; start < from + count; start += 500) {
    const batch = db.batch();
    for (let i = start; i < Math.min(start + 500, from + count); i++) {
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

const spread = (xs: number[]) =>
  `min ${ms(Math.min(...xs))} / median ${ms(median(xs))} / max ${ms(Math.max(...xs))}`;

/**
 * Transactions at WORKERS at a time through firebase-admin, each reading a document and writing it back
 * incremented, ROUNDS each per run: `hot` documents shared by all (contended), or each worker its own
 * (the same load without contention, the floor to read the first against). Prints per-run p50 and p95
 * latency and throughput as min / median / max over RUNS runs, and the updates lost.
 */
async function transactionFigures(db: AdminFirestore, label: string, hot: number | null): Promise<void> {
  const WORKERS = 20;
  const ROUNDS = 10;
  const RUNS = 5;
  const docs = hot ?? WORKERS;
  const p50s: number[] = [];
  const p95s: number[] = [];
  const rates: number[] = [];
  let lost = 0;
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
    rates.push((WORKERS * ROUNDS) / ((performance.now() - start) / 1000));
    p50s.push(median(latencies));
    p95s.push(p95(latencies));
    const snaps = await db.getAll(...Array.from({ length: docs }, (_, i) => db.doc(`${collection}/d${i}`)));
    lost += WORKERS * ROUNDS - snaps.reduce((sum, s) => sum + ((s.get("n") as number | undefined) ?? 0), 0);
  }
  const rate = (n: number) => `${n.toFixed(0)} tx/s`;
  console.log(
    `${label}: ${WORKERS} concurrent firebase-admin transactions on ${docs} documents, ${RUNS} runs of ${WORKERS * ROUNDS}`,
  );
  console.log(`  p50 ${spread(p50s)}`);
  console.log(`  p95 ${spread(p95s)}`);
  console.log(
    `  throughput min ${rate(Math.min(...rates))} / median ${rate(median(rates))} / max ${rate(Math.max(...rates))}; lost updates: ${lost}`,
  );
}

async function main(): Promise<void> {
  if (existsSync(new URL("emulator/dist/cli/main.js", root))) {
    const runs: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) {
      runs.push(await startupTime());
      baseline.push(await nodeBaseline());
    }
    console.log(
      `start-up (process start → accepting connections), median of 5: ${ms(median(runs))} (target < 300 ms; ` +
        `node itself needs ${ms(median(baseline))} to run an empty script here)`,
    );
  } else {
    console.log("start-up: skipped, emulator/dist is missing (npm run build --workspace emulator)");
  }

  const emulator = await startEmulator({ port: 0, logger: silentLogger });
  const db = client(emulator, "demo-bench");
  await db.doc("warm/up").set({ v: 0 });

  const writes: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < 300; i++) {
    let t = performance.now();
    await db.doc(`single/d${i % 20}`).set({ i, name: "bench" });
    writes.push(performance.now() - t);
    t = performance.now();
    await db.doc(`single/d${i % 20}`).get();
    reads.push(performance.now() - t);
  }
  console.log(`single write through firebase-admin: p50 ${ms(median(writes))}, p95 ${ms(p95(writes))}`);
  console.log(`single read through firebase-admin:  p50 ${ms(median(reads))}, p95 ${ms(p95(reads))}`);

  // Server-SDK transactions lock what they read, so on hot documents they queue rather than abort
  // into the SDK's 1 s backoff (target: p95 under 100 ms, no lost update).
  await transactionFigures(db, "contended transactions (10 hot documents)", 10);
  await transactionFigures(db, "the same without contention (a document per worker)", null);

  const batches: number[] = [];
  for (let r = 0; r < 5; r++) {
    const batch = db.batch();
    for (let i = 0; i < 500; i++) batch.set(db.doc(`batch${r}/d${i}`), { i, tag: "x" });
    const t = performance.now();
    await batch.commit();
    batches.push(performance.now() - t);
  }
  console.log(`500-write batch commit: median ${ms(median(batches))}`);

  await load(db, "big", 10_000);
  const queries: number[] = [];
  let size = 0;
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    const snap = await db.collection("big").where("group", "==", 3).orderBy("score").get();
    queries.push(performance.now() - t);
    size = snap.size;
  }
  console.log(
    `query over 10,000 docs (where group == 3, orderBy score → ${size} docs): median ${ms(median(queries))}`,
  );

  const series: Array<[number, number, number]> = [];
  const live = db.collection("live");
  let resolveSnap: (() => void) | null = null;
  const unsubscribe = live.where("group", "==", 1).onSnapshot(
    () => resolveSnap?.(),
    (error) => console.error(`listener failed: ${error.message}`),
  );
  let stored = 0;
  let tick = 0;
  for (const target of [1_000, 10_000, 50_000]) {
    await load(db, "live", target - stored, stored);
    stored = target;
    await new Promise((r) => setTimeout(r, 50));
    const commits: number[] = [];
    const snapshots: number[] = [];
    for (let i = 0; i < 50; i++) {
      const seen = new Promise<void>((r) => (resolveSnap = r));
      const t = performance.now();
      // A new value each time: an identical write changes nothing and raises no snapshot.
      await db.doc(`live/d${i * 10 + 1}`).update({ tick: tick++ });
      commits.push(performance.now() - t);
      await seen;
      snapshots.push(performance.now() - t);
    }
    series.push([target, median(commits), median(snapshots)]);
  }
  unsubscribe();
  // The server evaluates listeners inside the commit, so commit latency shows its cost; the snapshot
  // figure adds firebase-admin rebuilding its whole result (10% of the collection) on every change.
  for (const [n, commit, snapshot] of series) {
    console.log(
      `with a live query listener over ${n.toLocaleString("en-US")} docs: commit ${ms(commit)}, commit → snapshot ${ms(snapshot)}`,
    );
  }
  await db.terminate();
  await emulator.stop();

  gc();
  const before = process.memoryUsage().heapUsed;
  const memEmulator = await startEmulator({ port: 0, logger: silentLogger });
  const memDb = client(memEmulator, "demo-bench-memory");
  await load(memDb, "small", 100_000);
  await memDb.terminate();
  gc();
  const after = process.memoryUsage().heapUsed;
  console.log(
    `heap after loading 100,000 small documents: +${((after - before) / 1024 / 1024).toFixed(1)} MiB (${((after - before) / 100_000).toFixed(0)} bytes/doc)`,
  );
  await memEmulator.stop();
}

await main();
