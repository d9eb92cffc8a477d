import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  limit,
  query,
  setDoc,
  Timestamp,
  updateDoc,
  where,
  writeBatch,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type RulesEnv, startRulesEnv } from "./support/env.js";
import { newProject, projectChange } from "./support/payloads.js";
import { type Actor, dbFor, projectDoc, seedWorld } from "./support/world.js";

// Attempts to cross tenants or to step outside one's role: reading, listing and writing another org,
// moving a document between orgs, forging authorship, escalating a role, writing server-only fields.

let env: RulesEnv;
const db = (actor: Actor) => dbFor(env.testEnv, actor);
const asAdmin = (fn: (admin: Firestore) => Promise<unknown>) =>
  env.testEnv.withSecurityRulesDisabled(async (ctx) => {
    await fn(ctx.firestore() as unknown as Firestore);
  });

beforeAll(async () => {
  env = await startRulesEnv();
  await seedWorld(env.testEnv);
});
afterAll(() => env?.stop());

describe("reading another org", () => {
  it("get: the owner of globex cannot read acme's org, members, projects, usage or files", async () => {
    for (const path of [
      "orgs/acme",
      "orgs/acme/members/owner",
      "orgs/acme/projects/by-owner",
      "orgs/acme/usage/2026-01",
      "orgs/acme/files/f1",
      "orgs/acme/invites/inv1",
      "orgs/acme/auditLog/a1",
    ]) {
      await assertFails(getDoc(doc(db("rival"), path)));
    }
  });

  it("get: acme's owner cannot read globex either, while globex's owner can", async () => {
    await assertFails(getDoc(doc(db("owner"), "orgs/globex")));
    await assertFails(getDoc(doc(db("owner"), "orgs/globex/projects/by-rival")));
    await assertSucceeds(getDoc(doc(db("rival"), "orgs/globex/projects/by-rival")));
  });

  it("list: another org's collections are refused even with filters on them", async () => {
    await assertFails(getDocs(collection(db("rival"), "orgs/acme/projects")));
    await assertFails(
      getDocs(query(collection(db("rival"), "orgs/acme/projects"), where("createdBy", "==", "rival"))),
    );
    await assertFails(getDocs(collection(db("rival"), "orgs/acme/members")));
    await assertFails(getDocs(collection(db("rival"), "orgs/acme/usage/2026-01/shards")));
  });

  it("list: no collection-group query reads projects, files or usage across orgs", async () => {
    for (const group of ["projects", "files", "usage", "shards", "auditLog", "invites"]) {
      await assertFails(getDocs(query(collectionGroup(db("owner"), group), limit(5))));
    }
    await assertFails(
      getDocs(query(collectionGroup(db("owner"), "projects"), where("createdBy", "==", "owner"))),
    );
  });

  it("list: memberships across orgs only for oneself", async () => {
    await assertSucceeds(
      getDocs(query(collectionGroup(db("owner"), "members"), where("uid", "==", "owner"))),
    );
    await assertFails(getDocs(query(collectionGroup(db("owner"), "members"), where("uid", "==", "rival"))));
    await assertFails(getDocs(collectionGroup(db("owner"), "members")));
    await assertFails(getDocs(query(collectionGroup(db("owner"), "members"), where("role", "==", "owner"))));
    await assertFails(
      getDocs(query(collectionGroup(db("anonymous"), "members"), where("uid", "==", "owner"))),
    );
  });

  it("list: the orgs collection cannot be listed, even filtered by owner", async () => {
    await assertFails(getDocs(query(collection(db("owner"), "orgs"), where("ownerUid", "==", "owner"))));
  });
});

describe("writing into another org", () => {
  it("create: an acme member cannot create a project in globex", async () => {
    await assertFails(setDoc(doc(db("member"), "orgs/globex/projects/intruder"), newProject("member")));
  });

  it("update/delete: globex's owner cannot change or delete acme's projects", async () => {
    await assertFails(updateDoc(doc(db("rival"), "orgs/acme/projects/by-rival"), projectChange()));
    await assertFails(deleteDoc(doc(db("rival"), "orgs/acme/projects/by-rival")));
    await assertFails(updateDoc(doc(db("rival"), "orgs/acme"), { name: "taken over" }));
  });

  it("move: a project cannot be tagged with another org or copied into it", async () => {
    await assertFails(
      updateDoc(doc(db("member"), "orgs/acme/projects/by-member"), projectChange({ orgId: "globex" })),
    );
    await assertFails(
      setDoc(doc(db("member"), "orgs/acme/projects/tagged"), newProject("member", { orgId: "globex" })),
    );
    const batch = writeBatch(db("member"));
    batch.delete(doc(db("member"), "orgs/acme/projects/by-member"));
    batch.set(doc(db("member"), "orgs/globex/projects/by-member"), newProject("member"));
    await assertFails(batch.commit());
    await assertSucceeds(getDoc(doc(db("member"), "orgs/acme/projects/by-member")));
  });
});

