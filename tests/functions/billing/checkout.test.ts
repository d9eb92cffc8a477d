import type { HttpsError } from "firebase-functions/https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCheckoutSession,
  createCheckoutSessionHandler,
} from "../../../functions/src/billing/create-checkout-session.js";
import { createPortalSession } from "../../../functions/src/billing/create-portal-session.js";
import { STRIPE_API_VERSION } from "../../../functions/src/billing/stripe-client.js";
import {
  APP_URL,
  type BillingTestEnv,
  billingRecord,
  callAs,
  deliverAndApply,
  PRICES,
  seedOrg,
  startBillingTestEnv,
  subscribe,
} from "./support.js";

let env: BillingTestEnv;
let checkout: (request: never) => Promise<{ url: string; sessionId: string }>;
let portal: (request: never) => Promise<{ url: string }>;

beforeAll(async () => {
  env = await startBillingTestEnv();
  checkout = env.fft.wrap(createCheckoutSession) as never;
  portal = env.fft.wrap(createPortalSession) as never;
});
afterAll(() => env?.stop());

async function refusal(promise: Promise<unknown>): Promise<HttpsError> {
  const err = await promise.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e: unknown) => e,
  );
  return err as HttpsError;
}

const apiCalls = (path: string) => env.fake.control.requests().filter((r) => r.path === path);

