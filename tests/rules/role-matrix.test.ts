import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  query,
  setDoc,
  updateDoc,
  where,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type RulesEnv, startRulesEnv } from "./support/env.js";
import { newProject, projectChange } from "./support/payloads.js";
import { type Actor, dbFor, ownerUidFor, projectDoc, seedWorld } from "./support/world.js";

/**
 * Every cell of DESIGN.md's role matrix, for each role, a signed-in non-member (`stranger`) and a
 * signed-out user (`anonymous`): each operation lists who may do it and every other actor must be
 * refused. The org is acme (live); soft-deleted orgs have their own block at the end.
 */
const MATRIX_ACTORS = [
  "owner",
  "admin",
  "member",
  "viewer",
  "stranger",
  "anonymous",
] as const satisfies Actor[];
type MatrixActor = (typeof MATRIX_ACTORS)[number];

const VIEWER_UP: MatrixActor[] = ["owner", "admin", "member", "viewer"];
const MEMBER_UP: MatrixActor[] = ["owner", "admin", "member"];
const ADMIN_UP: MatrixActor[] = ["owner", "admin"];
const SIGNED_IN: MatrixActor[] = ["owner", "admin", "member", "viewer", "stranger"];
const NOBODY: MatrixActor[] = [];

interface Operation {
  name: string;
  allowed: MatrixActor[];
  /** Runs with rules disabled before the request, to put in place what the request acts on. */
  setup?: (admin: Firestore, actor: MatrixActor) => Promise<void>;
  run: (db: Firestore, actor: MatrixActor) => Promise<unknown>;
}

/** Someone other than the actor, whose project counts as "any project" for the actor. */
const otherThan = (actor: MatrixActor) => (actor === "owner" ? "member" : "owner");