describe("forging authorship and timestamps", () => {
  it("create: createdBy must be the caller", async () => {
    await assertFails(setDoc(doc(db("member"), "orgs/acme/projects/forged"), newProject("owner")));
    await assertFails(
      setDoc(doc(db("member"), "orgs/acme/projects/forged"), newProject("member", { createdBy: null })),
    );
  });

  it("create: timestamps must be the server's request time", async () => {
    const clientTime = Timestamp.fromMillis(Date.now());
    await assertFails(
      setDoc(
        doc(db("member"), "orgs/acme/projects/backdated"),
        newProject("member", { createdAt: clientTime }),
      ),
    );
    await assertFails(
      setDoc(
        doc(db("member"), "orgs/acme/projects/backdated"),
        newProject("member", { updatedAt: clientTime }),
      ),
    );
  });

  it("update: createdBy and createdAt are immutable, even for the owner", async () => {
    await asAdmin((admin) => setDoc(doc(admin, "orgs/acme/projects/immutable"), projectDoc("member")));
    const ref = (actor: Actor) => doc(db(actor), "orgs/acme/projects/immutable");
    await assertFails(updateDoc(ref("member"), projectChange({ createdBy: "owner" })));
    await assertFails(updateDoc(ref("owner"), projectChange({ createdBy: "owner" })));
    await assertFails(updateDoc(ref("owner"), projectChange({ createdAt: Timestamp.fromMillis(0) })));
    await assertFails(
      updateDoc(ref("member"), { name: "no server time", updatedAt: Timestamp.fromMillis(0) }),
    );
    await assertFails(updateDoc(ref("member"), { name: "no updatedAt at all" }));
  });

  it("update: a creator demoted to viewer can no longer change their project", async () => {
    await assertFails(updateDoc(doc(db("viewer"), "orgs/acme/projects/by-viewer"), projectChange()));
    await assertFails(deleteDoc(doc(db("viewer"), "orgs/acme/projects/by-viewer")));
  });

  it("update: a former member who created a project cannot touch it", async () => {
    await assertFails(updateDoc(doc(db("stranger"), "orgs/acme/projects/by-stranger"), projectChange()));
    await assertFails(deleteDoc(doc(db("stranger"), "orgs/acme/projects/by-stranger")));
  });
});

describe("escalating one's own role", () => {
  it("nobody can raise their own role or mint a membership", async () => {
    await assertFails(updateDoc(doc(db("viewer"), "orgs/acme/members/viewer"), { role: "member" }));
    await assertFails(updateDoc(doc(db("member"), "orgs/acme/members/member"), { role: "owner" }));
    await assertFails(updateDoc(doc(db("admin"), "orgs/acme/members/admin"), { role: "owner" }));
    await assertFails(
      setDoc(doc(db("stranger"), "orgs/acme/members/stranger"), { uid: "stranger", role: "owner" }),
    );
    await assertFails(setDoc(doc(db("rival"), "orgs/acme/members/rival"), { uid: "rival", role: "viewer" }));
    await assertFails(updateDoc(doc(db("admin"), "orgs/acme/members/owner"), { role: "member" }));
  });

  it("nobody can claim an org through ownerUid", async () => {
    await assertFails(updateDoc(doc(db("admin"), "orgs/acme"), { ownerUid: "admin" }));
    await assertFails(updateDoc(doc(db("rival"), "orgs/acme"), { ownerUid: "rival" }));
  });
});

