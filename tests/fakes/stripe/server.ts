import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { deliverEvent } from "./deliver.js";
import { FakeStripeError } from "./errors.js";
import { decodeForm } from "./form.js";
import { servePage } from "./pages.js";
import { FakeStripeState, type FirstPayment, type Json, type MeterEventRecord } from "./state.js";

/**
 * A local Stripe API for tests and the local stack: the endpoints Hearth calls, form-encoded requests,
 * Stripe-shaped JSON objects and errors, `Idempotency-Key` replay, and signed webhook delivery.
 *
 *   POST /v1/customers                  GET /v1/customers/:id
 *   POST /v1/checkout/sessions          GET /v1/checkout/sessions/:id
 *   POST /v1/billing_portal/sessions
 *   GET  /v1/subscriptions?customer=    GET /v1/subscriptions/:id
 *   POST /v1/subscriptions/:id          DELETE /v1/subscriptions/:id
 *   GET  /v1/invoices/:id               GET /v1/events/:id           GET /v1/payment_intents/:id
 *   POST /v1/billing/meter_events       GET /v1/billing/meters       GET /v1/billing/meters/:id/event_summaries
 *
 * Test controls, in process through `control` or over HTTP for other processes:
 *   POST /_fake/control {"action": "completeCheckout", "id": "cs_test_..."}   returns {"events": [...]}
 *     actions: completeCheckout (optional "payment": succeeds | requires_action | fails), confirmPayment,
 *              failPayment, requireAction, recoverPayment, markUnpaid, cancelAtPeriodEnd, trialWillEnd,
 *              endPeriod, cancelNow, pause, resume (all take "id"); advanceClock ("seconds"); failNext
 *   GET  /_fake/requests, /_fake/meter_events, /_fake/events, /_fake/invoices
 * With a `webhook` option, every event is also signed and POSTed to that URL, as Stripe would.
 *
 * Hosted pages (pages.ts): a session's `url`, /checkout/:id and /portal/:id, where a person pays,
 * fails a payment or cancels, and is sent back to the app.
 */
export interface FakeStripeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Price ids the fake sells; by default any id that starts with `price_`. */
  prices?: string[];
  /** Deliver every event to this endpoint, signed with `secret`. */
  webhook?: { url: string; secret: string };
  /** Event names of the billing meters the account has; by default `hearth_ai_overage`. */
  meters?: string[];
}

export interface FakeRequestRecord {
  method: string;
  path: string;
  params: Record<string, unknown>;
  idempotencyKey: string | null;
  /** The `Stripe-Version` header, recorded only: the fake speaks one version and accepts any. */
  stripeVersion: string | null;
  status: number;
}

export interface FakeFailure {
  /** Only requests whose path starts with this fail (for example `/v1/subscriptions`). */
  pathPrefix?: string;
  status: number;
  count: number;
}

export interface FakeStripeControl {
  completeCheckout(
    sessionId: string,
    opts?: { payment?: FirstPayment },
  ): { subscription: Json; events: Json[] };
  /** The customer completes the open invoice's payment (3-D Secure passed, or a new card). */
  confirmPayment(subscriptionId: string): Json[];
  /** Stripe's clock moves on: incomplete subscriptions expire after 23 h, meter identifiers after 24 h. */
  advanceClock(seconds: number): Json[];
  /** Stripe time, unix seconds. */
  now(): number;
  failPayment(subscriptionId: string): Json[];
  requireAction(subscriptionId: string): Json[];
  recoverPayment(subscriptionId: string): Json[];
  markUnpaid(subscriptionId: string): Json[];
  cancelAtPeriodEnd(subscriptionId: string, cancel?: boolean): Json[];
  trialWillEnd(subscriptionId: string): Json[];
  endPeriod(subscriptionId: string): Json[];
  cancelNow(subscriptionId: string): Json[];
  pause(subscriptionId: string): Json[];
  resume(subscriptionId: string): Json[];
  /** The next `count` API requests (matching `pathPrefix`) fail with `status` and are not executed. */
  failNext(failure: FakeFailure): void;
  /** The subscription as Stripe holds it now. */
  subscription(id: string): Json | undefined;
  requests(): readonly FakeRequestRecord[];
  meterEvents(): readonly MeterEventRecord[];
  events(): readonly Json[];
  /** Every invoice, as the API shows it, with the subscription it belongs to. */
  invoices(): readonly Json[];
  customer(id: string): Json | undefined;
}

