/**
 * The set-up every Firestore browser test file shares, registered with vitest's hooks: one browser and
 * emulator per file, firebase-admin as the second client, and every tab a test opened closed after it.
 * Call it at module level; read `suite` and `admin` inside tests.
 *
 * @example
 * const env = browserTests();
 * it("reads", async () => {
 *   const tab = await env.firestore({ uid: "alice" });
 *   await env.admin.doc("open/a").set({ n: 1 });
 * });
 */
import type { Firestore } from "firebase-admin/firestore";
import { afterAll, afterEach, beforeAll } from "vitest";
import { adminFirestore } from "../../emulator/helpers/admin.js";
import type { FirestoreSteps, InitOptions } from "../pages/firestore.js";
import { type BrowserSuite, startBrowserSuite, type Tab } from "./suite.js";

export interface BrowserTests {
  readonly suite: BrowserSuite;
  readonly admin: Firestore;
  /** Opens one of the file's pages; the tab is closed after the test. */
  open<S>(page: string): Promise<Tab<S>>;
  /** Opens the `firestore` page with its SDK pointed at the emulator (signed in as `uid` when given). */
  firestore(opts?: Omit<InitOptions, "host" | "port" | "projectId">): Promise<Tab<FirestoreSteps>>;
}

export function browserTests(pages: Record<string, string> = { firestore: "firestore.ts" }): BrowserTests {
  let suite: BrowserSuite | undefined;
  let admin: Firestore | undefined;
  let tabs: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    suite = await startBrowserSuite({ pages });
    admin = adminFirestore(suite.emulator);
  });
  afterAll(async () => {
    await admin?.terminate();
    await suite?.stop();
  });
  afterEach(async () => {
    await Promise.all(tabs.map((tab) => tab.close()));
    tabs = [];
  });

  const env: BrowserTests = {
    get suite() {
      if (!suite) throw new Error("the browser suite is not started (use it inside tests)");
      return suite;
    },
    get admin() {
      if (!admin) throw new Error("the browser suite is not started (use it inside tests)");
      return admin;
    },
    async open<S>(page: string) {
      const tab = await env.suite.open<S>(page);
      tabs.push(tab);
      return tab;
    },
    async firestore(opts = {}) {
      const tab = await env.open<FirestoreSteps>("firestore");
      await tab.steps.init({ ...env.suite.emulator.client(), ...opts });
      return tab;
    },
  };
  return env;
}