describe("server-only fields", () => {
  const serverFields: Record<string, unknown> = {
    plan: "team",
    billingStatus: "active",
    memberCount: 99,
    pendingInvites: 0,
    entitlements: { seats: 1000 },
    createdAt: Timestamp.fromMillis(0),
    deletedAt: Timestamp.fromMillis(1),
    ownerUid: "admin",
  };

  for (const [field, value] of Object.entries(serverFields)) {
    it(`org: the owner cannot write ${field}, alone or next to name`, async () => {
      await assertFails(updateDoc(doc(db("owner"), "orgs/acme"), { [field]: value }));
      await assertFails(updateDoc(doc(db("owner"), "orgs/acme"), { name: "Acme", [field]: value }));
    });
  }

  it("org: a new client field is refused", async () => {
    await assertFails(updateDoc(doc(db("owner"), "orgs/acme"), { stripeCustomerId: "cus_x" }));
  });

  it("users: email and createdAt are server-only, on update and on create", async () => {
    await assertFails(updateDoc(doc(db("member"), "users/member"), { email: "spoof@example.com" }));
    await assertFails(updateDoc(doc(db("member"), "users/member"), { createdAt: Timestamp.fromMillis(0) }));
    await assertFails(
      updateDoc(doc(db("member"), "users/member"), { displayName: "ok", email: "spoof@example.com" }),
    );
    await asAdmin((admin) => deleteDoc(doc(admin, "users/newbie")));
    const newbie = env.testEnv.authenticatedContext("newbie").firestore() as unknown as Firestore;
    await assertFails(setDoc(doc(newbie, "users/newbie"), { displayName: "N", email: "n@example.com" }));
    await assertSucceeds(setDoc(doc(newbie, "users/newbie"), { displayName: "N" }));
    await assertFails(setDoc(doc(newbie, "users/someone-else"), { displayName: "N" }));
  });

  it("usage, audit log, files, private billing: even the owner writes nothing", async () => {
    await assertFails(updateDoc(doc(db("owner"), "orgs/acme/usage/2026-01"), { aiCalls: 0 }));
    await assertFails(setDoc(doc(db("owner"), "orgs/acme/usage/2026-02"), { aiCalls: 0 }));
    await assertFails(updateDoc(doc(db("owner"), "orgs/acme/auditLog/a1"), { actor: "someone" }));
    await assertFails(deleteDoc(doc(db("owner"), "orgs/acme/files/f1")));
    await assertFails(updateDoc(doc(db("owner"), "orgs/acme/private/billing"), { seats: 100 }));
    await assertFails(getDoc(doc(db("owner"), "orgs/acme/private/billing")));
  });
});

describe("revocation takes effect on the next request", () => {
  it("a removed member is refused right after the membership document goes", async () => {
    await asAdmin((admin) =>
      setDoc(doc(admin, "orgs/acme/members/temp"), {
        uid: "temp",
        role: "admin",
        email: "temp@example.com",
        displayName: "temp",
        joinedAt: Timestamp.fromMillis(0),
        invitedBy: "owner",
      }),
    );
    const temp = env.testEnv.authenticatedContext("temp").firestore() as unknown as Firestore;
    await assertSucceeds(getDoc(doc(temp, "orgs/acme")));
    await assertSucceeds(getDocs(collection(temp, "orgs/acme/auditLog")));
    await asAdmin((admin) => updateDoc(doc(admin, "orgs/acme/members/temp"), { role: "viewer" }));
    await assertFails(getDocs(collection(temp, "orgs/acme/auditLog")));
    await assertSucceeds(getDoc(doc(temp, "orgs/acme")));
    await asAdmin((admin) => deleteDoc(doc(admin, "orgs/acme/members/temp")));
    await assertFails(getDoc(doc(temp, "orgs/acme")));
  });

  it("a membership with an unknown role grants nothing", async () => {
    await asAdmin((admin) => setDoc(doc(admin, "orgs/acme/members/odd"), { uid: "odd", role: "superuser" }));
    const odd = env.testEnv.authenticatedContext("odd").firestore() as unknown as Firestore;
    await assertFails(getDoc(doc(odd, "orgs/acme")));
  });

  it("custom claims grant nothing: a token claiming a role is still a stranger", async () => {
    const claimed = env.testEnv
      .authenticatedContext("stranger", { role: "owner", orgId: "acme", admin: true })
      .firestore() as unknown as Firestore;
    await assertFails(getDoc(doc(claimed, "orgs/acme")));
  });
});