export interface FakeStripe {
  /** Origin, for example http://127.0.0.1:12111: Hearth's STRIPE_API_BASE. */
  url: string;
  control: FakeStripeControl;
  stop(): Promise<void>;
}

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startFakeStripe(opts: FakeStripeOptions = {}): Promise<FakeStripe> {
  let url = "";
  const state = new FakeStripeState(() => url, opts.prices ? new Set(opts.prices) : null, opts.meters);
  const idempotent = new Map<string, StoredResponse>();
  const requests: FakeRequestRecord[] = [];
  const failures: FakeFailure[] = [];
  const deliveries: Promise<unknown>[] = [];
  if (opts.webhook) {
    const webhook = opts.webhook;
    state.listeners.push((event) => {
      deliveries.push(deliverEvent(webhook.url, event, { secret: webhook.secret }).catch(() => undefined));
    });
  }

  const control: FakeStripeControl = {
    completeCheckout: (id, options) => state.completeCheckout(id, options),
    confirmPayment: (id) => state.confirmPayment(id),
    advanceClock: (seconds) => state.advanceClock(seconds),
    now: () => state.now(),
    failPayment: (id) => state.failPayment(id),
    requireAction: (id) => state.failPayment(id, { actionRequired: true }),
    recoverPayment: (id) => state.recoverPayment(id),
    markUnpaid: (id) => state.markUnpaid(id),
    cancelAtPeriodEnd: (id, cancel) => state.cancelAtPeriodEnd(id, cancel),
    trialWillEnd: (id) => state.trialWillEnd(id),
    endPeriod: (id) => state.endPeriod(id),
    cancelNow: (id) => state.cancelNow(id),
    pause: (id) => state.pause(id),
    resume: (id) => state.resume(id),
    failNext: (failure) => failures.push({ ...failure }),
    subscription: (id) =>
      state.subscriptions.has(id) ? state.retrieve(state.subscriptions, "subscription", id) : undefined,
    requests: () => requests,
    meterEvents: () => state.meterEvents,
    events: () => state.events,
    invoices: () =>
      [...state.invoices.values()].map((invoice) => ({
        ...state.retrieve(state.invoices, "invoice", invoice.id as string),
        subscription: invoice._subscription,
      })),
    customer: (id) => (state.customers.has(id) ? state.retrieve(state.customers, "customer", id) : undefined),
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, path: string, body: string) => {
    const method = req.method ?? "GET";
    const query = new URL(req.url ?? "/", "http://fake").searchParams;
    // The SDK sends DELETE parameters in the query string, POST parameters in the body.
    const params =
      method === "GET" ? {} : method === "DELETE" ? decodeForm(query.toString()) : decodeForm(body);
    const idempotencyKey = header(req, "idempotency-key");
    const stripeVersion = header(req, "stripe-version");
    const log = (status: number) =>
      requests.push({ method, path, params, idempotencyKey, stripeVersion, status });

    const auth = header(req, "authorization");
    if (!auth?.startsWith("Bearer sk_test_")) {
      log(401);
      return send(
        res,
        401,
        new FakeStripeError(401, "invalid_request_error", "Invalid API Key provided.").body(),
      );
    }
    const failure = failures.find((f) => f.count > 0 && (!f.pathPrefix || path.startsWith(f.pathPrefix)));
    if (failure) {
      failure.count--;
      log(failure.status);
      // Told not to retry, so tests see the failure at once instead of waiting out the SDK's backoff.
      res.setHeader("stripe-should-retry", "false");
      return send(
        res,
        failure.status,
        new FakeStripeError(failure.status, "api_error", "Injected failure.").body(),
      );
    }
    if (method === "POST" && idempotencyKey) {
      const fingerprint = createHash("sha256").update(`${method} ${path}\n${body}`).digest("hex");
      const stored = idempotent.get(`${auth} ${idempotencyKey}`);
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          log(400);
          const err = new FakeStripeError(
            400,
            "idempotency_error",
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
          );
          return send(res, 400, err.body());
        }
        log(stored.status);
        res.setHeader("idempotent-replayed", "true");
        res.setHeader("idempotency-key", idempotencyKey);
        return sendRaw(res, stored.status, stored.body);
      }
      const [status, out] = execute(() => route(state, method, path, params as Params, query));
      idempotent.set(`${auth} ${idempotencyKey}`, { fingerprint, status, body: out });
      log(status);
      res.setHeader("idempotency-key", idempotencyKey);
      return sendRaw(res, status, out);
    }
    const [status, out] = execute(() => route(state, method, path, params as Params, query));
    log(status);
    return sendRaw(res, status, out);
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string, body: string) => {
    if (req.method === "GET" && path === "/_fake/requests") return send(res, 200, { requests });
    if (req.method === "GET" && path === "/_fake/meter_events")
      return send(res, 200, { meterEvents: state.meterEvents });
    if (req.method === "GET" && path === "/_fake/events") return send(res, 200, { events: state.events });
    if (req.method === "GET" && path === "/_fake/invoices")
      return send(res, 200, { invoices: control.invoices() });
    if (req.method === "POST" && path === "/_fake/control") {
      const command = JSON.parse(body || "{}") as {
        action?: string;
        id?: string;
        payment?: FirstPayment;
        seconds?: number;
      } & FakeFailure;
      if (command.action === "failNext") {
        control.failNext(command);
        return send(res, 200, {});
      }
      if (command.action === "advanceClock") {
        const [status, out] = execute(() => ({ events: control.advanceClock(Number(command.seconds)) }));
        return sendRaw(res, status, out);
      }
      if (command.action === "completeCheckout" && command.id) {
        const options = command.payment ? { payment: command.payment } : {};
        const [status, out] = execute(() => control.completeCheckout(command.id as string, options));
        return sendRaw(res, status, out);
      }
      const action = CONTROL_ACTIONS.find((name) => name === command.action);
      if (!action || !command.id) return send(res, 400, { error: "unknown action or missing id" });
      const [status, out] = execute(() => {
        const result = control[action](command.id as string);
        return Array.isArray(result) ? { events: result } : result;
      });
      return sendRaw(res, status, out);
    }
    return send(res, 404, { error: "unknown control route" });
  };

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, { error: "body too large" });
    if (path.startsWith("/_fake/")) return handleControl(req, res, path, body);
    const query = new URL(req.url ?? "/", "http://fake").searchParams;
    const page = servePage(state, req.method ?? "GET", path, query, body);
    if (page) {
      const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
      if (page.location) headers.location = page.location;
      res.writeHead(page.status, headers);
      return res.end(page.html ?? "");
    }
    return handleApi(req, res, path, body);
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  url = `http://${opts.host ?? "127.0.0.1"}:${address.port}`;

  return {
    url,
    control,
    async stop() {
      await Promise.all(deliveries);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Params = Parameters<FakeStripeState["createCustomer"]>[0];
type Handler = (state: FakeStripeState, id: string, params: Params, query: URLSearchParams) => Json;

/** The API surface: method, path pattern (`:id` is one segment), operation. */
const ROUTES: [string, RegExp, Handler][] = [
  ["POST", /^\/v1\/customers$/, (s, _id, p) => s.createCustomer(p)],
  ["GET", /^\/v1\/customers\/([^/]+)$/, (s, id) => s.retrieve(s.customers, "customer", id)],
  ["POST", /^\/v1\/checkout\/sessions$/, (s, _id, p) => s.createCheckoutSession(p)],
  [
    "GET",
    /^\/v1\/checkout\/sessions\/([^/]+)$/,
    (s, id) => s.retrieve(s.checkoutSessions, "checkout.session", id),
  ],
  ["POST", /^\/v1\/billing_portal\/sessions$/, (s, _id, p) => s.createPortalSession(p)],
  ["GET", /^\/v1\/subscriptions$/, (s, _id, _p, q) => s.listSubscriptions(q)],
  ["GET", /^\/v1\/subscriptions\/([^/]+)$/, (s, id) => s.retrieve(s.subscriptions, "subscription", id)],
  ["POST", /^\/v1\/subscriptions\/([^/]+)$/, (s, id, p) => s.updateSubscription(id, p)],
  ["DELETE", /^\/v1\/subscriptions\/([^/]+)$/, (s, id, p) => s.cancelSubscription(id, p)],
  ["GET", /^\/v1\/invoices\/([^/]+)$/, (s, id) => s.retrieve(s.invoices, "invoice", id)],
  ["GET", /^\/v1\/events\/([^/]+)$/, (s, id) => s.retrieveEvent(id)],
  ["GET", /^\/v1\/payment_intents\/([^/]+)$/, (s, id) => s.retrieve(s.paymentIntents, "payment_intent", id)],
  ["POST", /^\/v1\/billing\/meter_events$/, (s, _id, p) => s.createMeterEvent(p)],
  ["GET", /^\/v1\/billing\/meters$/, (s, _id, _p, q) => s.listMeters(q)],
  [
    "GET",
    /^\/v1\/billing\/meters\/([^/]+)\/event_summaries$/,
    (s, id, _p, q) => s.meterEventSummaries(id, q),
  ],
];

function route(
  state: FakeStripeState,
  method: string,
  path: string,
  params: Params,
  query: URLSearchParams,
): Json {
  for (const [routeMethod, pattern, handler] of ROUTES) {
    const match = method === routeMethod ? pattern.exec(path) : null;
    if (match) return handler(state, decodeURIComponent(match[1] ?? ""), params, query);
  }
  throw new FakeStripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
}

const CONTROL_ACTIONS = [
  "confirmPayment",
  "failPayment",
  "requireAction",
  "recoverPayment",
  "markUnpaid",
  "cancelAtPeriodEnd",
  "trialWillEnd",
  "endPeriod",
  "cancelNow",
  "pause",
  "resume",
] as const;

/** Runs an operation and renders its result or its Stripe error as [status, JSON body]. */
function execute(operation: () => Json): [number, string] {
  try {
    return [200, JSON.stringify(operation())];
  } catch (err) {
    if (err instanceof FakeStripeError) return [err.status, JSON.stringify(err.body())];
    return [500, JSON.stringify({ error: { type: "api_error", message: "Fake Stripe failed." } })];
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body));
}

function sendRaw(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_fake_${Date.now()}` });
  res.end(body);
}
