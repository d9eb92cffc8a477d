/**
 * Callables from the browser: firebase-functions' own onCall handler (CORS preflight included),
 * served in-process, called with `firebase/functions` from a page on another origin.
 */
import { HttpsError, onCall } from "firebase-functions/https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpFunction, type ServedFunctions, serveFunctions } from "../support/http-functions.js";
import type { FunctionsSteps } from "./pages/functions.js";
import { type BrowserSuite, startBrowserSuite, type Tab } from "./support/suite.js";

let suite: BrowserSuite;
let served: ServedFunctions;
let tab: Tab<FunctionsSteps>;

const echo = onCall((req) => ({ signedIn: req.auth !== undefined, echo: req.data }));
const refuse = onCall(() => {
  throw new HttpsError("failed-precondition", "Not now.", { reason: "not-now" });
});

beforeAll(async () => {
  [suite, served] = await Promise.all([
    startBrowserSuite({ pages: { functions: "functions.ts" } }),
    serveFunctions({ echo: echo as unknown as HttpFunction, refuse: refuse as unknown as HttpFunction }),
  ]);
  tab = await suite.open<FunctionsSteps>("functions");
});
afterAll(async () => {
  await served?.close();
  await suite?.stop();
});

describe("callables from a browser page", () => {
  it("a call crosses origins and returns the function's result", async () => {
    expect(await tab.steps.call(served.url("echo"), { n: 1, s: ["x"] })).toEqual({
      signedIn: false,
      echo: { n: 1, s: ["x"] },
    });
    // The JSON POST is preflighted, and the page fetched nothing that failed.
    expect(tab.errors).toEqual([]);
  });

  it("an HttpsError reaches the page with its code and details", async () => {
    expect(await tab.steps.failure(served.url("refuse"), {})).toEqual({
      code: "functions/failed-precondition",
      details: { reason: "not-now" },
    });
  });
});
