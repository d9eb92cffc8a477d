import type { RulesTestEnvironment } from "@firebase/rules-unit-testing";
import type { Role } from "@hearth/schema";
import { doc, type Firestore, Timestamp, writeBatch } from "firebase/firestore";

/**
 * The fixed world every rules suite starts from. `acme` and `globex` are live orgs and `defunct` is
 * soft-deleted. The four role holders have their role in acme and defunct; `rival` owns globex; the
 * `stranger` is signed in and belongs to no org; `anonymous` is signed out.
 */
export const ORGS = ["acme", "globex", "defunct"] as const;
export type OrgId = (typeof ORGS)[number];

export const ACTORS = ["owner", "admin", "member", "viewer", "stranger", "rival", "anonymous"] as const;
export type Actor = (typeof ACTORS)[number];

export const MEMBERSHIPS: Record<OrgId, Partial<Record<Actor, Role>>> = {
  acme: { owner: "owner", admin: "admin", member: "member", viewer: "viewer" },
  defunct: { owner: "owner", admin: "admin", member: "member", viewer: "viewer" },
  globex: { rival: "owner" },
};

export function roleOf(actor: Actor, orgId: OrgId): Role | null {
  return MEMBERSHIPS[orgId][actor] ?? null;
}

/** uid of an actor; the signed-out actor has none. */
export function uidOf(actor: Actor): string | null {
  return actor === "anonymous" ? null : actor;
}

const clients = new WeakMap<RulesTestEnvironment, Map<Actor, Firestore>>();

/** A signed-in or signed-out client Firestore for the actor, one per test environment and actor. */
export function dbFor(testEnv: RulesTestEnvironment, actor: Actor): Firestore {
  let byActor = clients.get(testEnv);
  if (!byActor) {
    byActor = new Map();
    clients.set(testEnv, byActor);
  }
  let db = byActor.get(actor);
  if (!db) {
    const uid = uidOf(actor);
    const context = uid
      ? testEnv.authenticatedContext(uid, { email: `${uid}@example.com` })
      : testEnv.unauthenticatedContext();
    db = context.firestore() as unknown as Firestore;
    byActor.set(actor, db);
  }
  return db;
}

/** The uid whose "own" documents a request targets; the signed-out user aims at a real user's. */
export function ownerUidFor(actor: Actor): string {
  return uidOf(actor) ?? "stranger";
}

export const at = (millis: number) => Timestamp.fromMillis(millis);
export const T0 = Date.UTC(2026, 0, 1);

export function orgDoc(orgId: OrgId) {
  const ownerUid = orgId === "globex" ? "rival" : "owner";
  return {
    name: `${orgId} inc`,
    settings: { theme: "light" },
    ownerUid,
    plan: "free",
    entitlements: {
      seats: 10,
      projects: 50,
      storageBytes: 1_000_000,
      aiCallsPerMonth: { soft: 80, hard: 100 },
      aiCostMicrosPerMonth: { soft: 1_000_000, hard: 2_000_000 },
      aiModels: ["gpt-4o-mini"],
      aiCallsPerMinutePerUser: 5,
    },
    billingStatus: "none",
    memberCount: Object.keys(MEMBERSHIPS[orgId]).length,
    pendingInvites: 1,
    createdAt: at(T0),
    deletedAt: orgId === "defunct" ? at(T0 + 1000) : null,
  };
}

export function projectDoc(createdBy: string) {
  return {
    name: `made by ${createdBy}`,
    description: "",
    status: "active",
    createdBy,
    createdAt: at(T0),
    updatedAt: at(T0),
  };
}

/** Projects seeded in every org: one created by each actor with a uid (former members included). */
export function seededProjectId(creator: Actor): string {
  return `by-${creator}`;
}

/** Writes the world with rules disabled. */
export async function seedWorld(testEnv: RulesTestEnvironment): Promise<void> {
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore() as unknown as Firestore;
    const batch = writeBatch(db);
    for (const orgId of ORGS) {
      const org = `orgs/${orgId}`;
      batch.set(doc(db, org), orgDoc(orgId));
      for (const [actor, role] of Object.entries(MEMBERSHIPS[orgId])) {
        batch.set(doc(db, `${org}/members/${actor}`), {
          uid: actor,
          role,
          email: `${actor}@example.com`,
          displayName: actor,
          joinedAt: at(T0),
          invitedBy: role === "owner" ? null : "owner",
        });
      }
      batch.set(doc(db, `${org}/invites/inv1`), {
        email: "newbie@example.com",
        role: "member",
        tokenHash: "ab".repeat(32),
        status: "pending",
        expiresAt: at(T0 + 7 * 86_400_000),
        invitedBy: "owner",
        createdAt: at(T0),
      });
      for (const actor of ACTORS) {
        if (actor !== "anonymous")
          batch.set(doc(db, `${org}/projects/${seededProjectId(actor)}`), projectDoc(actor));
      }
      batch.set(doc(db, `${org}/usage/2026-01`), { aiCalls: 3, aiCostMicros: 100 });
      batch.set(doc(db, `${org}/usage/2026-01/shards/0`), { aiCalls: 3 });
      batch.set(doc(db, `${org}/usage/2026-01/users/member`), { aiCalls: 2 });
      batch.set(doc(db, `${org}/auditLog/a1`), {
        actor: "owner",
        action: "org.created",
        target: org,
        before: null,
        after: { name: `${orgId} inc` },
        at: at(T0),
      });
      batch.set(doc(db, `${org}/files/f1`), {
        storagePath: `${org}/files/f1`,
        size: 10,
        contentType: "text/plain",
        uploadedBy: "member",
        createdAt: at(T0),
      });
      batch.set(doc(db, `${org}/private/billing`), {
        stripeCustomerId: "cus_secret",
        subscriptionId: null,
        priceId: null,
        status: "none",
        currentPeriodEnd: null,
        cancelAtPeriodEnd: false,
        seats: 1,
        lastEventAt: null,
      });
    }
    for (const actor of ACTORS) {
      if (actor === "anonymous") continue;
      batch.set(doc(db, `users/${actor}`), {
        displayName: actor,
        photoURL: null,
        email: `${actor}@example.com`,
        createdAt: at(T0),
      });
    }
    batch.set(doc(db, "stripeEvents/evt_1"), { type: "invoice.paid", status: "processed" });
    batch.set(doc(db, "aiCache/h1"), { text: "cached" });
    batch.set(doc(db, "rateLimits/k1"), { count: 1 });
    batch.set(doc(db, "jobRuns/j1"), { job: "expireInvites", status: "succeeded" });
    batch.set(doc(db, "mail/m1"), { to: "x@example.com", message: { subject: "hi" } });
    batch.set(doc(db, "aiReservations/r1"), { orgId: "acme", staleAt: at(T0) });
    batch.set(doc(db, "accountLimits/owner"), { mail: [T0], expiresAt: at(T0) });
    batch.set(doc(db, "orgLimits/acme"), { mail: [T0], expiresAt: at(T0) });
    batch.set(doc(db, "freeAiUsage/2026-12_owner"), { owner: "owner", calls: 1, expiresAt: at(T0) });
    await batch.commit();
  });
}
