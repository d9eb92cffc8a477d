import { assertFails, assertSucceeds, initializeTestEnvironment } from "@firebase/rules-unit-testing";
import {
  addDoc,
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getCountFromServer,
  getDoc,
  getDocs,
  limit,
  onSnapshot,
  query,
  runTransaction,
  serverTimestamp,
  setDoc,
  updateDoc,
  where,
  writeBatch,
} from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RulesHarness, startRulesHarness } from "./support.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function signedIn() { return request.auth != null; }
    function memberPath(orgId) {
      return /databases/$(database)/documents/orgs/$(orgId)/members/$(request.auth.uid);
    }
    function isMember(orgId) { return signedIn() && exists(memberPath(orgId)); }
    function role(orgId) { return get(memberPath(orgId)).data.role; }

    match /orgs/{orgId} {
      allow read: if isMember(orgId);
      match /members/{uid} {
        allow read: if isMember(orgId);
      }
      match /projects/{projectId} {
        allow read: if isMember(orgId);
        allow create: if isMember(orgId) && role(orgId) in ['member', 'admin', 'owner']
          && request.resource.data.createdBy == request.auth.uid;
        allow update: if isMember(orgId) && resource.data.createdBy == request.auth.uid
          && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['name']);
        allow delete: if isMember(orgId) && role(orgId) in ['admin', 'owner'];
      }
    }
    match /posts/{postId} {
      allow get: if resource.data.visibility == 'public';
      allow list: if resource.data.visibility == 'public' && request.query.limit <= 20;
    }
    match /{path=**}/comments/{id} {
      allow read: if resource.data.published == true;
    }
    match /counters/{id} {
      allow create: if existsAfter(/databases/$(database)/documents/counterLogs/$(id))
        && getAfter(/databases/$(database)/documents/counterLogs/$(id)).data.n == request.resource.data.n;
    }
    match /counterLogs/{id} {
      allow create: if signedIn();
    }
    match /stamps/{id} {
      allow create: if request.resource.data.at == request.time;
    }
    match /teams/{teamId} {
      allow read: if request.auth.uid in resource.data.members;
    }
    match /users/{uid} {
      allow read, write: if request.auth.uid == uid && request.auth.token.email_verified == true;
    }
  }
}
`;

let h: RulesHarness;
beforeAll(async () => {
  h = await startRulesHarness(RULES);
});
afterAll(() => h?.stop());

const clients = new Map<string, ReturnType<RulesTestContextFirestore>>();
type RulesTestContextFirestore = () => ReturnType<
  ReturnType<RulesHarness["env"]["unauthenticatedContext"]>["firestore"]
>;

/** One client per user and claims, so documents and the transaction share a Firestore instance. */
function db(uid: string | null, token: Record<string, unknown> = {}) {
  const key = JSON.stringify([uid, token]);
  let client = clients.get(key);
  if (!client) {
    client = uid
      ? h.env.authenticatedContext(uid, token).firestore()
      : h.env.unauthenticatedContext().firestore();
    clients.set(key, client);
  }
  return client;
}

beforeEach(async () => {
  await h.env.clearFirestore();
  await h.env.withSecurityRulesDisabled(async (ctx) => {
    const admin = ctx.firestore();
    await setDoc(doc(admin, "orgs/acme"), { name: "Acme" });
    await setDoc(doc(admin, "orgs/acme/members/olga"), { role: "owner" });
    await setDoc(doc(admin, "orgs/acme/members/mia"), { role: "member" });
    await setDoc(doc(admin, "orgs/acme/members/vic"), { role: "viewer" });
    await setDoc(doc(admin, "orgs/acme/projects/p1"), { name: "One", createdBy: "mia" });
    await setDoc(doc(admin, "posts/pub"), { visibility: "public" });
    await setDoc(doc(admin, "posts/priv"), { visibility: "private" });
    await setDoc(doc(admin, "orgs/acme/projects/p1/comments/c1"), { published: true });
    await setDoc(doc(admin, "teams/red"), { members: ["mia", "vic"] });
  });
});

describe("rules-unit-testing against the Hearth emulator and rules engine", () => {
  it("get: members read, strangers and signed-out users are refused", async () => {
    await assertSucceeds(getDoc(doc(db("vic"), "orgs/acme")));
    await assertSucceeds(getDoc(doc(db("mia"), "orgs/acme/projects/p1")));
    await assertFails(getDoc(doc(db("stranger"), "orgs/acme")));
    await assertFails(getDoc(doc(db(null), "orgs/acme/projects/p1")));
  });

  it("list: Hearth's membership pattern allows a member's query on the org's projects", async () => {
    const snap = await assertSucceeds(getDocs(collection(db("vic"), "orgs/acme/projects")));
    expect(snap.docs.map((d) => d.id)).toEqual(["p1"]);
    await assertFails(getDocs(collection(db("stranger"), "orgs/acme/projects")));
    await assertSucceeds(getCountFromServer(collection(db("vic"), "orgs/acme/projects")));
    await assertFails(getCountFromServer(collection(db("stranger"), "orgs/acme/projects")));
  });

  it("rules are not filters: a query must carry the constraint the rule checks", async () => {
    const posts = collection(db(null), "posts");
    await assertFails(getDocs(query(posts, limit(5))));
    await assertSucceeds(getDocs(query(posts, where("visibility", "==", "public"), limit(5))));
    await assertFails(getDocs(query(posts, where("visibility", "==", "public"), limit(50))));
    await h.env.withSecurityRulesDisabled((ctx) => deleteDoc(doc(ctx.firestore(), "posts/priv")));
    // Every stored post is public now, yet the unconstrained query is still refused.
    await assertFails(getDocs(query(posts, limit(5))));
    await assertSucceeds(getDoc(doc(db(null), "posts/pub")));
  });

  it("collection-group queries are judged against recursive-wildcard rules", async () => {
    const comments = collectionGroup(db("anyone"), "comments");
    const snap = await assertSucceeds(getDocs(query(comments, where("published", "==", true))));
    expect(snap.size).toBe(1);
    await assertFails(getDocs(comments));
  });

  it("array-contains queries prove membership in a list field", async () => {
    const teams = collection(db("mia"), "teams");
    const snap = await assertSucceeds(getDocs(query(teams, where("members", "array-contains", "mia"))));
    expect(snap.docs.map((d) => d.id)).toEqual(["red"]);
    await assertFails(getDocs(query(teams, where("members", "array-contains", "vic"))));
    await assertFails(getDocs(teams));
  });

  it("listen targets are judged like reads: a refused query errors, an allowed one delivers", async () => {
    const teams = collection(db("mia"), "teams");
    const first = await new Promise<string[]>((resolve, reject) => {
      const stop = onSnapshot(
        query(teams, where("members", "array-contains", "mia")),
        (s) => {
          stop();
          resolve(s.docs.map((d) => d.id));
        },
        reject,
      );
    });
    expect(first).toEqual(["red"]);
    // The SDK may first raise a snapshot from its cache; only a server answer counts.
    const refused = await new Promise<unknown>((resolve) => {
      onSnapshot(teams, (s) => !s.metadata.fromCache && resolve("delivered"), resolve);
    });
    expect((refused as { code?: string }).code).toBe("permission-denied");
    const docRefused = await new Promise<unknown>((resolve) => {
      onSnapshot(
        doc(db("stranger"), "teams/red"),
        (s) => !s.metadata.fromCache && resolve("delivered"),
        resolve,
      );
    });
    expect((docRefused as { code?: string }).code).toBe("permission-denied");
  });

  it("create/update/delete: request.resource, request.time, resource.data and MapDiff", async () => {
    const projects = collection(db("mia"), "orgs/acme/projects");
    await assertSucceeds(
      setDoc(doc(projects, "p2"), { name: "Two", createdBy: "mia", createdAt: serverTimestamp() }),
    );
    await assertFails(
      setDoc(doc(projects, "p3"), { name: "Three", createdBy: "olga", createdAt: serverTimestamp() }),
    );
    await assertFails(
      addDoc(collection(db("vic"), "orgs/acme/projects"), {
        name: "V",
        createdBy: "vic",
        createdAt: serverTimestamp(),
      }),
    );
    await assertSucceeds(updateDoc(doc(projects, "p1"), { name: "Renamed" }));
    await assertFails(updateDoc(doc(projects, "p1"), { createdBy: "olga" }));
    await assertFails(updateDoc(doc(db("olga"), "orgs/acme/projects/p1"), { name: "Olga's" }));
    await assertFails(deleteDoc(doc(projects, "p1")));
    await assertSucceeds(deleteDoc(doc(db("olga"), "orgs/acme/projects/p1")));
  });

  it("a server timestamp equals request.time of its commit", async () => {
    await assertSucceeds(setDoc(doc(db("mia"), "stamps/s1"), { at: serverTimestamp() }));
    await assertFails(setDoc(doc(db("mia"), "stamps/s2"), { at: new Date(0) }));
  });

  it("batches: every write is judged and getAfter sees the whole batch", async () => {
    const alone = writeBatch(db("mia"));
    alone.set(doc(db("mia"), "counters/c1"), { n: 1 });
    await assertFails(alone.commit());
    const both = writeBatch(db("mia"));
    both.set(doc(db("mia"), "counterLogs/c1"), { n: 1 });
    both.set(doc(db("mia"), "counters/c1"), { n: 1 });
    await assertSucceeds(both.commit());
    const mismatch = writeBatch(db("mia"));
    mismatch.set(doc(db("mia"), "counterLogs/c2"), { n: 1 });
    mismatch.set(doc(db("mia"), "counters/c2"), { n: 2 });
    await assertFails(mismatch.commit());
  });

  it("transactions are judged like batches", async () => {
    await assertSucceeds(
      runTransaction(db("mia"), async (tx) => {
        await tx.get(doc(db("mia"), "orgs/acme/projects/p1"));
        tx.set(doc(db("mia"), "counterLogs/t1"), { n: 3 });
        tx.set(doc(db("mia"), "counters/t1"), { n: 3 });
      }),
    );
    await assertFails(
      runTransaction(db("stranger"), async (tx) => {
        await tx.get(doc(db("stranger"), "orgs/acme"));
      }),
    );
  });

  it("token claims reach request.auth.token", async () => {
    await assertSucceeds(setDoc(doc(db("u1", { email_verified: true }), "users/u1"), { a: 1 }));
    await assertFails(setDoc(doc(db("u1", { email_verified: false }), "users/u1"), { a: 1 }));
    await assertFails(setDoc(doc(db("u2", { email_verified: true }), "users/u1"), { a: 1 }));
  });

  it("a denial reaches the client as permission-denied with the rule's position", async () => {
    const err = await getDoc(doc(db("stranger"), "orgs/acme")).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("permission-denied");
    expect(String((err as Error).message)).toMatch(/false for 'get' @ L12/);
  });

  it("withSecurityRulesDisabled bypasses the rules and clearFirestore empties the project", async () => {
    await h.env.withSecurityRulesDisabled(async (ctx) => {
      await setDoc(doc(ctx.firestore(), "anything/x"), { ok: true });
      expect((await getDoc(doc(ctx.firestore(), "anything/x"))).data()).toEqual({ ok: true });
    });
    await assertFails(getDoc(doc(db("olga"), "anything/x")));
    await h.env.clearFirestore();
    await h.env.withSecurityRulesDisabled(async (ctx) => {
      expect((await getDoc(doc(ctx.firestore(), "orgs/acme"))).exists()).toBe(false);
    });
  });

  it("rules that do not compile are refused with file, line and column, and the old rules stay", async () => {
    const broken =
      "rules_version = '2';\nservice cloud.firestore {\n  match /databases/{db}/documents {\n    allow read: if ;\n  }\n}";
    await expect(
      initializeTestEnvironment({
        projectId: `${h.projectId}-x`,
        firestore: { host: h.host, port: h.port, rules: broken },
      }),
    ).rejects.toThrow(/firestore\.rules:4:20: error: Unexpected ';'/);
    const res = await fetch(`http://${h.host}:${h.port}/emulator/v1/projects/${h.projectId}:securityRules`, {
      method: "PUT",
      body: JSON.stringify({
        rules: {
          files: [{ content: "service cloud.firestore { match /{x=**} { allow read: if nope(); } }" }],
        },
      }),
    });
    expect(res.ok).toBe(false);
    expect(await res.text()).toMatch(/firestore\.rules:1:58: error: Function not found: 'nope'/);
    await assertFails(getDoc(doc(db("stranger"), "orgs/acme")));
    await assertSucceeds(getDoc(doc(db("vic"), "orgs/acme")));
  });
});