const OPS: Record<string, Operation[]> = {
  "read org, members, projects, usage, files": [
    { name: "get the org", allowed: VIEWER_UP, run: (db) => getDoc(doc(db, "orgs/acme")) },
    {
      name: "list the members",
      allowed: VIEWER_UP,
      run: (db) => getDocs(collection(db, "orgs/acme/members")),
    },
    {
      name: "get another member",
      allowed: VIEWER_UP,
      run: (db) => getDoc(doc(db, "orgs/acme/members/owner")),
    },
    {
      name: "get one's own membership (a missing one reads as absent)",
      allowed: SIGNED_IN,
      run: (db, actor) => getDoc(doc(db, `orgs/acme/members/${actor}`)),
    },
    {
      name: "list one's own memberships across orgs",
      allowed: SIGNED_IN,
      run: (db, actor) => getDocs(query(collectionGroup(db, "members"), where("uid", "==", actor))),
    },
    {
      name: "get a project",
      allowed: VIEWER_UP,
      run: (db) => getDoc(doc(db, "orgs/acme/projects/by-owner")),
    },
    { name: "list projects", allowed: VIEWER_UP, run: (db) => getDocs(collection(db, "orgs/acme/projects")) },
    {
      name: "list active projects",
      allowed: VIEWER_UP,
      run: (db) => getDocs(query(collection(db, "orgs/acme/projects"), where("status", "==", "active"))),
    },
    {
      name: "get the month's usage",
      allowed: VIEWER_UP,
      run: (db) => getDoc(doc(db, "orgs/acme/usage/2026-01")),
    },
    {
      name: "list usage periods",
      allowed: VIEWER_UP,
      run: (db) => getDocs(collection(db, "orgs/acme/usage")),
    },
    {
      name: "list usage shards",
      allowed: VIEWER_UP,
      run: (db) => getDocs(collection(db, "orgs/acme/usage/2026-01/shards")),
    },
    {
      name: "get another user's usage counter",
      allowed: VIEWER_UP,
      run: (db) => getDoc(doc(db, "orgs/acme/usage/2026-01/users/member")),
    },
    { name: "get a file record", allowed: VIEWER_UP, run: (db) => getDoc(doc(db, "orgs/acme/files/f1")) },
    {
      name: "list file records",
      allowed: VIEWER_UP,
      run: (db) => getDocs(collection(db, "orgs/acme/files")),
    },
  ],
  "create projects": [
    {
      name: "create a valid project",
      allowed: MEMBER_UP,
      run: (db, actor) => setDoc(doc(db, `orgs/acme/projects/new-${actor}`), newProject(actor)),
    },
  ],
  "update/delete own project": [
    {
      name: "update own project",
      allowed: MEMBER_UP,
      setup: (admin, actor) => setDoc(doc(admin, `orgs/acme/projects/upd-own-${actor}`), projectDoc(actor)),
      run: (db, actor) => updateDoc(doc(db, `orgs/acme/projects/upd-own-${actor}`), projectChange()),
    },
    {
      name: "archive own project",
      allowed: MEMBER_UP,
      setup: (admin, actor) => setDoc(doc(admin, `orgs/acme/projects/arc-own-${actor}`), projectDoc(actor)),
      run: (db, actor) =>
        updateDoc(doc(db, `orgs/acme/projects/arc-own-${actor}`), projectChange({ status: "archived" })),
    },
    {
      name: "delete own project",
      allowed: MEMBER_UP,
      setup: (admin, actor) => setDoc(doc(admin, `orgs/acme/projects/del-own-${actor}`), projectDoc(actor)),
      run: (db, actor) => deleteDoc(doc(db, `orgs/acme/projects/del-own-${actor}`)),
    },
  ],
  "update/delete any project, update org name/settings": [
    {
      name: "update another's project",
      allowed: ADMIN_UP,
      setup: (admin, actor) =>
        setDoc(doc(admin, `orgs/acme/projects/upd-any-${actor}`), projectDoc(otherThan(actor))),
      run: (db, actor) => updateDoc(doc(db, `orgs/acme/projects/upd-any-${actor}`), projectChange()),
    },
    {
      name: "delete another's project",
      allowed: ADMIN_UP,
      setup: (admin, actor) =>
        setDoc(doc(admin, `orgs/acme/projects/del-any-${actor}`), projectDoc(otherThan(actor))),
      run: (db, actor) => deleteDoc(doc(db, `orgs/acme/projects/del-any-${actor}`)),
    },
    {
      name: "rename the org",
      allowed: ADMIN_UP,
      run: (db, actor) => updateDoc(doc(db, "orgs/acme"), { name: `acme by ${actor}` }),
    },
    {
      name: "change org settings",
      allowed: ADMIN_UP,
      run: (db, actor) => updateDoc(doc(db, "orgs/acme"), { settings: { theme: "dark", by: actor } }),
    },
  ],
  "invite, revoke invite, remove/re-role member or viewer, read audit log": [
    { name: "list invites", allowed: ADMIN_UP, run: (db) => getDocs(collection(db, "orgs/acme/invites")) },
    { name: "get an invite", allowed: ADMIN_UP, run: (db) => getDoc(doc(db, "orgs/acme/invites/inv1")) },
    {
      name: "list the audit log",
      allowed: ADMIN_UP,
      run: (db) => getDocs(collection(db, "orgs/acme/auditLog")),
    },
    { name: "get an audit entry", allowed: ADMIN_UP, run: (db) => getDoc(doc(db, "orgs/acme/auditLog/a1")) },
    {
      name: "create an invite directly (callables only)",
      allowed: NOBODY,
      run: (db, actor) =>
        setDoc(doc(db, `orgs/acme/invites/by-${actor}`), {
          email: "x@example.com",
          role: "member",
          tokenHash: "00",
          status: "pending",
        }),
    },
    {
      name: "revoke an invite directly (callables only)",
      allowed: NOBODY,
      run: (db) => updateDoc(doc(db, "orgs/acme/invites/inv1"), { status: "revoked" }),
    },
    {
      name: "re-role a member directly (callables only)",
      allowed: NOBODY,
      run: (db) => updateDoc(doc(db, "orgs/acme/members/viewer"), { role: "member" }),
    },
    {
      name: "remove a member directly (callables only)",
      allowed: NOBODY,
      run: (db) => deleteDoc(doc(db, "orgs/acme/members/viewer")),
    },
    {
      name: "add a member directly (callables only)",
      allowed: NOBODY,
      run: (db) => setDoc(doc(db, "orgs/acme/members/newcomer"), { uid: "newcomer", role: "viewer" }),
    },
  ],
  "make or remove admins, transfer ownership, delete org, billing": [
    {
      name: "make a member admin directly",
      allowed: NOBODY,
      run: (db) => updateDoc(doc(db, "orgs/acme/members/member"), { role: "admin" }),
    },
    {
      name: "transfer ownership directly",
      allowed: NOBODY,
      run: (db) => updateDoc(doc(db, "orgs/acme"), { ownerUid: "admin" }),
    },
    { name: "delete the org document", allowed: NOBODY, run: (db) => deleteDoc(doc(db, "orgs/acme")) },
    {
      name: "soft-delete the org directly",
      allowed: NOBODY,
      run: (db) => updateDoc(doc(db, "orgs/acme"), { deletedAt: new Date() }),
    },
    {
      name: "change the plan directly",
      allowed: NOBODY,
      run: (db) => updateDoc(doc(db, "orgs/acme"), { plan: "team" }),
    },
    {
      name: "read private billing",
      allowed: NOBODY,
      run: (db) => getDoc(doc(db, "orgs/acme/private/billing")),
    },
    {
      name: "list private documents",
      allowed: NOBODY,
      run: (db) => getDocs(collection(db, "orgs/acme/private")),
    },
    {
      name: "write private billing",
      allowed: NOBODY,
      run: (db) => setDoc(doc(db, "orgs/acme/private/billing"), { stripeCustomerId: "cus_mine" }),
    },
  ],
  "server-only org data": [
    {
      name: "write usage",
      allowed: NOBODY,
      run: (db) => setDoc(doc(db, "orgs/acme/usage/2026-01"), { aiCalls: 0 }),
    },
    {
      name: "write a usage shard",
      allowed: NOBODY,
      run: (db) => setDoc(doc(db, "orgs/acme/usage/2026-01/shards/9"), { aiCalls: 0 }),
    },
    {
      name: "write an audit entry",
      allowed: NOBODY,
      run: (db, actor) => setDoc(doc(db, `orgs/acme/auditLog/by-${actor}`), { actor, action: "x" }),
    },
    {
      name: "erase an audit entry",
      allowed: NOBODY,
      run: (db) => deleteDoc(doc(db, "orgs/acme/auditLog/a1")),
    },
    {
      name: "write a file record",
      allowed: NOBODY,
      run: (db, actor) => setDoc(doc(db, `orgs/acme/files/by-${actor}`), { uploadedBy: actor, size: 1 }),
    },
    { name: "list all orgs", allowed: NOBODY, run: (db) => getDocs(collection(db, "orgs")) },
    {
      name: "create an org directly (createOrg only)",
      allowed: NOBODY,
      run: (db, actor) => setDoc(doc(db, `orgs/new-${actor}`), { name: "mine", ownerUid: actor }),
    },
  ],
  "users/{uid}": [
    {
      name: "get one's own profile",
      allowed: SIGNED_IN,
      run: (db, actor) => getDoc(doc(db, `users/${actor}`)),
    },
    {
      name: "get another's profile",
      allowed: NOBODY,
      run: (db, actor) => getDoc(doc(db, `users/${otherThan(actor)}`)),
    },
    { name: "list users", allowed: NOBODY, run: (db) => getDocs(collection(db, "users")) },
    {
      name: "update one's own displayName and photoURL",
      allowed: SIGNED_IN,
      run: (db, actor) =>
        updateDoc(doc(db, `users/${ownerUidFor(actor)}`), {
          displayName: `${actor} B`,
          photoURL: "https://img.test/a.png",
        }),
    },
    {
      name: "create one's own profile with profile fields",
      allowed: SIGNED_IN,
      setup: (admin, actor) => deleteDoc(doc(admin, `users/${actor}`)),
      run: (db, actor) => setDoc(doc(db, `users/${actor}`), { displayName: actor, photoURL: null }),
    },
    {
      name: "change one's own email",
      allowed: NOBODY,
      run: (db, actor) => updateDoc(doc(db, `users/${ownerUidFor(actor)}`), { email: "new@example.com" }),
    },
    {
      name: "delete one's own profile (deleteMyAccount only)",
      allowed: NOBODY,
      run: (db, actor) => deleteDoc(doc(db, `users/${actor}`)),
    },
  ],
  "server bookkeeping": [
    "stripeEvents/evt_1",
    "aiCache/h1",
    "rateLimits/k1",
    "jobRuns/j1",
    "mail/m1",
    "aiReservations/r1",
    // The abuse limits and the free AI allowance: not even the account or org they are about may touch them.
    "accountLimits/owner",
    "orgLimits/acme",
    "freeAiUsage/2026-12_owner",
  ].flatMap((path): Operation[] => [
    { name: `get ${path}`, allowed: NOBODY, run: (db) => getDoc(doc(db, path)) },
    {
      name: `list ${path.split("/")[0]}`,
      allowed: NOBODY,
      run: (db) => getDocs(collection(db, path.split("/")[0]!)),
    },
    { name: `write ${path}`, allowed: NOBODY, run: (db) => setDoc(doc(db, path), { forged: true }) },
  ]),
  "soft-deleted org (read-only)": [
    { name: "get the deleted org", allowed: VIEWER_UP, run: (db) => getDoc(doc(db, "orgs/defunct")) },
    {
      name: "list its projects",
      allowed: VIEWER_UP,
      run: (db) => getDocs(collection(db, "orgs/defunct/projects")),
    },
    {
      name: "rename it",
      allowed: NOBODY,
      run: (db) => updateDoc(doc(db, "orgs/defunct"), { name: "revived" }),
    },
    {
      name: "create a project in it",
      allowed: NOBODY,
      run: (db, actor) => setDoc(doc(db, `orgs/defunct/projects/new-${actor}`), newProject(actor)),
    },
    {
      name: "update own project in it",
      allowed: NOBODY,
      run: (db, actor) =>
        updateDoc(doc(db, `orgs/defunct/projects/by-${ownerUidFor(actor)}`), projectChange()),
    },
    {
      name: "delete own project in it",
      allowed: NOBODY,
      run: (db, actor) => deleteDoc(doc(db, `orgs/defunct/projects/by-${ownerUidFor(actor)}`)),
    },
  ],
};

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv();
  await seedWorld(env.testEnv);
});
afterAll(() => env?.stop());

// Each request acts on its own documents, so the cells run concurrently; the profile cell reads and
// recreates the same users/{uid} documents in turn, so it runs in order.
const SEQUENTIAL_CELLS = new Set(["users/{uid}"]);

for (const [cell, ops] of Object.entries(OPS)) {
  (SEQUENTIAL_CELLS.has(cell) ? describe : describe.concurrent)(cell, () => {
    for (const op of ops) {
      for (const actor of MATRIX_ACTORS) {
        const allowed = op.allowed.includes(actor);
        it(`${op.name}: ${actor} ${allowed ? "allowed" : "refused"}`, async () => {
          const setup = op.setup;
          if (setup) {
            await env.testEnv.withSecurityRulesDisabled((ctx) =>
              setup(ctx.firestore() as unknown as Firestore, actor),
            );
          }
          const request = op.run(dbFor(env.testEnv, actor), actor);
          await (allowed ? assertSucceeds(request) : assertFails(request));
        });
      }
    }
  });
}
