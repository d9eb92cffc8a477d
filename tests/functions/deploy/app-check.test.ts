import { randomBytes } from "node:crypto";
import { deleteApp, type FirebaseApp, initializeApp } from "firebase/app";
import { CustomProvider, initializeAppCheck } from "firebase/app-check";
import { type FunctionsError, getFunctions, httpsCallableFromURL } from "firebase/functions";
import { AppCheck, type VerifyAppCheckTokenOptions } from "firebase-admin/app-check";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type HttpFunction, type ServedFunctions, serveFunctions } from "../../support/http-functions.js";
import { endpointOf, loadDeployedFunctions } from "./support.js";

/**
 * App Check on every exported callable, through the Firebase JS SDK as a frontend calls them and the
 * callables' own HTTP handlers (the platform's token checks included). Google's App Check service cannot
 * be reached, so the Admin SDK's verifyToken is replaced by a fake of it: tokens it issued verify, a
 * consumed token reports `alreadyConsumed` on its second consumption, anything else is rejected.
 */

const REPLAY_PROTECTED = ["aiGenerate", "createCheckoutSession", "createPortalSession"];
const APP_ID = "1:1234:web:hearth";

const fns: Record<string, unknown> = { ...(await loadDeployedFunctions()) };
const callables = Object.keys(fns)
  .filter((name) => endpointOf(fns[name]).callableTrigger)
  .sort();

const consumed = new Set<string>();
/** Every token the platform asked App Check to verify, and whether it asked to consume it. */
const verifications: { token: string; consume: boolean }[] = [];

let served: ServedFunctions;
const apps: FirebaseApp[] = [];

/** A frontend app; with `tokens`, App Check is initialised with a provider minting them. */
function frontend(tokens?: () => string): FirebaseApp {
  const app = initializeApp(
    { projectId: "demo-hearth", apiKey: "demo-key", appId: APP_ID },
    `app-${randomBytes(4).toString("hex")}`,
  );
  if (tokens) {
    const provider = new CustomProvider({
      getToken: async () => ({ token: tokens(), expireTimeMillis: Date.now() + 3_600_000 }),
    });
    initializeAppCheck(app, { provider, isTokenAutoRefreshEnabled: false });
  }
  apps.push(app);
  return app;
}

let minted = 0;
const mint = () => `issued-${++minted}`;

/**
 * Calls `name` signed out with empty input and reports how it ended ("ok", or the error code and reason).
 * A call App Check lets through stops at the next check (input validation or sign-in), before any I/O.
 */
async function outcome(app: FirebaseApp, name: string, opts: { limitedUseAppCheckTokens?: boolean } = {}) {
  const call = httpsCallableFromURL(getFunctions(app), served.url(name), opts);
  try {
    await call({});
    return "ok";
  } catch (err) {
    const { code, details } = err as FunctionsError;
    return `${code} ${(details as { reason?: string } | undefined)?.reason ?? ""}`.trim();
  }
}

beforeAll(async () => {
  // The repo root's firebase-admin: the copy firebase-functions verifies callable tokens with.
  vi.spyOn(AppCheck.prototype, "verifyToken").mockImplementation(
    async (token: string, options?: VerifyAppCheckTokenOptions) => {
      verifications.push({ token, consume: options?.consume === true });
      if (!token.startsWith("issued-")) throw new Error("App Check token signature is invalid");
      const decoded = { app_id: APP_ID, sub: APP_ID, aud: [], iss: "", exp: 0, iat: 0 };
      if (!options?.consume) return { appId: APP_ID, token: decoded };
      const alreadyConsumed = consumed.has(token);
      consumed.add(token);
      return { appId: APP_ID, token: decoded, alreadyConsumed };
    },
  );
  served = await serveFunctions(
    Object.fromEntries(callables.map((name) => [name, fns[name] as HttpFunction])),
  );
});
afterEach(() => {
  process.env.ENFORCE_APP_CHECK = "false";
});
afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all(apps.map((app) => deleteApp(app)));
  await served?.close();
});

describe("App Check on every callable", () => {
  it("the table covers every callable, the replay-protected ones among them", () => {
    expect(callables.length).toBeGreaterThan(REPLAY_PROTECTED.length);
    expect(callables).toEqual(expect.arrayContaining(REPLAY_PROTECTED));
  });

  it.each(callables)("%s: refused without a token when ENFORCE_APP_CHECK is true", async (name) => {
    process.env.ENFORCE_APP_CHECK = "true";
    expect(await outcome(frontend(), name)).toBe("functions/unauthenticated app-check");
  });

  it.each(callables)("%s: refused with a token App Check rejects", async (name) => {
    process.env.ENFORCE_APP_CHECK = "true";
    expect(
      await outcome(
        frontend(() => "forged"),
        name,
      ),
    ).toBe("functions/unauthenticated app-check");
  });

  it.each(callables)("%s: with a valid token, answers as it does without enforcement", async (name) => {
    const unenforced = await outcome(frontend(), name);
    expect(unenforced).not.toMatch(/app-check/);
    process.env.ENFORCE_APP_CHECK = "true";
    expect(await outcome(frontend(mint), name, { limitedUseAppCheckTokens: true })).toBe(unenforced);
  });
});

describe("replay protection", () => {
  it.each(callables)("%s: consumes its token exactly when it is a money or AI endpoint", async (name) => {
    const before = verifications.length;
    await outcome(frontend(mint), name);
    expect(verifications.slice(before).map((v) => v.consume)).toEqual([REPLAY_PROTECTED.includes(name)]);
  });

  it.each(REPLAY_PROTECTED)("%s: a token presented twice is refused the second time", async (name) => {
    process.env.ENFORCE_APP_CHECK = "true";
    // Without limited-use tokens the SDK caches one token and sends it on every call.
    const app = frontend(mint);
    const first = await outcome(app, name);
    expect(first).not.toMatch(/app-check/);
    expect(await outcome(app, name)).toBe("functions/unauthenticated app-check-replayed");
    // With limited-use tokens each call carries a fresh one.
    expect(await outcome(app, name, { limitedUseAppCheckTokens: true })).toBe(first);
    expect(await outcome(app, name, { limitedUseAppCheckTokens: true })).toBe(first);
  });

  it("other callables accept a token they have seen before", async () => {
    process.env.ENFORCE_APP_CHECK = "true";
    const name = callables.find((n) => !REPLAY_PROTECTED.includes(n))!;
    const app = frontend(mint);
    const first = await outcome(app, name);
    expect(first).not.toMatch(/app-check/);
    expect(await outcome(app, name)).toBe(first);
  });

  it("without enforcement a replayed token is let through, as a missing one is", async () => {
    const app = frontend(() => "issued-reused");
    const first = await outcome(app, "createPortalSession");
    expect(await outcome(app, "createPortalSession")).toBe(first);
    expect(first).not.toMatch(/app-check/);
  });
});
