/** A Stripe-shaped API error: the HTTP status plus the `error` object Stripe returns. */
export class FakeStripeError extends Error {
  constructor(
    readonly status: number,
    readonly type:
      | "invalid_request_error"
      | "api_error"
      | "idempotency_error"
      | "card_error"
      | "rate_limit_error",
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  body() {
    return { error: { type: this.type, message: this.message, code: this.code, param: this.param } };
  }
}

export const missing = (kind: string, id: string) =>
  new FakeStripeError(404, "invalid_request_error", `No such ${kind}: '${id}'`, "resource_missing", "id");

export const badParam = (param: string, message: string) =>
  new FakeStripeError(400, "invalid_request_error", message, "parameter_invalid", param);

export const missingParam = (param: string) =>
  new FakeStripeError(
    400,
    "invalid_request_error",
    `Missing required param: ${param}.`,
    "parameter_missing",
    param,
  );
