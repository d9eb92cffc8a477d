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

const HOUR = 60 * 60;
const DAY = 24 * HOUR;
const PERIOD = 30 * DAY;
/** Stripe expires an `incomplete` subscription whose first invoice is still unpaid after 23 hours. */
export const INCOMPLETE_EXPIRY_SECONDS = 23 * HOUR;
/**
 * Stripe refuses a repeated meter event identifier only within a rolling window of "at least 24 hours";
 * the fake keeps exactly 24 hours, so a resend a day later is counted again, as it may be in Stripe.
 */
export const METER_IDENTIFIER_WINDOW_SECONDS = 24 * HOUR;
/** What every fake price costs per unit, in cents, so tests can add up what a customer was charged. */
export const FAKE_UNIT_AMOUNT = 1000;

export interface MeterEventRecord {
  event_name: string;
  identifier: string;
  timestamp: number;
  payload: Record<string, string>;
  /** Fake Stripe time at which the event was accepted: starts the identifier's dedup window. */
  created: number;
}

/** How the first payment of a subscription without a trial goes (see completeCheckout). */
export type FirstPayment = "succeeds" | "requires_action" | "fails";

export class FakeStripeState {
  readonly customers = new Map<string, Json>();
  readonly checkoutSessions = new Map<string, Json & { _lineItems: { price: string; quantity: number }[] }>();
  readonly portalSessions = new Map<string, Json>();
  readonly subscriptions = new Map<string, Json>();
  readonly invoices = new Map<string, Json>();
  readonly paymentIntents = new Map<string, Json>();
  /** Billing meters by id, each `{ id, event_name, status }`. */
  readonly meters = new Map<string, Json>();
  readonly events: Json[] = [];
  readonly meterEvents: MeterEventRecord[] = [];
  /** Listeners told about every new event (the server uses one to deliver webhooks). */
  readonly listeners: ((event: Json) => void)[] = [];
  private clockOffset = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly knownPrices: ReadonlySet<string> | null,
    meterEventNames: readonly string[] = ["hearth_ai_overage"],
  ) {
    for (const eventName of meterEventNames) {
      const id = newId("mtr_test");
      this.meters.set(id, {
        id,
        object: "billing.meter",
        event_name: eventName,
        status: "active",
        display_name: eventName,
        default_aggregation: { formula: "sum" },
        customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
        value_settings: { event_payload_key: "value" },
        created: this.now(),
        livemode: false,
      });
    }
  }

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
      /** Negative: credit Stripe applies to the customer's next invoices (proration refunds land here). */
      balance: 0,
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
    // Like Stripe: without `status` every subscription except canceled ones; `all` includes those too.
    const status = query.get("status");
    const data = [...this.subscriptions.values()].filter(
      (s) =>
        (!customer || s.customer === customer) &&
        (status === "all" || (status ? s.status === status : s.status !== "canceled")),
    );
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

  /**
   * DELETE /v1/subscriptions/:id: cancels at once. With `prorate` and `invoice_now`, the unused part of
   * the current period's paid invoice becomes a final credit invoice whose amount goes to the customer's
   * balance (Stripe applies it to the customer's next invoice). `cancellation_details[comment]` is kept.
   */
  cancelSubscription(id: string, params: Params = {}): Json {
    const sub = this.subscriptionOrThrow(id);
    if (sub.status === "canceled" || sub.status === "incomplete_expired") {
      throw new FakeStripeError(400, "invalid_request_error", "This subscription has already been canceled.");
    }
    const details = (params.cancellation_details ?? {}) as Params;
    sub.cancellation_details = {
      comment: str(details.comment) ?? null,
      feedback: null,
      reason: "cancellation_requested",
    };
    if (str(params.prorate) === "true" && str(params.invoice_now) === "true") this.creditUnusedTime(sub);
    this.endSubscription(sub);
    return publicView(sub);
  }

  /** Credit for the rest of the current period, from the paid invoice that covers it. */
  private creditUnusedTime(sub: Json): void {
    const item = firstItem(sub);
    const start = Number(item.current_period_start);
    const end = Number(item.current_period_end);
    const paid = [...this.invoices.values()].find(
      (i) => i._subscription === sub.id && i.status === "paid" && i.period_start === start,
    );
    const amountPaid = Number(paid?.amount_paid ?? 0);
    if (amountPaid <= 0 || end <= start) return;
    const unused = Math.max(0, end - this.now()) / (end - start);
    const credit = Math.round(amountPaid * unused);
    if (credit === 0) return;
    const invoice = this.invoice(sub, "paid", { total: -credit, reason: "subscription_cancel" });
    const customer = this.customers.get(sub.customer as string);
    if (customer) customer.balance = Number(customer.balance ?? 0) - credit;
    this.emit("invoice.paid", invoice);
  }

  createMeterEvent(params: Params): Json {
    const eventName = str(params.event_name);
    if (!eventName) throw missingParam("event_name");
    const payload = (params.payload ?? {}) as Record<string, FormValue>;
    if (!str(payload.stripe_customer_id)) throw missingParam("payload[stripe_customer_id]");
    if (!str(payload.value)) throw missingParam("payload[value]");
    const identifier = str(params.identifier) ?? newId("mev");
    const windowStart = this.now() - METER_IDENTIFIER_WINDOW_SECONDS;
    if (this.meterEvents.some((e) => e.identifier === identifier && e.created > windowStart)) {
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
      created: this.now(),
    };
    this.meterEvents.push(record);
    return { object: "billing.meter_event", livemode: false, ...record };
  }

  listMeters(query: URLSearchParams): Json {
    const status = query.get("status");
    const data = [...this.meters.values()].filter((m) => !status || m.status === status);
    return { object: "list", data, has_more: false, url: "/v1/billing/meters" };
  }

  /**
   * GET /v1/billing/meters/:id/event_summaries: the sum of the customer's accepted events on the meter
   * with a timestamp in [start_time, end_time), as one summary (no value_grouping_window).
   */
  meterEventSummaries(meterId: string, query: URLSearchParams): Json {
    const meter = this.meters.get(meterId);
    if (!meter) throw missing("billing.meter", meterId);
    const customer = query.get("customer");
    if (!customer) throw missingParam("customer");
    const [start, end] = ["start_time", "end_time"].map((name) => {
      const value = Number(query.get(name));
      if (!query.get(name) || !Number.isInteger(value)) throw missingParam(name);
      if (value % 60 !== 0) throw badParam(name, `${name} must be aligned with minute boundaries.`);
      return value;
    }) as [number, number];
    if (end <= start) throw badParam("end_time", "end_time must be after start_time.");
    const value = this.meterEvents
      .filter(
        (e) =>
          e.event_name === meter.event_name &&
          e.payload.stripe_customer_id === customer &&
          e.timestamp >= start &&
          e.timestamp < end,
      )
      .reduce((sum, e) => sum + Number(e.payload.value), 0);
    const summary = {
      id: newId("mtrusg_test"),
      object: "billing.meter_event_summary",
      aggregated_value: value,
      start_time: start,
      end_time: end,
      meter: meterId,
      livemode: false,
    };
    return {
      object: "list",
      data: [summary],
      has_more: false,
      url: `/v1/billing/meters/${meterId}/event_summaries`,
    };
  }

  // --- test controls: what the customer or Stripe's billing engine does --------------------------------

  /**
   * The customer finishes Checkout: a subscription starts (trialing when the session asked for a trial).
   * Without a trial, `payment` says how the first payment goes: it succeeds (active), needs 3-D Secure
   * (`requires_action`) or is declined (`fails`); the last two leave the subscription `incomplete` with its
   * first invoice open, as Stripe does for a first payment that did not go through, until the customer
   * completes it (confirmPayment) or 23 hours pass (advanceClock: `incomplete_expired`).
   */
  completeCheckout(
    sessionId: string,
    opts: { payment?: FirstPayment } = {},
  ): { subscription: Json; events: Json[] } {
    const session = this.checkoutSessions.get(sessionId);
    if (!session) throw missing("checkout.session", sessionId);
    if (session.status !== "open") throw badParam("session", "This Checkout session is no longer open.");
    const mark = this.events.length;
    const now = this.now();
    const trialDays = Number(session._trialDays) || 0;
    const payment = trialDays > 0 ? "succeeds" : (opts.payment ?? "succeeds");
    const line = session._lineItems[0] as { price: string; quantity: number };
    const subId = newId("sub");
    const periodEnd = trialDays > 0 ? now + trialDays * DAY : now + PERIOD;
    const sub: Json = {
      id: subId,
      object: "subscription",
      customer: session.customer,
      status: trialDays > 0 ? "trialing" : payment === "succeeds" ? "active" : "incomplete",
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
      cancellation_details: null,
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
      payment_status: trialDays > 0 ? "no_payment_required" : payment === "succeeds" ? "paid" : "unpaid",
    });
    session.subscription = subId;
    this.emit("customer.subscription.created", sub);
    if (payment === "succeeds") {
      this.emit("invoice.paid", this.invoice(sub, "paid", { trial: trialDays > 0 }));
    } else {
      const invoice = this.invoice(sub, "open", { payment });
      this.emit(
        payment === "requires_action" ? "invoice.payment_action_required" : "invoice.payment_failed",
        invoice,
      );
    }
    this.emit("checkout.session.completed", session);
    return { subscription: publicView(sub), events: this.events.slice(mark) };
  }

  /**
   * The customer completes the open invoice's payment (passes 3-D Secure, or pays with another card): an
   * `incomplete` subscription becomes active, a `past_due` or `unpaid` one active again.
   */
  confirmPayment(subId: string): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      if (!["incomplete", "past_due", "unpaid"].includes(sub.status as string)) {
        throw badParam("subscription", `A ${sub.status} subscription has no payment to complete.`);
      }
      const open = this.invoices.get(sub.latest_invoice as string);
      if (open && open.status === "open") {
        Object.assign(open, {
          status: "paid",
          paid: true,
          amount_paid: open.amount_due,
          amount_remaining: 0,
        });
        const intent = this.paymentIntents.get(open._paymentIntent as string);
        if (intent)
          Object.assign(intent, { status: "succeeded", next_action: null, last_payment_error: null });
        this.emit("invoice.paid", open);
      } else {
        this.emit("invoice.paid", this.invoice(sub, "paid"));
      }
      this.setStatus(sub, "active");
    });
  }

  /**
   * Moves the fake's clock forward and applies what time does on its own: an `incomplete` subscription
   * whose first payment is still open 23 hours after it was created expires (`incomplete_expired`, its
   * invoice voided), and meter event identifiers older than the dedup window are accepted again.
   */
  advanceClock(seconds: number): Json[] {
    if (!Number.isFinite(seconds) || seconds < 0) throw badParam("seconds", "Clocks only move forward.");
    return this.record(() => {
      this.advance(seconds);
      for (const sub of this.subscriptions.values()) {
        if (sub.status !== "incomplete") continue;
        if (Number(sub.created) + INCOMPLETE_EXPIRY_SECONDS > this.now()) continue;
        const open = this.invoices.get(sub.latest_invoice as string);
        if (open?.status === "open") {
          Object.assign(open, { status: "void", amount_remaining: 0 });
          const intent = this.paymentIntents.get(open._paymentIntent as string);
          if (intent) intent.status = "canceled";
        }
        Object.assign(sub, { ended_at: this.now() });
        this.setStatus(sub, "incomplete_expired");
      }
    });
  }

  /** A renewal payment fails: the invoice stays open and the subscription goes past_due. */
  failPayment(subId: string, opts: { actionRequired?: boolean } = {}): Json[] {
    return this.record(() => {
      const sub = this.subscriptionOrThrow(subId);
      const invoice = this.invoice(sub, "open", {
        payment: opts.actionRequired ? "requires_action" : "fails",
      });
      this.emit(opts.actionRequired ? "invoice.payment_action_required" : "invoice.payment_failed", invoice);
      // An incomplete subscription stays incomplete: only its first invoice can still be paid.
      if (sub.status !== "incomplete") this.setStatus(sub, "past_due");
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

  /**
   * An invoice for the subscription's current period: `FAKE_UNIT_AMOUNT` per unit (0 in a trial), or the
   * given `total` (a negative credit). An open invoice carries a PaymentIntent in the state `payment` says.
   */
  private invoice(
    sub: Json,
    status: "paid" | "open",
    opts: { trial?: boolean; payment?: FirstPayment; total?: number; reason?: string } = {},
  ): Json {
    const item = firstItem(sub);
    const amount = opts.total ?? (opts.trial ? 0 : FAKE_UNIT_AMOUNT * Number(item.quantity ?? 1));
    const amountDue = Math.max(0, amount);
    const id = newId("in");
    let paymentIntent: Json | null = null;
    if (status === "open") {
      const action = opts.payment === "requires_action";
      paymentIntent = {
        id: newId("pi"),
        object: "payment_intent",
        amount: amountDue,
        currency: "usd",
        customer: sub.customer,
        status: action ? "requires_action" : "requires_payment_method",
        next_action: action ? { type: "use_stripe_sdk", use_stripe_sdk: {} } : null,
        last_payment_error: action
          ? null
          : { type: "card_error", code: "card_declined", decline_code: "generic_decline" },
        created: this.now(),
        livemode: false,
      };
      this.paymentIntents.set(paymentIntent.id as string, paymentIntent);
    }
    const invoice = {
      id,
      object: "invoice",
      customer: sub.customer,
      status,
      paid: status === "paid",
      currency: "usd",
      total: amount,
      amount_due: amountDue,
      amount_paid: status === "paid" ? amountDue : 0,
      amount_remaining: status === "paid" ? 0 : amountDue,
      billing_reason: opts.reason ?? "subscription_cycle",
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: { ...(sub.metadata as Json) } },
      },
      payments: {
        object: "list",
        data: paymentIntent
          ? [
              {
                id: newId("inpay"),
                object: "invoice_payment",
                invoice: id,
                is_default: true,
                status: "open",
                payment: { type: "payment_intent", payment_intent: paymentIntent.id },
              },
            ]
          : [],
        has_more: false,
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
      _paymentIntent: paymentIntent?.id ?? null,
      _subscription: sub.id,
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
