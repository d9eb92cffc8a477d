/**
 * The fake's hosted pages, where a developer plays the customer: Checkout (pay, pay with 3-D Secure
 * pending, card declined, or go back) and the Billing Portal (cancel, keep, pay an open invoice). Each
 * choice runs the same operation as the matching control action, so the webhooks Stripe would send are
 * delivered, then the browser goes where Stripe would send it: the session's success_url (with
 * {CHECKOUT_SESSION_ID} filled in) or cancel_url, or back to the portal, which links to its return_url.
 */
import { type Html, html, link } from "../../../scripts/stack/console/html.js";
import { FakeStripeError } from "./errors.js";
import { FAKE_UNIT_AMOUNT, type FakeStripeState, type FirstPayment, type Json } from "./state.js";

export interface PageResponse {
  status: number;
  /** A redirect target, for 303. */
  location?: string;
  html?: string;
}

const CHECKOUT_CHOICES: Record<string, FirstPayment | "cancel"> = {
  pay: "succeeds",
  requires_action: "requires_action",
  decline: "fails",
  cancel: "cancel",
};

const PORTAL_CHOICES = ["cancel_at_period_end", "keep", "cancel_now", "pay_invoice"] as const;

function layout(title: string, body: Html, notice = ""): PageResponse & { html: string } {
  return {
    status: 200,
    html: html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Fake Stripe</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;color:#1a1f36}
.card{border:1px solid #e3e8ee;border-radius:8px;padding:16px;margin:12px 0}button{margin:4px 8px 4px 0;padding:6px 12px}
.test{background:#ffde92;padding:4px 8px;border-radius:4px;font-size:12px}.notice{background:#e6f4ea;padding:8px}
.error{background:#fde8e8;padding:8px}</style></head>
<body><p><span class="test">TEST MODE · Hearth's fake Stripe</span></p><h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}${body}</body></html>`.text,
  };
}

function failure(status: number, message: string): PageResponse {
  return { ...layout("Something went wrong", html`<p class="error" role="alert">${message}</p>`), status };
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** Serves GET and POST for /checkout/{id} and /portal/{id}; undefined for other paths. */
export function servePage(
  state: FakeStripeState,
  method: string,
  path: string,
  query: URLSearchParams,
  body: string,
): PageResponse | undefined {
  const m = /^\/(checkout|portal)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  const id = decodeURIComponent(m[2]!);
  try {
    if (m[1] === "checkout") {
      return method === "POST"
        ? checkoutChoice(state, id, new URLSearchParams(body))
        : checkoutPage(state, id);
    }
    return method === "POST"
      ? portalChoice(state, id, new URLSearchParams(body))
      : portalPage(state, id, query.get("notice") ?? "");
  } catch (err) {
    if (err instanceof FakeStripeError) {
      return failure(err.status, (err.body() as { error: { message: string } }).error.message);
    }
    throw err;
  }
}

function checkoutSession(state: FakeStripeState, id: string) {
  const session = state.checkoutSessions.get(id);
  if (!session) throw new FakeStripeError(404, "invalid_request_error", `No such checkout.session: '${id}'`);
  return session;
}

function checkoutPage(state: FakeStripeState, id: string): PageResponse {
  const session = checkoutSession(state, id);
  if (session.status !== "open") {
    return layout(
      "This Checkout session is complete",
      html`<p>It was paid or ended already. ${link(successUrl(session), "Back to the app")}</p>`,
    );
  }
  const customer = state.customers.get(session.customer as string) ?? {};
  const trialDays = Number(session._trialDays) || 0;
  const items = session._lineItems.map(
    (item) =>
      html`<li><code>${item.price}</code> × ${item.quantity}: ${money(item.quantity * FAKE_UNIT_AMOUNT)} a month</li>`,
  );
  const metadata = Object.entries((session.metadata ?? {}) as Record<string, string>).map(
    ([k, v]) => html`<li>${k}: <code>${v}</code></li>`,
  );
  const button = (choice: keyof typeof CHECKOUT_CHOICES, label: string) =>
    html`<button name="choice" value="${choice}">${label}</button>`;
  return layout(
    "Subscribe",
    html`<div class="card"><p>Customer ${String(customer.email ?? session.customer)}</p><ul>${items}</ul>
    ${trialDays > 0 ? html`<p>${trialDays}-day free trial, then billed monthly.</p>` : ""}
    ${metadata.length ? html`<p>Metadata</p><ul>${metadata}</ul>` : ""}</div>
    <form method="post">
    ${trialDays > 0 ? button("pay", "Start trial") : [button("pay", "Pay"), button("requires_action", "Pay, 3-D Secure not completed"), button("decline", "Pay, card declined")]}
    ${button("cancel", "← Back (cancel)")}</form>
    <p>Pay and both failures return to the app's success URL with the webhooks Stripe sends: a failed first
    payment leaves the subscription <code>incomplete</code> until it is paid (from the portal).</p>`,
  );
}

function successUrl(session: Json): string {
  return String(session.success_url).replaceAll("{CHECKOUT_SESSION_ID}", String(session.id));
}

function checkoutChoice(state: FakeStripeState, id: string, form: URLSearchParams): PageResponse {
  const session = checkoutSession(state, id);
  const choice = CHECKOUT_CHOICES[form.get("choice") ?? ""];
  if (!choice) return failure(400, `Unknown choice "${form.get("choice") ?? ""}".`);
  if (choice === "cancel") {
    if (!session.cancel_url) return failure(400, "This session has no cancel_url to return to.");
    return { status: 303, location: String(session.cancel_url) };
  }
  state.completeCheckout(id, { payment: choice });
  return { status: 303, location: successUrl(session) };
}

function portalSession(state: FakeStripeState, id: string) {
  const session = state.portalSessions.get(id);
  if (!session)
    throw new FakeStripeError(404, "invalid_request_error", `No such billing_portal.session: '${id}'`);
  return session;
}

function portalPage(state: FakeStripeState, id: string, notice: string): PageResponse {
  const session = portalSession(state, id);
  const subscriptions = state.listSubscriptions(
    new URLSearchParams({ customer: String(session.customer), status: "all" }),
  ).data as Json[];
  const form = (subId: string, choice: (typeof PORTAL_CHOICES)[number], label: string) =>
    html`<form method="post" style="display:inline"><input type="hidden" name="subscription" value="${subId}"><button name="choice" value="${choice}">${label}</button></form>`;
  const cards = subscriptions.map((sub) => {
    const subId = String(sub.id);
    const item = ((sub.items as { data: Json[] }).data[0] ?? {}) as Json;
    const price = (item.price as Json | undefined)?.id;
    const ended = ["canceled", "incomplete_expired"].includes(String(sub.status));
    const owes = ["incomplete", "past_due", "unpaid"].includes(String(sub.status));
    return html`<div class="card"><p><code>${String(price ?? "")}</code> × ${String(item.quantity ?? "")} · status <b>${String(sub.status)}</b>
    ${sub.cancel_at_period_end ? " · cancels at the end of the period" : ""}</p>
    <p>Current period ends ${new Date(Number(item.current_period_end) * 1000).toISOString()}</p>
    ${
      ended
        ? ""
        : [
            owes ? form(subId, "pay_invoice", "Pay the open invoice") : "",
            sub.cancel_at_period_end
              ? form(subId, "keep", "Don't cancel")
              : form(subId, "cancel_at_period_end", "Cancel at period end"),
            form(subId, "cancel_now", "Cancel now"),
          ]
    }</div>`;
  });
  const back = session.return_url ? link(String(session.return_url), "← Return to the app") : "";
  return layout(
    "Billing",
    html`<p>${back}</p>${cards}${subscriptions.length ? "" : html`<p>No subscriptions.</p>`}`,
    notice,
  );
}

function portalChoice(state: FakeStripeState, id: string, form: URLSearchParams): PageResponse {
  const session = portalSession(state, id);
  const subId = form.get("subscription") ?? "";
  const sub = state.subscriptions.get(subId);
  if (!sub || sub.customer !== session.customer) return failure(404, `No such subscription: '${subId}'`);
  const choice = PORTAL_CHOICES.find((c) => c === form.get("choice"));
  if (!choice) return failure(400, `Unknown choice "${form.get("choice") ?? ""}".`);
  const events =
    choice === "cancel_at_period_end"
      ? state.cancelAtPeriodEnd(subId, true)
      : choice === "keep"
        ? state.cancelAtPeriodEnd(subId, false)
        : choice === "cancel_now"
          ? state.cancelNow(subId)
          : state.confirmPayment(subId);
  const notice = `Done: ${events.map((e) => e.type).join(", ")}.`;
  return { status: 303, location: `/portal/${encodeURIComponent(id)}?${new URLSearchParams({ notice })}` };
}