describe("createCheckoutSession", () => {
  it("owner: Checkout in subscription mode for the plan's price, org id in metadata, trial for a first subscription", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", ann: "member" });
    const out = await checkout(callAs("owner", { orgId, planId: "pro" }));
    expect(out.url).toMatch(/\/checkout\/cs_test_/);
    expect(out.sessionId).toMatch(/^cs_test_/);
    expect(JSON.stringify(out)).not.toContain("cus_");

    const session = await env.stripe.checkout.sessions.retrieve(out.sessionId);
    expect(session).toMatchObject({
      mode: "subscription",
      client_reference_id: orgId,
      metadata: { orgId, planId: "pro" },
    });
    expect(session.success_url).toBe(
      `${APP_URL}/orgs/${orgId}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    );
    const create = apiCalls("/v1/checkout/sessions").at(-1);
    expect(create?.params).toMatchObject({
      line_items: [{ price: PRICES.pro, quantity: "1" }],
      subscription_data: { metadata: { orgId, planId: "pro" }, trial_period_days: "14" },
    });
    expect(create?.idempotencyKey).toMatch(/^checkout-[0-9a-f]{64}$/);

    const record = await billingRecord(env.db, orgId);
    expect(record.stripeCustomerId).toBe(session.customer);
    const customer = await env.stripe.customers.retrieve(session.customer as string);
    expect(customer).toMatchObject({ metadata: { orgId }, name: "Test org" });
  });

  it("every Stripe request names the pinned API version, the one the webhook endpoint must use", async () => {
    const orgId = await seedOrg(env.db);
    const before = env.fake.control.requests().length;
    await checkout(callAs("owner", { orgId, planId: "pro" }));
    const sent = env.fake.control.requests().slice(before);
    expect(sent.map((r) => r.path)).toContain("/v1/checkout/sessions");
    expect(sent.map((r) => r.stripeVersion)).toEqual(sent.map(() => STRIPE_API_VERSION));
  });

  it("per-seat plan: quantity is the member count", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", a: "admin", b: "member", c: "viewer" });
    await checkout(callAs("a", { orgId, planId: "team" }));
    expect(apiCalls("/v1/checkout/sessions").at(-1)?.params).toMatchObject({
      line_items: [{ price: PRICES.team, quantity: "4" }],
    });
  });

  it("reuses the org's Stripe customer; a repeated click gets the same session", async () => {
    const orgId = await seedOrg(env.db);
    const customersBefore = apiCalls("/v1/customers").length;
    const first = await checkout(callAs("owner", { orgId, planId: "team" }));
    const second = await checkout(callAs("owner", { orgId, planId: "team" }));
    const third = await checkout(callAs("owner", { orgId, planId: "pro" }));
    expect(second.sessionId).toBe(first.sessionId);
    expect(third.sessionId).not.toBe(first.sessionId);
    expect(apiCalls("/v1/customers").length - customersBefore).toBe(1);
  });

  it("the same request within ten minutes of the session's creation gets it back, even across a clock boundary", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", a: "admin" });
    // A clock that moves only when told, starting one second before a ten-minute boundary.
    const TEN_MINUTES = 10 * 60 * 1000;
    let now = (Math.floor(Date.now() / TEN_MINUTES) + 1) * TEN_MINUTES - 1000;
    const deps = { ...env.deps, clock: { now: () => new Date(now) } };
    const open = (uid = "owner", planId: "pro" | "team" = "pro") =>
      createCheckoutSessionHandler(
        deps,
        { uid, email: `${uid}@example.com`, emailVerified: true },
        { orgId, planId },
      );
    const first = await open();
    now += 2000;
    expect((await open()).sessionId).toBe(first.sessionId);
    now += TEN_MINUTES - 3000;
    expect((await open()).sessionId).toBe(first.sessionId);
    // Another caller or another plan is another request.
    expect((await open("a")).sessionId).not.toBe(first.sessionId);
    expect((await open("owner", "team")).sessionId).not.toBe(first.sessionId);

    // Ten minutes after it was created: a new session, which is then the one reused.
    now += 1000;
    const second = await open();
    expect(second.sessionId).not.toBe(first.sessionId);
    const racing = await Promise.all([open(), open()]);
    expect(racing.map((r) => r.sessionId)).toEqual([second.sessionId, second.sessionId]);
    now += TEN_MINUTES;
    const twice = await Promise.all([open(), open()]);
    expect(twice[0].sessionId).toBe(twice[1].sessionId);
    expect(twice[0].sessionId).not.toBe(second.sessionId);
  });

  it("a reused session the customer already completed: already-subscribed, no new session", async () => {
    const orgId = await seedOrg(env.db);
    const open = () =>
      createCheckoutSessionHandler(
        env.deps,
        { uid: "owner", email: null, emailVerified: true },
        { orgId, planId: "pro" },
      );
    const { sessionId } = await open();
    env.fake.control.completeCheckout(sessionId); // its events are not processed yet
    const before = apiCalls("/v1/checkout/sessions").length;
    const err = await refusal(open());
    expect(err).toMatchObject({ code: "failed-precondition", details: { reason: "already-subscribed" } });
    expect(apiCalls("/v1/checkout/sessions").length).toBe(before);
  });

  it("concurrent first calls, by different admins, create one customer", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", a: "admin" });
    const sessions = await Promise.all([
      checkout(callAs("owner", { orgId, planId: "pro" })),
      checkout(callAs("a", { orgId, planId: "team" })),
    ]);
    const customers = await Promise.all(
      sessions.map(async (s) => (await env.stripe.checkout.sessions.retrieve(s.sessionId)).customer),
    );
    expect(customers[0]).toBe(customers[1]);
    expect((await billingRecord(env.db, orgId)).stripeCustomerId).toBe(customers[0]);
  });

  it("no second trial: an org that had a subscription checks out without trial days", async () => {
    const orgId = await seedOrg(env.db);
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, [...events, ...env.fake.control.cancelNow(subscriptionId)]);
    await checkout(callAs("owner", { orgId, planId: "pro" }));
    const params = apiCalls("/v1/checkout/sessions").at(-1)?.params as { subscription_data: object };
    expect(params.subscription_data).not.toHaveProperty("trial_period_days");
  });

  it("already subscribed: failed-precondition, no new session", async () => {
    const orgId = await seedOrg(env.db);
    const { events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, events);
    const before = apiCalls("/v1/checkout/sessions").length;
    const err = await refusal(checkout(callAs("owner", { orgId, planId: "team" })));
    expect(err.code).toBe("failed-precondition");
    expect(err.details).toMatchObject({ reason: "already-subscribed" });
    expect(apiCalls("/v1/checkout/sessions").length).toBe(before);
  });

  it("refusals: signed out, non-member, member and viewer", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", m: "member", v: "viewer" });
    expect((await refusal(checkout(callAs(null, { orgId, planId: "pro" })))).code).toBe("unauthenticated");
    expect((await refusal(checkout(callAs("stranger", { orgId, planId: "pro" })))).code).toBe(
      "permission-denied",
    );
    expect((await refusal(checkout(callAs("m", { orgId, planId: "pro" })))).code).toBe("permission-denied");
    expect((await refusal(checkout(callAs("v", { orgId, planId: "pro" })))).code).toBe("permission-denied");
    expect((await billingRecord(env.db, orgId)).stripeCustomerId).toBeUndefined();
  });

  it("bad input: invalid-argument with field details, nothing created", async () => {
    const orgId = await seedOrg(env.db);
    const before = env.fake.control.requests().length;
    for (const data of [
      { orgId, planId: "free" },
      { orgId, planId: "enterprise" },
      { orgId: "", planId: "pro" },
      { orgId: "a/b", planId: "pro" },
      { orgId, planId: "pro", quantity: 500 },
      null,
    ]) {
      const err = await refusal(checkout(callAs("owner", data)));
      expect(err.code).toBe("invalid-argument");
      expect(err.details).toMatchObject({ reason: "validation" });
    }
    expect(env.fake.control.requests().length).toBe(before);
  });

  it("Stripe down: unavailable, with no Stripe detail in the error", async () => {
    const orgId = await seedOrg(env.db);
    env.fake.control.failNext({ pathPrefix: "/v1/checkout/sessions", status: 503, count: 1 });
    const err = await refusal(checkout(callAs("owner", { orgId, planId: "pro" })));
    expect(err.code).toBe("unavailable");
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toMatch(
      /cus_|sk_test|Injected/,
    );
  });

  it("unconfigured price: failed-precondition", async () => {
    const orgId = await seedOrg(env.db);
    const saved = process.env.STRIPE_PRICE_TEAM;
    process.env.STRIPE_PRICE_TEAM = "";
    try {
      const err = await refusal(checkout(callAs("owner", { orgId, planId: "team" })));
      expect(err.code).toBe("failed-precondition");
      expect(err.details).toMatchObject({ reason: "plan-unavailable" });
    } finally {
      process.env.STRIPE_PRICE_TEAM = saved;
    }
  });
});

describe("billing in a real project", () => {
  it("local settings are refused with failed-precondition naming each, before any Stripe call", async () => {
    const orgId = await seedOrg(env.db);
    const saved = {
      GCLOUD_PROJECT: process.env.GCLOUD_PROJECT,
      STRIPE_PRICE_TEAM: process.env.STRIPE_PRICE_TEAM,
    };
    Object.assign(process.env, { GCLOUD_PROJECT: "acme-prod", STRIPE_PRICE_TEAM: "" });
    const before = env.fake.control.requests().length;
    try {
      for (const attempt of [
        () => checkout(callAs("owner", { orgId, planId: "pro" })),
        () => portal(callAs("owner", { orgId })),
      ]) {
        const err = await refusal(attempt());
        expect(err.code).toBe("failed-precondition");
        expect(err.details).toEqual({
          reason: "misconfigured",
          settings: ["APP_URL", "STRIPE_PRICE_TEAM", "STRIPE_API_BASE"],
        });
        expect(err.message).toContain(`APP_URL is "${APP_URL}", not https`);
        expect(err.message).toContain("STRIPE_PRICE_TEAM is empty");
      }
    } finally {
      Object.assign(process.env, saved);
    }
    expect(env.fake.control.requests().length).toBe(before);
  });
});

describe("createPortalSession", () => {
  it("admin of a subscribed org gets a portal url that returns to the app", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", a: "admin" });
    await checkout(callAs("owner", { orgId, planId: "pro" }));
    const out = await portal(callAs("a", { orgId }));
    expect(out.url).toMatch(/\/portal\/bps_/);
    expect(Object.keys(out)).toEqual(["url"]);
    expect(apiCalls("/v1/billing_portal/sessions").at(-1)?.params).toMatchObject({
      customer: (await billingRecord(env.db, orgId)).stripeCustomerId,
      return_url: `${APP_URL}/orgs/${orgId}/billing`,
    });
  });

  it("no billing account yet: failed-precondition", async () => {
    const orgId = await seedOrg(env.db);
    const err = await refusal(portal(callAs("owner", { orgId })));
    expect(err.code).toBe("failed-precondition");
    expect(err.details).toMatchObject({ reason: "no-billing-account" });
  });

  it("refusals: member, signed out, bad input", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", m: "member" });
    await checkout(callAs("owner", { orgId, planId: "pro" }));
    expect((await refusal(portal(callAs("m", { orgId })))).code).toBe("permission-denied");
    expect((await refusal(portal(callAs(null, { orgId })))).code).toBe("unauthenticated");
    expect((await refusal(portal(callAs("owner", { org: orgId })))).code).toBe("invalid-argument");
  });
});
