export type { Delivery } from "./deliver.js";
export { deliverEvent, signPayload } from "./deliver.js";
export type {
  FakeFailure,
  FakeRequestRecord,
  FakeStripe,
  FakeStripeControl,
  FakeStripeOptions,
} from "./server.js";
export { startFakeStripe } from "./server.js";
export type { FirstPayment, Json, MeterEventRecord, SubscriptionStatus } from "./state.js";
export { FAKE_UNIT_AMOUNT, INCOMPLETE_EXPIRY_SECONDS, METER_IDENTIFIER_WINDOW_SECONDS } from "./state.js";
