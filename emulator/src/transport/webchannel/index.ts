/** WebChannel transport for the web SDK's Listen and Write streams. */
export type { WebChannelTransport } from "./handler.js";
export { createWebChannel } from "./handler.js";
export type { WebChannelTimings } from "./session.js";
export { DEFAULT_TIMINGS } from "./session.js";
