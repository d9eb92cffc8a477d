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
export type { Json, MeterEventRecord, SubscriptionStatus } from "./state.js";
