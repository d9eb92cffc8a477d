import { onRequest } from "firebase-functions/https";
import { REGION } from "../lib/runtime.js";

/** Liveness probe for the local stack and uptime checks; reveals nothing but that functions are loaded. */
export const health = onRequest({ region: REGION }, (_req, res) => {
  res.json({ ok: true, service: "hearth-functions" });
});
