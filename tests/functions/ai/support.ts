import { randomBytes } from "node:crypto";
import type { Entitlements, Role } from "@hearth/schema";
import firebaseFunctionsTest from "firebase-functions-test";
import { getPlan } from "../../../functions/src/billing/plans.js";
import type { db as adminDb } from "../../../functions/src/lib/firestore.js";
import { type FakeAiProvider, startFakeAiProvider } from "../../fakes/ai-provider/index.js";
import { startTestEmulator } from "../../support/emulator.js";

/**
 * One emulator, one fake AI provider and firebase-functions-test per test file. The environment (emulator
 * host, project, AI params) is set before any functions code touches Firestore, since lib/firestore.ts
 * initialises lazily on first use. Documents are written through that same Admin client (functions has its
 * own firebase-admin copy), with Dates for timestamps.
 */
type Firestore = ReturnType<typeof adminDb>;

export interface AiTestEnv {
  db: Firestore;
  fake: FakeAiProvider;
  fft: ReturnType<typeof firebaseFunctionsTest>;
  projectId: string;
  stop(): Promise<void>;
}

export const TEST_PARAMS = {
  AI_PROVIDER: "fake",
  // Generous: under a loaded CI machine a cold provider SDK import alone can take seconds. Tests of the
  // timeout itself set their own.
  AI_TIMEOUT_MS: "15000",
  AI_MAX_OUTPUT_TOKENS: "256",
  AI_CACHE_TTL_SECONDS: "3600",
  ENFORCE_APP_CHECK: "false",
} as const;

export async function startAiTestEnv(): Promise<AiTestEnv> {
  const emulator = await startTestEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = `${emulator.host}:${emulator.port}`;
  process.env.GCLOUD_PROJECT = emulator.projectId;
  // No Google metadata server exists here; probing for one only adds seconds to the first request.
  process.env.METADATA_SERVER_DETECTION = "none";
  const fake = await startFakeAiProvider();
  Object.assign(process.env, TEST_PARAMS, { AI_BASE_URL: fake.openAiBaseUrl });
  const fft = firebaseFunctionsTest({ projectId: emulator.projectId });
  const { db } = await import("../../../functions/src/lib/firestore.js");
  return {
    db: db(),
    fake,
    fft,
    projectId: emulator.projectId,
    stop: async () => {
      fft.cleanup();
      await fake.stop();
      await emulator.stop();
    },
  };
}

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

export interface SeedOptions {
  members?: Record<string, Role>;
  entitlements?: Partial<Entitlements>;
  deleted?: boolean;
}

/** A live org on the free plan's entitlements, overridable; returns its id. */
export async function seedOrg(db: Firestore, opts: SeedOptions = {}): Promise<string> {
  const orgId = newId("org");
  const members = opts.members ?? { owner: "owner" };
  const batch = db.batch();
  batch.set(db.doc(`orgs/${orgId}`), {
    name: "Test org",
    settings: {},
    ownerUid: Object.keys(members).find((uid) => members[uid] === "owner") ?? "owner",
    plan: "free",
    entitlements: {
      ...getPlan("free").entitlements,
      aiModels: ["gpt-4o-mini", "gpt-4o"],
      ...opts.entitlements,
    },
    billingStatus: "none",
    memberCount: Object.keys(members).length,
    pendingInvites: 0,
    createdAt: new Date(),
    deletedAt: opts.deleted ? new Date() : null,
  });
  for (const [uid, role] of Object.entries(members)) {
    batch.set(db.doc(`orgs/${orgId}/members/${uid}`), {
      uid,
      role,
      email: `${uid}@example.com`,
      displayName: null,
      joinedAt: new Date(),
      invitedBy: null,
    });
  }
  await batch.commit();
  return orgId;
}

/** The callable request firebase-functions-test hands to the function. */
export function callAs(
  uid: string | null,
  data: unknown,
  extra: { app?: { appId: string; token: object; alreadyConsumed?: boolean } } = {},
) {
  const auth = uid ? { uid, token: { uid, email: `${uid}@example.com`, email_verified: true } } : undefined;
  return { data, auth, ...extra } as never;
}

/** The org's counters for the month, summed over shards, and its open reservations. */
export async function usageOf(db: Firestore, orgId: string, period: string) {
  const shards = await db.collection(`orgs/${orgId}/usage/${period}/shards`).get();
  const sum = (field: string) =>
    shards.docs.reduce((n, d) => n + ((d.get(field) as number | undefined) ?? 0), 0);
  const open = await db.collection("aiReservations").where("orgId", "==", orgId).get();
  return {
    calls: sum("calls"),
    inputTokens: sum("inputTokens"),
    outputTokens: sum("outputTokens"),
    costMicros: sum("costMicros"),
    reservedCalls: sum("reservedCalls"),
    reservedCostMicros: sum("reservedCostMicros"),
    allotCalls: sum("allotCalls"),
    openReservations: open.size,
  };
}
