import { randomBytes } from "node:crypto";
import { badParam, FakeStripeError, missing, missingParam } from "./errors.js";
import type { FormValue } from "./form.js";

/**
 * The fake's Stripe semantics, apart from HTTP: customers, Checkout and Billing Portal sessions,
 * subscriptions with one item, invoices, meter events, and the events each change produces. Every object
 * is Stripe-shaped JSON (API 2025+ layout: the billing period lives on subscription items, an invoice
 * names its subscription under `parent.subscription_details`). Test controls drive what a customer or
 * Stripe's billing engine would do: pay, fail, cancel at period end, pause, resume.
 */

export type Json = Record<string, unknown>;
type Params = Record<string, FormValue>;

export type SubscriptionStatus =
  | "trialing"
  | "active"
  | "past_due"
  | "unpaid"
  | "canceled"
  | "incomplete"
  | "incomplete_expired"
  | "paused";

const DAY = 24 * 60 * 60;
const PERIOD = 30 * DAY;

export interface MeterEventRecord {
  event_name: string;
  identifier: string;
  timestamp: number;
  payload: Record<string, string>;
}

export class FakeStripeState {
  readonly customers = new Map<string, Json>();
  readonly checkoutSessions = new Map<string, Json & { _lineItems: { price: string; quantity: number }[] }>();
  readonly portalSessions = new Map<string, Json>();
  readonly subscriptions = new Map<string, Json>();
  readonly invoices = new Map<string, Json>();
  readonly events: Json[] = [];
  readonly meterEvents: MeterEventRecord[] = [];
  /** Listeners told about every new event (the server uses one to deliver webhooks). */
  readonly listeners: ((event: Json) => void)[] = [];
  private clockOffset = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly knownPrices: ReadonlySet<string> | null,
  ) {}

  /** Stripe time in unix seconds: the wall clock plus whatever tests advanced it by. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  advance(seconds: number): void {
    this.clockOffset += seconds;
  }

  // --- API operations -------------------------------------------------------------------------------

  createCustomer(params: Params): Json {
    const customer = {
      id: newId("cus"),
      object: "customer",
      created: this.now(),
      email: str(params.email) ?? null,
      name: str(params.name) ?? null,
      metadata: metadata(params.metadata),
      livemode: false,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  retrieve(map: Map<string, Json>, kind: string, id: string): Json {
    const object = map.get(id);
    if (!object) throw missing(kind, id);
    return publicView(object);
  }

  retrieveEvent(id: string): Json {
    const event = this.events.find((e) => e.id === id);
    if (!event) throw missing("event", id);
    return event;
  }

  createCheckoutSession(params: Params): Json {
    if (str(params.mode) !== "subscription")
      throw badParam("mode", "Only subscription mode is supported here.");
    const customer = str(params.customer);
    if (!customer) throw missingParam("customer");
    if (!this.customers.has(customer)) throw missing("customer", customer);
    const successUrl = str(params.success_url);
    if (!successUrl) throw missingParam("success_url");
    const items = Array.isArray(params.line_items) ? params.line_items : [];
    if (items.length === 0) throw missingParam("line_items");
    const lineItems = items.map((item, i) => {
      const entry = item as Params;
      const price = str(entry.price);
      if (!price) throw missingParam(`line_items[${i}][price]`);
      this.requirePrice(price, `line_items[${i}][price]`);
      const quantity = Number(str(entry.quantity) ?? "1");
      if (!Number.isInteger(quantity) || quantity < 1) {
        throw badParam(`line_items[${i}][quantity]`, "Quantity must be a positive integer.");
      }
      return { price, quantity };
    });
    const subscriptionData = (params.subscription_data ?? {}) as Params;
    const id = newId("cs_test");
    const session = {
      id,
      object: "checkout.session",
      mode: "subscription",
      status: "open",
      payment_status: "unpaid",
      customer,
      client_reference_id: str(params.client_reference_id) ?? null,
      metadata: metadata(params.metadata),
      subscription: null,
      success_url: successUrl,
      cancel_url: str(params.cancel_url) ?? null,
      url: `${this.baseUrl()}/checkout/${id}`,
      created: this.now(),
      expires_at: this.now() + DAY,
      livemode: false,
      _lineItems: lineItems,
      _subscriptionMetadata: metadata(subscriptionData.metadata),
      _trialDays: Number(str(subscriptionData.trial_period_days) ?? "0"),
    };
    this.checkoutSessions.set(id, session);
    return publicView(session);
  }

  createPortalSession(params: Params): Json {
    const customer = str(params.customer);
    if (!customer) throw missingParam("customer");
    if (!this.customers.has(customer)) throw missing("customer", customer);
    const id = newId("bps");
    const session = {
      id,
      object: "billing_portal.session",
      customer,
      return_url: str(params.return_url) ?? null,
      url: `${this.baseUrl()}/portal/${id}`,
      created: this.now(),
      livemode: false,
    };
    this.portalSessions.set(id, session);
    return session;
  }

  listSubscriptions(query: URLSearchParams): Json {
    const customer = query.get("customer");
    const data = [...this.subscriptions.values()].filter((s) => !customer || s.customer === customer);
    return { object: "list", data: data.map(publicView), has_more: false, url: "/v1/subscriptions" };
  }

  /** POST /v1/subscriptions/:id: quantity and price of the item, cancel_at_period_end, metadata. */
  updateSubscription(id: string, params: Params): Json {
    const sub = this.subscriptionOrThrow(id);
    const before = snapshot(sub);
    const previous: Json = {};
    if (Array.isArray(params.items)) {
      const item = firstItem(sub);
      for (const [i, change] of params.items.entries()) {
        const entry = change as Params;
        if (str(entry.id) !== item.id) throw missing("subscription_item", str(entry.id) ?? `items[${i}][id]`);
        if (entry.quantity !== undefined) {
          const quantity = Number(str(entry.quantity));
          if (!Number.isInteger(quantity) || quantity < 1) {
            throw badParam(`items[${i}][quantity]`, "Quantity must be a positive integer.");
          }
          item.quantity = quantity;
        }
        const price = str(entry.price);
        if (price) item.price = this.priceObject(this.requirePrice(price, `items[${i}][price]`));
      }
      previous.items = before.items;
    }
    if (params.cancel_at_period_end !== undefined) {
      previous.cancel_at_period_end = sub.cancel_at_period_end;
      this.setCancelAtPeriodEnd(sub, str(params.cancel_at_period_end) === "true");
    }
    if (params.metadata !== undefined) {
      previous.metadata = sub.metadata;
      sub.metadata = { ...(sub.metadata as Json), ...metadata(params.metadata) };
    }
    this.emit("customer.subscription.updated", sub, previous);
    return publicView(sub);
  }

  /** DELETE /v1/subscriptions/:id: cancels at once. */
  cancelSubscription(id: string): Json {
    const sub = this.subscriptionOrThrow(id);
    if (sub.status === "canceled") {
      throw new FakeStripeError(400, "invalid_request_error", "This subscription has already been canceled.");
    }
    this.endSubscription(sub);
    return publicView(sub);
  }

  createMeterEvent(params: Params): Json {
    const eventName = str(params.event_name);
    if (!eventName) throw missingParam("event_name");
    const payload = (params.payload ?? {}) as Record<string, FormValue>;
    if (!str(payload.stripe_customer_id)) throw missingParam("payload[stripe_customer_id]");
    if (!str(payload.value)) throw missingParam("payload[value]");
    const identifier = str(params.identifier) ?? newId("mev");
    if (this.meterEvents.some((e) => e.identifier === identifier)) {
      throw new FakeStripeError(
        400,
        "invalid_request_error",
        "An event already exists with identifier.",
        "duplicate_meter_event",
      );
    }
    const record: MeterEventRecord = {
      event_name: eventName,
      identifier,
      timestamp: Number(str(params.timestamp) ?? this.now()),
      payload: Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)])),
    };
    this.meterEvents.push(record);
    return { object: "billing.meter_event", created: this.now(), livemode: false, ...record };
  }

  // --- test controls: what the customer or Stripe's billing engine does --------------------------------

  /** The customer finishes Checkout: a subscription starts (trialing when the session asked for a trial). */
  completeCheckout(sessionId: string): { subscription: Json; events: Json[] } {
    const session = this.checkoutSessions.get(sessionId);
    if (!session) throw missing("checkout.session", sessionId);
    if (session.status !== "open") throw badParam("session", "This Checkout session is no longer open.");
    const mark = this.events.length;
    const now = this.now();
    const trialDays = Number(session._trialDays) || 0;
    const line = session._lineItems[0] as { price: string; quantity: number };
    const subId = newId("sub");
    const periodEnd = trialDays > 0 ? now + trialDays * DAY : now + PERIOD;
    const sub: Json = {
      id: subId,
      object: "subscription",
      customer: session.customer,
      status: trialDays > 0 ? "trialing" : "active",
      metadata: { ...(session._subscriptionMetadata as Json) },
      items: {
        object: "list",
        data: [
          {
            id: newId("si"),
            object: "subscription_item",
            price: this.priceObject(line.price),
            quantity: line.quantity,
            current_period_start: now,
            current_period_end: periodEnd,
            subscription: subId,
            created: now,
          },
        ],
        has_more: false,
        url: `/v1/subscription_items?subscription=${subId}`,
      },
      created: now,
      start_date: now,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      trial_start: trialDays > 0 ? now : null,
      trial_end: trialDays > 0 ? periodEnd : null,
      pause_collection: null,
      latest_invoice: null,
      livemode: false,
    };
    this.subscriptions.set(subId, sub);
    Object.assign(session, {
      status: "complete",
      payment_status: trialDays > 0 ? "no_payment_required" : "paid",
    });
    session.subscription = subId;
    this.emit("customer.subscription.created", sub);
    const invoice = this.invoice(sub, "paid");
    this.emit("invoice.paid", invoice);
    this.emit("checkout.session.completed", session);
    return { subscription: publicView(sub), events: this.events.slice(mark) };
  }

  /** A renewal payment fails: the invoice stays open and the subscription goes past_due. */
  failPayment(subId: string, opts: { actionRequired?: boolean } = {}): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      const invoice = this.invoice(sub, "open");
      this.emit(opts.actionRequired ? "invoice.payment_action_required" : "invoice.payment_failed", invoice);
      this.setStatus(sub, "past_due");
    });
  }

  /** The customer pays the open invoice (new card): back to active. */
  recoverPayment(subId: string): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      this.emit("invoice.paid", this.invoice(sub, "paid"));
      this.setStatus(sub, "active");
    });
  }

  /** Retries are exhausted and Stripe marks the subscription unpaid. */
  markUnpaid(subId: string): Json[] {
    return this.record(() => this.setStatus(this.subscriptionOrThrow(subId), "unpaid"));
  }

  /** The customer asks (in the portal) to cancel at the end of the period. */
  cancelAtPeriodEnd(subId: string, cancel = true): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      const previous = { cancel_at_period_end: sub.cancel_at_period_end };
      this.setCancelAtPeriodEnd(sub, cancel);
      this.emit("customer.subscription.updated", sub, previous);
    });
  }

  /** Three days before a trial ends Stripe warns. */
  trialWillEnd(subId: string): Json[] {
    return this.record(() =>
      this.emit("customer.subscription.trial_will_end", this.subscriptionOrThrow(subId)),
    );
  }

  /**
   * The clock reaches the end of the current period: a subscription set to cancel ends; otherwise it
   * renews (a trial converts to active) and the renewal invoice is paid.
   */
  endPeriod(subId: string): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      const item = firstItem(sub);
      this.advance(Math.max(0, Number(item.current_period_end) - this.now()) + 1);
      if (sub.cancel_at_period_end) {
        this.endSubscription(sub);
        return;
      }
      const previous = { status: sub.status, items: snapshot(sub).items };
      item.current_period_start = item.current_period_end;
      item.current_period_end = Number(item.current_period_end) + PERIOD;
      this.emit("invoice.paid", this.invoice(sub, "paid"));
      sub.status = "active";
      this.emit("customer.subscription.updated", sub, previous);
    });
  }

  /** Ends a subscription at once, as the portal's "cancel now" or an admin in the dashboard would. */
  cancelNow(subId: string): Json[] {
    return this.record(() => this.endSubscription(this.subscriptionOrThrow(subId)));
  }

  /** A trial ends without a payment method: the subscription pauses. */
  pause(subId: string): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      this.setStatus(sub, "paused");
      this.emit("customer.subscription.paused", sub);
    });
  }

  resume(subId: string): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      this.setStatus(sub, "active");
      this.emit("customer.subscription.resumed", sub);
    });
  }

  // --- internals ------------------------------------------------------------------------------------

  private record(change: () => void): Json[] {
    const mark = this.events.length;
    change();
    return this.events.slice(mark);
  }

  private subscriptionOrThrow(id: string): Json {
    const sub = this.subscriptions.get(id);
    if (!sub) throw missing("subscription", id);
    return sub;
  }

  private setStatus(sub: Json, status: SubscriptionStatus): void {
    if (sub.status === status) return;
    const previous = { status: sub.status };
    sub.status = status;
    this.emit("customer.subscription.updated", sub, previous);
  }

  private setCancelAtPeriodEnd(sub: Json, cancel: boolean): void {
    sub.cancel_at_period_end = cancel;
    sub.cancel_at = cancel ? firstItem(sub).current_period_end : null;
  }

  private endSubscription(sub: Json): void {
    const now = this.now();
    Object.assign(sub, { status: "canceled", canceled_at: now, ended_at: now });
    this.emit("customer.subscription.deleted", sub);
  }

  private invoice(sub: Json, status: "paid" | "open"): Json {
    const item = firstItem(sub);
    const invoice = {
      id: newId("in"),
      object: "invoice",
      customer: sub.customer,
      status,
      paid: status === "paid",
      billing_reason: "subscription_cycle",
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: { ...(sub.metadata as Json) } },
      },
      lines: {
        object: "list",
        data: [
          {
            id: newId("il"),
            object: "line_item",
            quantity: item.quantity,
            pricing: { price_details: { price: (item.price as Json).id } },
          },
        ],
        has_more: false,
      },
      period_start: item.current_period_start,
      period_end: item.current_period_end,
      created: this.now(),
      livemode: false,
    };
    this.invoices.set(invoice.id, invoice);
    sub.latest_invoice = invoice.id;
    return invoice;
  }

  /** Records an event with a snapshot of `object` as it is now, and tells the listeners. */
  private emit(type: string, object: Json, previous?: Json): void {
    const event: Json = {
      id: newId("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: this.now(),
      data: previous
        ? { object: publicView(object), previous_attributes: previous }
        : { object: publicView(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  private requirePrice(price: string, param: string): string {
    const known = this.knownPrices ? this.knownPrices.has(price) : price.startsWith("price_");
    if (!known)
      throw new FakeStripeError(
        400,
        "invalid_request_error",
        `No such price: '${price}'`,
        "resource_missing",
        param,
      );
    return price;
  }

  private priceObject(id: string): Json {
    return {
      id,
      object: "price",
      active: true,
      currency: "usd",
      type: "recurring",
      recurring: { interval: "month" },
    };
  }
}

function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
}

function str(value: FormValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function metadata(value: FormValue | undefined): Record<string, string> {
  if (!value || typeof value === "string" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
}

function firstItem(sub: Json): Json {
  return ((sub.items as { data: Json[] }).data[0] ?? {}) as Json;
}

/** A deep copy, so an event keeps the object as it was when the event happened. */
function snapshot(object: Json): Json {
  return structuredClone(object);
}

/** The object as the API returns it: a deep copy without the fake's own `_` fields. */
function publicView(object: Json): Json {
  const copy = snapshot(object);
  for (const key of Object.keys(copy)) if (key.startsWith("_")) delete copy[key];
  return copy;
}
