import { Timestamp } from "firebase-admin/firestore";
import { onRequest } from "firebase-functions/https";
import Stripe from "stripe";
import { refs } from "../db/refs.js";
import { systemClock } from "../lib/clock.js";
import type { Deps } from "../lib/deps.js";
import { db } from "../lib/firestore.js";
import { logEvent, logFailure } from "../lib/logging.js";
import { STRIPE_WEBHOOK_SECRET } from "../lib/params.js";
import { REGION, WEBHOOK_SCALING } from "../lib/runtime.js";
import { eventMisfit, measureJson } from "./event-fit.js";

/** Seconds a signature stays valid; Stripe's own default, which blocks replays of captured requests. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookRequest {
  method: string;
  signature: string | undefined;
  /** The body exactly as received; the signature covers these bytes, not a re-serialised JSON. */
  rawBody: Buffer | undefined;
}

export interface WebhookResponse {
  status: number;
  body: { received: true; duplicate?: true } | { error: string };
}

const EVENT_ID = /^evt_[A-Za-z0-9_]{1,200}$/;

/**
 * How long `stripeEvents/{id}` is kept (TTL `expiresAt`). Stripe stops retrying a delivery after 3 days and a
 * signature is accepted for 5 minutes, so no later delivery of the same event can arrive; failed events are
 * retried hourly, 8 attempts at most. After that the stored payload (customer emails included) has no use.
 */
export const STRIPE_EVENT_RETENTION_DAYS = 30;
const STRIPE_EVENT_RETENTION_MS = STRIPE_EVENT_RETENTION_DAYS * 24 * 60 * 60 * 1000;

/** The signature header's `t=` (seconds), read as the Stripe library reads it: the last one wins. */
function signedAtSeconds(header: string): number {
  let timestamp = Number.NaN;
  for (const item of header.split(",")) {
    const [key, value] = item.split("=");
    if (key === "t") timestamp = Number.parseInt(value ?? "", 10);
  }
  return timestamp;
}

/**
 * Verifies a Stripe webhook delivery and records it once as `stripeEvents/{id}` (create() fails on a
 * second delivery, which answers 200 without a change). Processing happens in the onStripeEventCreated
 * trigger, so Stripe gets its answer quickly. Anything unsigned, altered, or signed more than
 * SIGNATURE_TOLERANCE_SECONDS before or after now is a 400 and writes nothing. An event Firestore cannot
 * store (see event-fit.ts) is answered 200 and recorded without its payload as `failed`, for a person.
 */
export async function handleStripeWebhook(
  req: WebhookRequest,
  deps: Deps & { webhookSecret: string },
): Promise<WebhookResponse> {
  if (req.method !== "POST") return { status: 405, body: { error: "method-not-allowed" } };
  if (!req.signature || !req.rawBody) return { status: 400, body: { error: "missing-signature" } };

  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(
      req.rawBody,
      req.signature,
      deps.webhookSecret,
      SIGNATURE_TOLERANCE_SECONDS,
      undefined,
      deps.clock.now().getTime(),
    );
  } catch {
    logEvent("billing.webhook.rejected", { reason: "signature" });
    return { status: 400, body: { error: "invalid-signature" } };
  }
  // The library refuses only signatures older than the tolerance; one dated ahead could be replayed until then.
  const skewSeconds = signedAtSeconds(req.signature) - deps.clock.now().getTime() / 1000;
  if (!(Math.abs(skewSeconds) <= SIGNATURE_TOLERANCE_SECONDS)) {
    logEvent("billing.webhook.rejected", { reason: "timestamp", skewSeconds: Math.round(skewSeconds) });
    return { status: 400, body: { error: "invalid-signature" } };
  }
  if (typeof event.id !== "string" || !EVENT_ID.test(event.id) || typeof event.type !== "string") {
    return { status: 400, body: { error: "invalid-event" } };
  }

  // Signed by Stripe, so the body is one event object.
  const payload: Record<string, unknown> = JSON.parse(req.rawBody.toString("utf8"));
  const measured = measureJson(payload);
  const misfit = eventMisfit(measured);
  const receivedAt = deps.clock.now();
  const record = {
    type: event.type,
    created: Timestamp.fromMillis(event.created * 1000),
    receivedAt: Timestamp.fromDate(receivedAt),
    processedAt: null,
    // TTL: the payload (customer emails included) goes once no retry or replay can need it.
    expiresAt: Timestamp.fromMillis(receivedAt.getTime() + STRIPE_EVENT_RETENTION_MS),
  };
  try {
    await refs.stripeEvent(deps.db, event.id).create(
      misfit
        ? // Firestore can never store it, so retrying helps nobody: keep a trimmed record for a person.
          {
            ...record,
            event: null,
            status: "failed",
            outcome: "unstorable",
            attempts: 0,
            error: misfit,
            size: req.rawBody.length,
          }
        : { ...record, event: payload, status: "pending", outcome: null, attempts: 0, error: null },
    );
  } catch (err) {
    if ((err as { code?: unknown }).code === 6) {
      logEvent("billing.webhook.duplicate", { eventId: event.id, type: event.type });
      return { status: 200, body: { received: true, duplicate: true } };
    }
    logFailure("billing.webhook.store_failed", err, { eventId: event.id });
    return { status: 500, body: { error: "unavailable" } };
  }
  if (misfit) {
    logFailure("billing.webhook.unstorable", misfit, {
      eventId: event.id,
      type: event.type,
      reason: misfit,
      size: req.rawBody.length,
      depth: measured.depth,
    });
  } else {
    logEvent("billing.webhook.recorded", { eventId: event.id, type: event.type });
  }
  return { status: 200, body: { received: true } };
}

/** HTTPS endpoint Stripe delivers events to (see docs/billing.md for the dashboard setup). */
export const stripeWebhook = onRequest(
  { region: REGION, secrets: [STRIPE_WEBHOOK_SECRET], cors: false, ...WEBHOOK_SCALING },
  async (req, res) => {
    const result = await handleStripeWebhook(
      { method: req.method, signature: req.get("stripe-signature"), rawBody: req.rawBody },
      { db: db(), clock: systemClock, webhookSecret: STRIPE_WEBHOOK_SECRET.value() },
    );
    res.status(result.status).json(result.body);
  },
);
