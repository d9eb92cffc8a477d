import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { silentLogger, startEmulator } from "@hearth/emulator";
import type { PlanId, Role } from "@hearth/schema";
import firebaseFunctionsTest from "firebase-functions-test";
import { expect } from "vitest";
import { createRulesGate } from "../../../emulator/src/rules/index.js";
import { getPlan } from "../../../functions/src/billing/plans.js";
import { db as adminDb } from "../../../functions/src/lib/firestore.js";

/**
 * One Hearth emulator per test file with the repo's firestore.rules loaded: functions code reaches it
 * through firebase-admin (admin requests bypass rules), frontends through rules-unit-testing's JS SDK
 * contexts (rules apply). The environment is set before any functions code touches Firestore, since
 * lib/firestore.ts initialises lazily.
 */
export type Firestore = ReturnType<typeof adminDb>;

const RULES = readFileSync(new URL("../../../firestore.rules", import.meta.url), "utf8");

export interface OrgsTestEnv {
  db: Firestore;
  fft: ReturnType<typeof firebaseFunctionsTest>;
  rules: RulesTestEnvironment;
  stop(): Promise<void>;
}

export async function startOrgsTestEnv(): Promise<OrgsTestEnv> {
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    gate: createRulesGate(),
    // The org purge deletes the org's objects from the default bucket.
    storage: { port: 0 },
  });
  const projectId = `demo-${randomBytes(6).toString("hex")}`;
  process.env.FIRESTORE_EMULATOR_HOST = `${emulator.host}:${emulator.port}`;
  process.env.FIREBASE_STORAGE_EMULATOR_HOST = `${emulator.host}:${emulator.storagePort}`;
  process.env.GCLOUD_PROJECT = projectId;
  process.env.APP_URL = "https://app.example.test";
  // Sets FIREBASE_CONFIG, where firebase-admin finds the default bucket.
  const fft = firebaseFunctionsTest({ projectId, storageBucket: `${projectId}.appspot.com` });
  const rules = await initializeTestEnvironment({
    projectId,
    firestore: { host: emulator.host, port: emulator.port, rules: RULES },
  });
  return {
    db: adminDb(),
    fft,
    rules,
    stop: async () => {
      fft.cleanup();
      await rules.cleanup();
      await emulator.stop();
    },
  };
}

export function newId(prefix: string): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

/** A signed-in caller as the callable protocol hands it to a function. */
export function user(uid: string, opts: { email?: string | null; verified?: boolean } = {}) {
  const email = opts.email === undefined ? `${uid}@example.com` : opts.email;
  const token: Record<string, unknown> = { uid, email_verified: opts.verified ?? true };
  if (email) token.email = email;
  return { uid, token };
}

/** Invokes a wrapped callable as `auth` (or signed out with null). */
export function call<T = unknown>(
  wrapped: (req: never) => unknown,
  data: unknown,
  auth: ReturnType<typeof user> | null,
): Promise<T> {
  return Promise.resolve(wrapped({ data, ...(auth ? { auth } : {}) } as never)) as Promise<T>;
}

/** Asserts a callable failed with the HttpsError `code` (and `reason` in its details, when given). */
export async function expectFailure(promise: Promise<unknown>, code: string, reason?: string) {
  const err = await promise.then(
    () => {
      throw new Error(`expected ${code}${reason ? `/${reason}` : ""}, but the call succeeded`);
    },
    (e: { code?: string; details?: { reason?: string; fields?: Record<string, string> } }) => e,
  );
  expect(err.code).toBe(code);
  if (reason) expect(err.details?.reason).toBe(reason);
  return err;
}

/** The field names an invalid-argument error reports. */
export async function expectInvalid(promise: Promise<unknown>, fields: string[]) {
  const err = await expectFailure(promise, "invalid-argument", "validation");
  expect(Object.keys(err.details?.fields ?? {}).sort()).toEqual([...fields].sort());
}

/**
 * Seeds a live org directly (the shape createOrg writes) with members `roles`; returns its id. Used
 * where a test is about another callable and needs a ready org with several roles.
 */
export async function seedOrg(
  db: Firestore,
  roles: Record<string, Role>,
  opts: { seats?: number; pendingInvites?: number; plan?: PlanId } = {},
): Promise<string> {
  const orgId = newId("org");
  const plan = getPlan(opts.plan ?? "free");
  const batch = db.batch();
  const owner = Object.keys(roles).find((uid) => roles[uid] === "owner")!;
  batch.set(db.doc(`orgs/${orgId}`), {
    name: "Seeded org",
    settings: {},
    ownerUid: owner,
    plan: plan.id,
    entitlements: { ...plan.entitlements, seats: opts.seats ?? 10 },
    billingStatus: "none",
    memberCount: Object.keys(roles).length,
    pendingInvites: opts.pendingInvites ?? 0,
    createdAt: new Date(),
    deletedAt: null,
  });
  // Members join a minute apart, in the order given, so "longest-standing" is well defined.
  const start = Date.UTC(2026, 0, 1);
  for (const [i, [uid, role]] of Object.entries(roles).entries()) {
    batch.set(db.doc(`orgs/${orgId}/members/${uid}`), {
      uid,
      role,
      email: `${uid}@example.com`,
      displayName: null,
      joinedAt: new Date(start + i * 60_000),
      invitedBy: role === "owner" ? null : owner,
    });
  }
  await batch.commit();
  return orgId;
}

/** Audit entries of an org, oldest first. */
export async function auditOf(db: Firestore, orgId: string) {
  const snap = await db.collection(`orgs/${orgId}/auditLog`).orderBy("at").get();
  return snap.docs.map(
    (d) => d.data() as { actor: string; action: string; target: string; before: unknown; after: unknown },
  );
}
