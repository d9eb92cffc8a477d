import { defineInt, defineString } from "firebase-functions/params";

/**
 * Every setting Hearth reads, in one place. Values come from `functions/.env*` files or the deploy prompt;
 * credentials are secrets (defineSecret) declared by the feature that uses them, in its own block below.
 * Read `.value()` only inside handlers.
 */

/** Public URL of the frontend; invitation links and Stripe return URLs point here. */
export const APP_URL = defineString("APP_URL", {
  default: "http://localhost:5173",
  description: "Public URL of the frontend app (invite links, checkout return URLs)",
});

/** Days an invitation stays valid. */
export const INVITE_TTL_DAYS = defineInt("INVITE_TTL_DAYS", {
  default: 7,
  description: "Days before a pending invitation expires",
});

/** Days a soft-deleted org is kept before it is purged. */
export const ORG_RETENTION_DAYS = defineInt("ORG_RETENTION_DAYS", {
  default: 30,
  description: "Days a deleted organization is kept before its data is purged",
});
