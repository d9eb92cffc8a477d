/**
 * The browser harness itself, with no emulator traffic: a missing Chromium fails loudly, pages are
 * bundled with the web SDK and served, and steps carry results, error codes and timeouts back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FirestoreSteps } from "./pages/firestore.js";
import type { LiteSteps } from "./pages/lite.js";
import { launchChromium } from "./support/chromium.js";
import { stepsOf } from "./support/steps.js";
import { type BrowserSuite, startBrowserSuite } from "./support/suite.js";

let suite: BrowserSuite;

beforeAll(async () => {
  suite = await startBrowserSuite({ pages: { firestore: "firestore.ts", lite: "lite.ts" } });
});
afterAll(() => suite?.stop());

describe("browser harness", () => {
  it("a missing Chromium fails with how to install it", async () => {
    await expect(launchChromium("/nonexistent/chromium")).rejects.toThrow(
      /Chromium was not found at \/nonexistent\/chromium.*apt-get install chromium/,
    );
  });

  it("runs the bundled web SDK in headless Chromium", async () => {
    const tab = await suite.open<LiteSteps>("lite");
    try {
      expect(await tab.page.evaluate(() => navigator.userAgent)).toMatch(/HeadlessChrome|Chrome/);
      expect(await tab.steps.init(suite.emulator.client())).toBe(true);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it("a step that throws rejects with its message; one that hangs times out with what the page logged", async () => {
    const tab = await suite.open<FirestoreSteps>("firestore");
    try {
      await expect(tab.steps.getDoc("open/x")).rejects.toThrow(/Call init first/);
      await tab.page.evaluate(() => console.error("seen by the harness"));
      const slow = stepsOf<{ never(): Promise<void> }>(tab.page, () => tab.errors, 200);
      await tab.page.evaluate(() => {
        const g = globalThis as unknown as { hearth: { run(n: string, a: unknown[]): Promise<unknown> } };
        const run = g.hearth.run;
        g.hearth.run = (n, a) => (n === "never" ? new Promise(() => {}) : run(n, a));
      });
      await expect(slow.never()).rejects.toThrow(/did not settle within 200 ms[\s\S]*seen by the harness/);
    } finally {
      await tab.close();
    }
  });

  it("each page gets a fresh context", async () => {
    const [a, b] = await Promise.all([suite.open<LiteSteps>("lite"), suite.open<LiteSteps>("lite")]);
    try {
      expect(a.context).not.toBe(b.context);
      await a.page.evaluate(() => localStorage.setItem("k", "v"));
      expect(await b.page.evaluate(() => localStorage.getItem("k"))).toBeNull();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
