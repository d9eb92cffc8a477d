import type { GlobalOptions } from "firebase-functions/options";

/**
 * Where and how the deployed functions run, in one place. Every definition names these explicitly rather
 * than relying on setGlobalOptions: global options reach only functions defined after the call, and ESM
 * evaluates every imported feature module before index.ts's own body runs, so the call would have to sit in a
 * module each feature imports first, an ordering nothing checks. The v1 auth triggers ignore global options
 * anyway and need `.region(REGION)`.
 */

/**
 * The one region of every function. Frontends name it too (`getFunctions(app, "us-central1")`), so changing
 * it is a client-visible change; keep it near the Firestore database's location.
 */
export const REGION = "us-central1";

type Scaling = Required<Pick<GlobalOptions, "maxInstances" | "concurrency">>;

/**
 * aiGenerate. A call spends seconds waiting on the provider and little CPU, so one 1-vCPU instance serves
 * many at once; 40 is half the platform default, leaving headroom for the Firestore transactions around
 * each call. 10 instances bound in-flight provider calls at 400: a burst beyond that is refused by the
 * platform (the SDK reports `resource-exhausted`) before it reaches the provider's own rate limits.
 */
export const AI_SCALING = { maxInstances: 10, concurrency: 40 } as const satisfies Scaling;

/**
 * stripeWebhook. A request is a signature check and one Firestore create, tens of milliseconds, so the
 * platform's concurrency of 80 suits it. The endpoint is public: 5 instances stop a flood of forged
 * requests from scaling without bound, and Stripe retries any refused delivery for three days.
 */
export const WEBHOOK_SCALING = { maxInstances: 5, concurrency: 80 } as const satisfies Scaling;

/**
 * onStripeEventCreated. Each event reads the subscription from Stripe and runs a transaction; at most 20 in
 * flight keeps a burst (a redelivered backlog, a month's renewals) under Stripe's rate limit instead of
 * turning it into 429s. Deliveries refused at the limit are retried by the trigger's `retry: true`.
 */
export const STRIPE_EVENT_SCALING = { maxInstances: 2, concurrency: 10 } as const satisfies Scaling;
