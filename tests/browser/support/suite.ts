/**
 * One browser suite per test file: Hearth's emulator in-process with Security Rules enforced, the
 * file's pages bundled once and served locally, one headless Chromium, and a fresh browser context
 * (its own storage and IndexedDB) for every page a test opens. Pages report console errors, failed
 * requests and the URLs they fetched, so tests can assert the browser saw no errors.
 *
 * @example
 * const suite = await startBrowserSuite({ pages: { firestore: "firestore.ts" } });
 * const tab = await suite.open<FirestoreSteps>("firestore");
 * await tab.steps.init({ ...suite.emulator.client(), uid: "alice" });
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "./chromium.js";
import { bundle, type PageServer, servePages } from "./pages.js";
import { type Client, stepsOf } from "./steps.js";

/** HEARTH_BROWSER_DEBUG=1 prints every console message and turns on the SDK's debug log. */
const DEBUG = process.env.HEARTH_BROWSER_DEBUG === "1";

export const BROWSER_RULES = readFileSync(new URL("./browser.rules", import.meta.url), "utf8");

export interface SuiteEmulator {
  host: string;
  port: number;
  projectId: string;
  /** What a page's `init` needs to reach this emulator. */
  client(): { host: string; port: number; projectId: string };
  /** WebChannel sessions the emulator holds open now. */
  webChannelSessions(): number;
  /** Stops the emulator and starts a fresh one (no data) on the same port with the same rules. */
  restart(opts?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function startSuiteEmulator(rules: string = BROWSER_RULES): Promise<SuiteEmulator> {
  const start = (port: number) =>
    startEmulator({ host: "127.0.0.1", port, logger: silentLogger, rulesSource: rules });
  let running: RunningEmulator = await start(0);
  const projectId = `demo-${randomBytes(6).toString("hex")}`;
  const emu: SuiteEmulator = {
    host: running.host,
    port: running.port,
    projectId,
    client: () => ({ host: emu.host, port: emu.port, projectId }),
    webChannelSessions: () => running.webChannelSessions(),
    restart: async ({ downMs = 0 } = {}) => {
      await running.stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      running = await start(emu.port);
    },
    stop: () => running.stop(),
  };
  return emu;
}

export interface Tab<S> {
  page: Page;
  context: BrowserContext;
  steps: Client<S>;
  /** console.error messages and uncaught page errors, in order. */
  errors: string[];
  /** URLs the page requested, in order. */
  requests: string[];
  /** Requests the page itself cancelled (method and URL). */
  aborted: string[];
  /** Reloads the page (storage kept) and waits for its steps again. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserSuite {
  emulator: SuiteEmulator;
  browser: Browser;
  /** A fresh browser context with the page `name` loaded and its steps published. */
  open<S>(name: string): Promise<Tab<S>>;
  stop(): Promise<void>;
}

async function waitForSteps(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (globalThis as { hearth?: { ready?: boolean } }).hearth?.ready === true,
    null,
    {
      timeout: 10_000,
    },
  );
}

/**
 * Opens `url` (a page served by `servePages`) in a fresh context of `browser`, records what the page
 * reports, and waits for its steps; `name` labels its debug output.
 */
export async function openTab<S>(browser: Browser, url: string, name: string): Promise<Tab<S>> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const aborted: string[] = [];
  if (DEBUG) await context.addInitScript(() => Object.assign(globalThis, { hearthDebug: true }));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
    if (DEBUG) process.stderr.write(`[${name} ${msg.type()}] ${msg.text()}\n`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("request", (req) => requests.push(req.url()));
  page.on("requestfailed", (req) => {
    const reason = req.failure()?.errorText ?? "";
    // The page's own cancellations (WebChannel ends requests it no longer needs) are no error;
    // Chrome does not report them as one either.
    if (reason === "net::ERR_ABORTED") aborted.push(`${req.method()} ${req.url()}`);
    else errors.push(`request failed: ${req.method()} ${req.url()} ${reason}`);
  });
  page.on("response", (res) => {
    if (res.status() < 400) return;
    errors.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
    if (DEBUG)
      void res.text().then((body) => process.stderr.write(`[${name} HTTP ${res.status()}] ${body}\n`));
  });
  // Navigation only has to commit: the steps appearing is what says the page has run.
  await page.goto(url, { waitUntil: "commit" });
  await waitForSteps(page);
  return {
    page,
    context,
    steps: stepsOf<S>(page, () => errors),
    errors,
    requests,
    aborted,
    reload: async () => {
      await page.reload({ waitUntil: "commit" });
      await waitForSteps(page);
    },
    close: () => context.close(),
  };
}

export async function startBrowserSuite(opts: {
  /** Page name -> entry file under tests/browser/pages/. */
  pages: Record<string, string>;
  rules?: string;
}): Promise<BrowserSuite> {
  const entries = Object.entries(opts.pages);
  const [bundled, launched, started] = await Promise.allSettled([
    Promise.all(entries.map(async ([name, entry]) => [name, await bundle(entry)] as const)),
    launchChromium(),
    startSuiteEmulator(opts.rules),
  ]);
  const served =
    bundled.status === "fulfilled"
      ? await servePages(Object.fromEntries(bundled.value)).then(
          (value) => ({ status: "fulfilled", value }) as const,
          (reason: unknown) => ({ status: "rejected", reason }) as const,
        )
      : bundled;
  if (launched.status === "rejected" || started.status === "rejected" || served.status === "rejected") {
    // Whatever did start is stopped, and the first failure is the one reported.
    await Promise.allSettled([
      launched.status === "fulfilled" ? launched.value.close() : null,
      started.status === "fulfilled" ? started.value.stop() : null,
      served.status === "fulfilled" ? served.value.close() : null,
    ]);
    throw [launched, started, served].find((r) => r.status === "rejected")?.reason;
  }
  const browser = launched.value;
  const emulator = started.value;
  const server: PageServer = served.value;
  const contexts = new Set<BrowserContext>();
  return {
    emulator,
    browser,
    async open<S>(name: string): Promise<Tab<S>> {
      const tab = await openTab<S>(browser, server.url(name), name);
      contexts.add(tab.context);
      return {
        ...tab,
        close: async () => {
          contexts.delete(tab.context);
          await tab.close();
        },
      };
    },
    async stop() {
      await Promise.allSettled([...contexts].map((c) => c.close()));
      await Promise.allSettled([browser.close(), server.close(), emulator.stop()]);
    },
  };
}
