import type { CallableRequest } from "firebase-functions/https";
import { AppError } from "./errors.js";

/**
 * Refuses a callable request that App Check does not vouch for, when `enforced`. The platform leaves
 * `request.app` unset for a missing or invalid token. On a `replayProtected` callable the platform consumed
 * the token (`consumeAppCheckToken`) and says whether it had been used before; anything but a first use
 * is refused, so a token captured from one call cannot buy a second checkout or AI answer.
 */
export function checkAppCheck(
  app: CallableRequest["app"],
  opts: { enforced: boolean; replayProtected: boolean },
): void {
  if (!opts.enforced) return;
  if (!app) {
    throw new AppError("unauthenticated", "This app must pass App Check to make this call.", {
      reason: "app-check",
    });
  }
  // `alreadyConsumed` is a boolean only when the token was consumed; undefined also means "not proven fresh".
  if (opts.replayProtected && app.alreadyConsumed !== false) {
    throw new AppError(
      "unauthenticated",
      "This App Check token was already used; request a limited-use token for each call.",
      { reason: "app-check-replayed" },
    );
  }
}
