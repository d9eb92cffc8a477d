import Stripe from "stripe";

/** What a webhook endpoint answered to one delivery. */
export interface Delivery {
  status: number;
  body: string;
}

/**
 * Signs `payload` for the endpoint's signing secret exactly as Stripe does (the SDK's own test signer), at
 * `timestamp` (unix seconds; now by default).
 */
export function signPayload(
  payload: string,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

/** POSTs one event to a webhook URL with a valid signature (or the `signature` given), as Stripe delivers. */
export async function deliverEvent(
  url: string,
  event: object,
  opts: { secret: string; timestamp?: number; signature?: string | null; payload?: string },
): Promise<Delivery> {
  const payload = opts.payload ?? JSON.stringify(event, null, 2);
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  const signature =
    opts.signature === undefined ? signPayload(payload, opts.secret, opts.timestamp) : opts.signature;
  if (signature !== null) headers["stripe-signature"] = signature;
  const res = await fetch(url, { method: "POST", headers, body: payload });
  return { status: res.status, body: await res.text() };
}
