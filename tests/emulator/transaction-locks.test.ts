/**
 * Server-SDK transactions lock what they read, as production's pessimistic mode does: contending
 * firebase-admin transactions queue instead of aborting, writes wait for the locks, deadlocks resolve,
 * and locks go away on commit, rollback and cancelled requests. Web SDK transactions stay optimistic
 * (preconditions), and both kinds together lose no update.
 */
import { doc, runTransaction } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireObject as Raw } from "../../emulator/src/wire/object.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { FirestoreRpc } from "./helpers/grpc.js";
import { type WebClient, webFirestore } from "./helpers/web.js";

let emu: TestEmulator;
let db: ReturnType<typeof adminFirestore>;
let rpc: FirestoreRpc;
let web: WebClient;
let database: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  db = adminFirestore(emu);
  rpc = new FirestoreRpc(emu);
  web = webFirestore(emu, { owner: true });
  database = `projects/${emu.projectId}/databases/(default)`;
});
afterAll(async () => {
  await web.close();
  await db.terminate();
  rpc.close();
  await emu.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise with its resolve function, to line up concurrent transactions. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function counts(collection: string, docs: number): Promise<number[]> {
  const snaps = await db.getAll(...Array.from({ length: docs }, (_, i) => db.doc(`${collection}/c${i}`)));
  return snaps.map((s) => (s.get("n") as number | undefined) ?? 0);
}

describe("firebase-admin transactions under contention", () => {
  it("20 concurrent transactions on 10 hot documents queue on the locks: no retries, no lost update", async () => {
    const workers = 20;
    const rounds = 5;
    let attempts = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let r = 0; r < rounds; r++) {
          const ref = db.doc(`hot/c${(w + r) % 10}`);
          await db.runTransaction(async (tx) => {
            attempts++;
            const snap = await tx.get(ref);
            tx.set(ref, { n: ((snap.get("n") as number | undefined) ?? 0) + 1 });
          });
        }
      }),
    );
    expect(await counts("hot", 10)).toEqual(Array(10).fill((workers * rounds) / 10));
    // Optimistic checking would abort most of these and the admin SDK would retry them.
    expect(attempts).toBe(workers * rounds);
  });

  it("a write outside the transaction waits for the lock and lands after the commit", async () => {
    const ref = db.doc("blocked/x");
    await ref.set({ v: "start" });
    const order: string[] = [];
    let attempts = 0;
    let outside: Promise<unknown> | undefined;
    await db.runTransaction(async (tx) => {
      attempts++;
      await tx.get(ref);
      outside ??= ref.set({ v: "outside" }).then(() => order.push("outside write done"));
      // Time enough for the write to land if nothing held it back.
      await sleep(150);
      order.push("transaction callback done");
      tx.set(ref, { v: "transaction" });
    });
    await outside;
    expect(order).toEqual(["transaction callback done", "outside write done"]);
    expect(attempts).toBe(1);
    expect((await ref.get()).get("v")).toBe("outside");
  });

  it("read-only transactions take no locks", async () => {
    const ref = db.doc("readonly/x");
    await ref.set({ v: 1 });
    const order: string[] = [];
    await db.runTransaction(
      async (tx) => {
        await tx.get(ref);
        await ref.set({ v: 2 });
        order.push("write done inside");
      },
      { readOnly: true },
    );
    expect(order).toEqual(["write done inside"]);
  });

  it("a deadlock (A then B against B then A) resolves: the younger is aborted and retried, both commit", async () => {
    const [a, b] = [db.doc("deadlock/a"), db.doc("deadlock/b")];
    await a.set({ n: 0 });
    await b.set({ n: 0 });
    const firstReads = [signal(), signal()];
    let attempts = 0;
    const run = (first: typeof a, second: typeof a, me: 0 | 1) =>
      db.runTransaction(async (tx) => {
        attempts++;
        const one = await tx.get(first);
        firstReads[me]!.resolve();
        // The first attempt waits until the other holds its first document: a real lock cycle.
        await firstReads[1 - me]!.promise;
        const two = await tx.get(second);
        tx.update(first, { n: (one.get("n") as number) + 1 });
        tx.update(second, { n: (two.get("n") as number) + 1 });
      });
    await Promise.all([run(a, b, 0), run(b, a, 1)]);
    expect((await a.get()).get("n")).toBe(2);
    expect((await b.get()).get("n")).toBe(2);
    expect(attempts).toBe(3);
  });
});

describe("firebase-admin and web SDK transactions together", () => {
  it("counters stay exact with both SDKs incrementing the same documents at once", async () => {
    const perClient = 15;
    await Promise.all([
      ...Array.from({ length: perClient }, (_, i) =>
        db.runTransaction(async (tx) => {
          const ref = db.doc(`mixed/c${i % 3}`);
          const snap = await tx.get(ref);
          tx.set(ref, { n: ((snap.get("n") as number | undefined) ?? 0) + 1 });
        }),
      ),
      ...Array.from({ length: perClient }, (_, i) =>
        runTransaction(
          web.db,
          async (tx) => {
            const ref = doc(web.db, `mixed/c${i % 3}`);
            const snap = await tx.get(ref);
            tx.set(ref, { n: ((snap.get("n") as number | undefined) ?? 0) + 1 });
          },
          { maxAttempts: 25 },
        ),
      ),
    ]);
    expect(await counts("mixed", 3)).toEqual([10, 10, 10]);
  });
});

describe("locks over raw RPCs", () => {
  const name = (path: string) => `${database}/documents/${path}`;
  const write = (path: string, n: number) => ({
    update: { name: name(path), fields: { n: { integerValue: String(n) } } },
  });
  const readN = async (path: string) => {
    const read = await rpc.stream("BatchGetDocuments", { database, documents: [name(path)] });
    return (((read.response as Raw[])[0]!.found as Raw).fields as Raw).n;
  };
  const lockedRead = async (path: string): Promise<Buffer> => {
    const read = await rpc.stream("BatchGetDocuments", {
      database,
      documents: [name(path)],
      newTransaction: { readWrite: {} },
    });
    return (read.response as Raw[])[0]!.transaction as Buffer;
  };

  it("a write waiting on a lock proceeds once the transaction rolls back", async () => {
    await rpc.unary("Commit", { database, writes: [write("raw/rollback", 1)] });
    const transaction = await lockedRead("raw/rollback");
    let done = false;
    const waiting = rpc.unary("Commit", { database, writes: [write("raw/rollback", 2)] }).then((r) => {
      done = true;
      return r;
    });
    await sleep(100);
    expect(done).toBe(false);
    await rpc.unary("Rollback", { database, transaction });
    expect((await waiting).ok).toBe(true);
    expect(await readN("raw/rollback")).toMatchObject({ integerValue: "2" });
  });

  it("a transactional read cancelled while it waits leaves no lock behind", async () => {
    await rpc.unary("Commit", { database, writes: [write("raw/cancel", 1)] });
    const holder = await lockedRead("raw/cancel");
    // A second transaction's first read queues behind the holder; its client then gives up.
    const call = rpc.cancellableStream("BatchGetDocuments", {
      database,
      documents: [name("raw/cancel")],
      newTransaction: { readWrite: {} },
    });
    await sleep(100);
    call.cancel();
    expect((await call.result).code).toBe(1);
    expect((await rpc.unary("Commit", { database, writes: [], transaction: holder })).ok).toBe(true);
    // Had the cancelled read kept a lock, this write would wait out the lock limit and abort.
    const after = await rpc.unary("Commit", { database, writes: [write("raw/cancel", 3)] });
    expect(after.code).toBe(0);
  }, 20_000);
});
