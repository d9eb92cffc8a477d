import type { CallableRequest } from "firebase-functions/https";
import { describe, expect, it } from "vitest";
import { checkAppCheck } from "./app-check.js";

const APP_ID = "1:1:web:1";
const decoded = { app_id: APP_ID, sub: APP_ID, iss: "", aud: [], exp: 0, iat: 0 };
const verified: CallableRequest["app"] = { appId: APP_ID, token: decoded };
const consumed = (alreadyConsumed: boolean): CallableRequest["app"] => ({ ...verified!, alreadyConsumed });

function outcome(run: () => void): string {
  try {
    run();
    return "allowed";
  } catch (err) {
    const { code, details } = err as { code: string; details: { reason: string } };
    return `${code} ${details.reason}`;
  }
}

describe("checkAppCheck", () => {
  it.each([
    // enforced, replayProtected, request.app, outcome
    [false, false, undefined, "allowed"],
    [false, true, undefined, "allowed"],
    [false, true, consumed(true), "allowed"],
    [true, false, undefined, "unauthenticated app-check"],
    [true, false, verified, "allowed"],
    [true, false, consumed(true), "allowed"],
    [true, true, undefined, "unauthenticated app-check"],
    [true, true, consumed(false), "allowed"],
    [true, true, consumed(true), "unauthenticated app-check-replayed"],
    // A token the platform did not consume proves nothing about replay.
    [true, true, verified, "unauthenticated app-check-replayed"],
  ])("enforced=%s replayProtected=%s app=%o: %s", (enforced, replayProtected, app, expected) => {
    expect(outcome(() => checkAppCheck(app, { enforced, replayProtected }))).toBe(expected);
  });
});
