import type { Param } from "firebase-functions/params";
import { APP_URL, INVITE_TTL_DAYS, ORG_RETENTION_DAYS } from "../lib/params.js";
import { requireProductionSettings } from "../lib/production-guard.js";

/**
 * Params as the org lifecycle reads them. Outside the Firebase CLI (unit tests, scripts) an unset param
 * reads as 0 or "", so an unset one falls back to its declared default instead of, say, invitations that
 * expire at once.
 */
function valueOrDefault<T extends string | number>(param: Param<T>): T {
  const raw = process.env[param.name];
  if (raw !== undefined && raw !== "") return param.value();
  return param.options.default as T;
}

export function inviteTtlDays(): number {
  return valueOrDefault(INVITE_TTL_DAYS);
}

export function orgRetentionDays(): number {
  return valueOrDefault(ORG_RETENTION_DAYS);
}

/** Refused in a real project unless it is a public https URL (lib/production-config.ts). */
export function appUrl(): string {
  const url = APP_URL.value();
  requireProductionSettings({ APP_URL: url });
  return url.replace(/\/+$/, "");
}
