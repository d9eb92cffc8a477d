import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection,
  DocumentReference,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  limit,
  onSnapshot,
  orderBy,
  type Query,
  query,
  runTransaction,
  serverTimestamp,
  where,
  writeBatch,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RulesEnv, startRulesEnv } from "./support/env.js";
import { newProject, projectChange } from "./support/payloads.js";
import { type Actor, dbFor, seedWorld } from "./support/world.js";

// The rules under the ways frontends really use Firestore: listeners, transactions, batches and
// ordered queries. A refused batch or transaction must change nothing.

let env: RulesEnv;
const db = (actor: Actor) => dbFor(env.testEnv, actor);

beforeAll(async () => {
  env = await startRulesEnv();
  await seedWorld(env.testEnv);
});
afterAll(() => env?.stop());

/** Resolves with the first snapshot's size (1 or 0 for a document), or rejects with the listener's error. */
function firstSnapshot(target: Query | DocumentReference): Promise<number> {
  return new Promise((resolve, reject) => {
    const settle = (size: number) => {
      stop();
      resolve(size);
    };
    const stop =
      target instanceof DocumentReference
        ? onSnapshot(target, (snap) => settle(snap.exists() ? 1 : 0), reject)
        : onSnapshot(target, (snap) => settle(snap.size), reject);
  });
}

async function existsAsAdmin(path: string): Promise<boolean> {
  let exists = false;
  await env.testEnv.withSecurityRulesDisabled(async (ctx) => {
    exists = (await getDoc(doc(ctx.firestore() as unknown as Firestore, path))).exists();
  });
  return exists;
}

describe("listeners", () => {
  it("a viewer listens to the org's projects; a stranger and another org's owner are refused", async () => {
    expect(
      await assertSucceeds(firstSnapshot(collection(db("viewer"), "orgs/acme/projects"))),
    ).toBeGreaterThan(0);
    await assertFails(firstSnapshot(collection(db("stranger"), "orgs/acme/projects")));
    await assertFails(firstSnapshot(collection(db("rival"), "orgs/acme/projects")));
  });

  it("a member listens to the org document; only admins listen to the audit log", async () => {
    expect(await assertSucceeds(firstSnapshot(doc(db("member"), "orgs/acme")))).toBe(1);
    await assertFails(firstSnapshot(collection(db("member"), "orgs/acme/auditLog")));
    await assertSucceeds(firstSnapshot(collection(db("admin"), "orgs/acme/auditLog")));
  });
});

describe("ordered and filtered queries", () => {
  it("a viewer pages through active projects by updatedAt", async () => {
    const q = query(
      collection(db("viewer"), "orgs/acme/projects"),
      where("status", "==", "active"),
      orderBy("updatedAt", "desc"),
      limit(3),
    );
    const snap = await assertSucceeds(getDocs(q));
    expect(snap.size).toBe(3);
  });

  it("a stranger's same query is refused", async () => {
    const q = query(collection(db("stranger"), "orgs/acme/projects"), orderBy("updatedAt", "desc"), limit(3));
    await assertFails(getDocs(q));
  });
});

describe("transactions and batches", () => {
  it("a member edits their own project in a transaction", async () => {
    const ref = doc(db("member"), "orgs/acme/projects/by-member");
    await assertSucceeds(
      runTransaction(db("member"), async (tx) => {
        const snap = await tx.get(ref);
        tx.update(ref, projectChange({ description: `${snap.get("description")} (edited)` }));
      }),
    );
  });

  it("a viewer's transaction is refused", async () => {
    const ref = doc(db("viewer"), "orgs/acme/projects/by-viewer");
    await assertFails(runTransaction(db("viewer"), async (tx) => tx.update(ref, projectChange())));
  });

  it("a batch with one refused write writes nothing", async () => {
    const batch = writeBatch(db("member"));
    batch.set(doc(db("member"), "orgs/acme/projects/batch-ok"), newProject("member"));
    batch.set(doc(db("member"), "orgs/acme/projects/batch-bad"), newProject("member", { name: "" }));
    await assertFails(batch.commit());
    expect(await existsAsAdmin("orgs/acme/projects/batch-ok")).toBe(false);
  });

  it("a batch that creates in acme and in globex is refused as a whole", async () => {
    const batch = writeBatch(db("member"));
    batch.set(doc(db("member"), "orgs/acme/projects/pair-a"), newProject("member"));
    batch.set(doc(db("member"), "orgs/globex/projects/pair-b"), newProject("member"));
    await assertFails(batch.commit());
    expect(await existsAsAdmin("orgs/acme/projects/pair-a")).toBe(false);
  });

  it("a batch of valid project writes succeeds", async () => {
    const batch = writeBatch(db("admin"));
    batch.set(doc(db("admin"), "orgs/acme/projects/batch-1"), newProject("admin"));
    batch.set(doc(db("admin"), "orgs/acme/projects/batch-2"), newProject("admin"));
    batch.update(doc(db("admin"), "orgs/acme/projects/by-member"), {
      status: "archived",
      updatedAt: serverTimestamp(),
    });
    await assertSucceeds(batch.commit());
    expect(await existsAsAdmin("orgs/acme/projects/batch-2")).toBe(true);
  });
});
