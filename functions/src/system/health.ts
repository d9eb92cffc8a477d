import { onRequest } from "firebase-functions/https";

/** Liveness probe for the local stack and uptime checks; reveals nothing but that functions are loaded. */
export const health = onRequest({ region: "us-central1" }, (_req, res) => {
  res.json({ ok: true, service: "hearth-functions" });
});
