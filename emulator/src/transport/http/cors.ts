/**
 * CORS for every HTTP answer, so browser apps on another origin (a dev server on another port) can reach
 * the emulator. The web SDK sends credentials (XHR `withCredentials`), so the origin is reflected rather
 * than answered with `*`, and preflights allow whatever headers the browser asks for (`authorization`,
 * `x-goog-api-client`, `x-firebase-gmpid`, `google-cloud-resource-prefix`, `x-goog-request-params`,
 * `x-firebase-appcheck`, ...).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";

const ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

/** Headers the SDK sends when the browser does not say which ones it will send. */
const DEFAULT_ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "google-cloud-resource-prefix",
  "x-firebase-appcheck",
  "x-firebase-gmpid",
  "x-goog-api-client",
  "x-goog-api-key",
  "x-goog-request-params",
].join(", ");

/** Response headers WebChannel clients read. */
const EXPOSED_HEADERS = "x-client-wire-protocol, x-http-session-id, x-http-initial-response";

const PREFLIGHT_MAX_AGE_SECONDS = "86400";

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The CORS headers every answer carries. */
export function corsHeaders(request: IncomingHttpHeaders): OutgoingHttpHeaders {
  const origin = single(request.origin);
  if (!origin) return { "access-control-allow-origin": "*" };
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": EXPOSED_HEADERS,
    vary: "Origin",
  };
}

/** The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function preflightHeaders(request: IncomingHttpHeaders): OutgoingHttpHeaders {
  const asked = single(request["access-control-request-headers"]);
  const headers: OutgoingHttpHeaders = {
    ...corsHeaders(request),
    "access-control-allow-methods": ALLOWED_METHODS,
    "access-control-allow-headers": asked?.trim() ? asked : DEFAULT_ALLOWED_HEADERS,
    "access-control-max-age": PREFLIGHT_MAX_AGE_SECONDS,
    vary: "Origin, Access-Control-Request-Headers",
  };
  // Chrome's Private Network Access: a public page reaching localhost asks for this.
  if (single(request["access-control-request-private-network"]) === "true") {
    headers["access-control-allow-private-network"] = "true";
  }
  return headers;
}
