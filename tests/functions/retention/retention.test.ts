import {
  AccountLimitsDoc,
  AiReservationDoc,
  FreeAiUsageDoc,
  JobRunDoc,
  OrgLimitsDoc,
  StripeEventDoc,
} from "@hearth/schema";
import type { Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  handleStripeWebhook,
  STRIPE_EVENT_RETENTION_DAYS,
} from "../../../functions/src/billing/stripe-webhook.js";
import { JOB_RUN_RETENTION_DAYS, runJob } from "../../../functions/src/lib/job-run.js";
import { accountLimitsRef, orgLimitsRef, takeLimits } from "../../../functions/src/usage/limits.js";
import { reserve } from "../../../functions/src/usage/meter.js";
import { signPayload } from "../../fakes/stripe/index.js";
import { type BillingTestEnv, newId, startBillingTestEnv, WEBHOOK_SECRET } from "../billing/support.js";

/**
 * Issue 16, finding 9: every bookkeeping document Hearth writes carries its TTL field `expiresAt` (the
 * policies are declared in firestore.indexes.json; tests/rules/indexes.test.ts lists them), and stored
 * Stripe payloads expire too. Each document is read back through its schema.
 */

let env: BillingTestEnv;
beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date("2026-12-03T12:00:00Z");
const clock = { now: () => now };

async function read<S extends z.ZodType>(path: string, schema: S) {
  const data = (await env.db.doc(path).get()).data();
  expect(data, path).toBeDefined();
  const parsed = schema.safeParse(data);
  expect(parsed.error?.issues ?? [], path).toEqual([]);
  return data as { expiresAt: Timestamp };
}

describe("TTL fields", () => {
  it(`stripeEvents: the payload expires ${STRIPE_EVENT_RETENTION_DAYS} days after receipt`, async () => {
    const id = `evt_${newId("ttl").replace(/-/g, "_")}`;
    const payload = JSON.stringify({
      id,
      object: "event",
      type: "customer.updated",
      created: now.getTime() / 1000,
      data: { object: { email: "a@example.com" } },
    });
    const signature = signPayload(payload, WEBHOOK_SECRET, now.getTime() / 1000);
    const res = await handleStripeWebhook(
      { method: "POST", signature, rawBody: Buffer.from(payload) },
      { db: env.db, clock, webhookSecret: WEBHOOK_SECRET },
    );
    expect(res.status).toBe(200);
    const doc = await read(`stripeEvents/${id}`, StripeEventDoc);
    expect(doc.expiresAt.toMillis()).toBe(now.getTime() + STRIPE_EVENT_RETENTION_DAYS * DAY_MS);
  });

  it(`jobRuns: ${JOB_RUN_RETENTION_DAYS} days after the run started`, async () => {
    const { runId } = await runJob("ttlCheck", async () => ({ done: 1 }), { db: env.db, clock });
    const doc = await read(`jobRuns/${runId}`, JobRunDoc);
    expect(doc.expiresAt.toMillis()).toBe(now.getTime() + JOB_RUN_RETENTION_DAYS * DAY_MS);
  });

  it("aiReservations and an account's free-allowance month", async () => {
    const owner = newId("owner");
    const r = await reserve(
      { db: env.db, clock, random: () => 0.5 },
      {
        orgId: newId("org"),
        period: "2026-12",
        uid: owner,
        hard: { calls: 10, costMicros: 1000 },
        amount: { calls: 1, costMicros: 10 },
        account: { uid: owner, hard: { calls: 10, costMicros: 1000 } },
      },
    );
    const reservation = await read(`aiReservations/${r.id}`, AiReservationDoc);
    expect(reservation.expiresAt.toMillis()).toBeGreaterThan(now.getTime());
    const allowance = await read(`freeAiUsage/2026-12_${owner}`, FreeAiUsageDoc);
    expect(allowance.expiresAt.toMillis()).toBeGreaterThan(now.getTime() + 31 * DAY_MS);
  });

  it("accountLimits and orgLimits: a day after the last event", async () => {
    const uid = newId("u");
    const orgId = newId("org");
    await env.db.runTransaction(async (tx) => {
      const record = await takeLimits(
        tx,
        [
          {
            ref: accountLimitsRef(env.db, uid),
            field: "mail",
            limits: { perHour: 1, perDay: 1 },
            reason: "mail-limit",
            scope: "account",
          },
          {
            ref: orgLimitsRef(env.db, orgId),
            field: "mail",
            limits: { perHour: 1, perDay: 1 },
            reason: "mail-limit",
            scope: "org",
          },
        ],
        now,
      );
      record();
    });
    for (const [path, schema] of [
      [`accountLimits/${uid}`, AccountLimitsDoc],
      [`orgLimits/${orgId}`, OrgLimitsDoc],
    ] as const) {
      const doc = await read(path, schema);
      expect(doc.expiresAt.toMillis()).toBe(now.getTime() + DAY_MS);
    }
  });
});
