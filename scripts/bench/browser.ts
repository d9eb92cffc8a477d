/**
 * Browser figures (no assertions), against Hearth's emulator in its own process with permissive rules,
 * the Firebase web SDK bundled into a page by the browser test harness and run in headless Chromium
 * (tests/browser/support/):
 *
 * 1. Page loads: LOADS loads of a page (WORKERS tabs at a time, each reloading its page) that opens a
 *    query listener with the SDK's default settings, waits for its first server snapshot and is then
 *    navigated away without terminate(), as a closed tab would be. Reported: the time of one load, the
 *    emulator's open WebChannel sessions right after and once the idle-session expiry (shortened to
 *    IDLE_MS) has passed, and the emulator server's RSS (from /proc) before and after. The CLI has no flag
 *    for the expiry and no way to count sessions, so this part runs the emulator through
 *    support/emulator-host.ts, in its own process too.
 * 2. Write → listener latency, with the emulator started by its CLI: one write at a time through
 *    firebase-admin to one of HOT documents that a query listener matches (`where("hot", "==", true)`),
 *    while the collection holds 1k and then 50k documents; latency runs from just before the write is
 *    issued to the listener's callback. Measured for the web SDK in the page (WebChannel) and for
 *    firebase-admin's onSnapshot in another app (its own gRPC channel) in Node; both listeners stay open
 *    throughout.
 *
 * One clock for the browser figure: Node and the page both read `performance.timeOrigin +
 * performance.now()` (epoch ms, sub-ms resolution). The page records when its callback ran; the offset
 * between the two clocks is estimated from the `page.evaluate` round trip with the smallest time
 * (offset = pageNow - midpoint of the round trip, within ± half that round trip) and subtracted. So the
 * figure carries no CDP round trip, only that uncertainty, which is printed.
 *
 * Run: npm run bench -- browser   (needs Chromium at /usr/bin/chromium or CHROMIUM_PATH)
 */
import "../stack/offline.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../../tests/browser/support/chromium.js";
import { bundle, type PageServer, servePages } from "../../tests/browser/support/pages.js";
import { type Client, stepsOf } from "../../tests/browser/support/steps.js";
import type { ListenerSteps } from "./pages/listener.js";
import { type Firestore as AdminFirestore, adminFirestore } from "./support/admin.js";
import { type HostedEmulator, hostEmulator, spawnEmulator } from "./support/emulator.js";
import { ms, spread, Table } from "./support/stats.js";

/** Page loads, how many tabs load at once, and the time they may take in all. */
const LOADS = 1_000;
const WORKERS = 6;
const LOADS_BUDGET_MS = 240_000;
/** The emulator's idle-session expiry for the page-load part (60 s by default). */
const IDLE_MS = 5_000;
/** Latency samples per client and collection size, after WARMUP unrecorded writes. */
const SAMPLES = 200;
const WARMUP = 10;
const SIZES = [1_000, 50_000];
/** Documents the listened query matches. */
const HOT = 20;
/** No single wait (a load, a snapshot) may take longer. */
const STEP_TIMEOUT_MS = 15_000;

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /{document=**} {
      allow read, write: if true;
    }
  }
}`;

const nodeNow = () => performance.timeOrigin + performance.now();
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const table = new Table(
  "Browser: headless Chromium and the web SDK (default settings) against the emulator in its own process",
);

/** Documents d{from}..d{to - 1} of `items`; the first HOT match the listened query. */
async function fill(db: AdminFirestore, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 500) {
    const batch = db.batch();
    for (let i = start; i < Math.min(start + 500, to); i++) {
      batch.set(db.doc(`items/d${i}`), { i, hot: i < HOT, group: i % 10, name: `doc ${i}` });
    }
    await batch.commit();
  }
}

interface Tab {
  context: BrowserContext;
  page: Page;
  steps: Client<ListenerSteps>;
  errors: string[];
}

async function openTab(browser: Browser): Promise<Tab> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  return { context, page, errors, steps: stepsOf<ListenerSteps>(page, () => errors, STEP_TIMEOUT_MS) };
}

/** Navigates the tab to the page (unloading whatever it showed) and waits for its steps. */
async function loadPage(tab: Tab, server: PageServer): Promise<void> {
  await tab.page.goto(server.url("listener"), { waitUntil: "commit", timeout: STEP_TIMEOUT_MS });
  await tab.page.waitForFunction(
    () => (globalThis as { hearth?: { ready?: boolean } }).hearth?.ready === true,
    null,
    { timeout: STEP_TIMEOUT_MS },
  );
}

/** Waits (at most `limitMs`) for the emulator to hold no WebChannel session; the sessions left. */
async function sessionsAfter(emulator: HostedEmulator, limitMs: number): Promise<number> {
  const deadline = performance.now() + limitMs;
  while ((await emulator.webChannelSessions()) > 0 && performance.now() < deadline) await sleep(250);
  return emulator.webChannelSessions();
}

async function pageLoads(browser: Browser, server: PageServer): Promise<void> {
  const emulator = await hostEmulator({ rulesSource: RULES, webChannel: { idleMs: IDLE_MS } });
  const projectId = "demo-bench-browser-loads";
  const db = adminFirestore(emulator.port, projectId);
  await fill(db, 0, 100);
  const listen = { host: emulator.host, port: emulator.port, projectId, path: "items" };
  const tabs = await Promise.all(Array.from({ length: WORKERS }, () => openTab(browser)));
  const loadOnce = async (tab: Tab) => {
    await loadPage(tab, server);
    const size = await tab.steps.listen(listen);
    if (size !== HOT) throw new Error(`The page's listener saw ${size} documents, expected ${HOT}.`);
  };

  // Warm-up (Chromium's caches, the emulator's lazily loaded parts), then a baseline with no session.
  for (const tab of tabs) await loadOnce(tab);
  for (const tab of tabs) await tab.page.goto("about:blank");
  const warmLeft = await sessionsAfter(emulator, IDLE_MS * 3);
  const before = emulator.rss();

  let started = 0;
  let failed = 0;
  let peak = 0;
  const times: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + LOADS_BUDGET_MS;
  await Promise.all(
    tabs.map(async (tab) => {
      while (started < LOADS && performance.now() < deadline && failed < 20) {
        started++;
        const t = performance.now();
        try {
          await loadOnce(tab);
          times.push(performance.now() - t);
        } catch (error) {
          failed++;
          console.error(`page load failed: ${(error as Error).message}`);
        }
        peak = Math.max(peak, await emulator.webChannelSessions());
      }
    }),
  );
  const elapsed = performance.now() - t0;
  // The tabs close without terminate(), as a user closing them would.
  await Promise.all(tabs.map((tab) => tab.context.close()));
  const openAfterLoads = await emulator.webChannelSessions();
  const atEnd = emulator.rss();
  const waitStart = performance.now();
  const left = await sessionsAfter(emulator, IDLE_MS * 2 + 10_000);
  const waited = performance.now() - waitStart;
  await sleep(500);
  const after = emulator.rss();

  const label = `${times.length} of ${LOADS} page loads (${failed} failed), ${WORKERS} tabs at a time`;
  table.add({
    figure: `${label}: one load, goto → first server snapshot`,
    value: spread(times, ms),
    reference: `${((times.length / elapsed) * 1000).toFixed(1)} loads/s over ${(elapsed / 1000).toFixed(1)} s`,
  });
  table.add({
    figure: `${label}: open WebChannel sessions`,
    value: `${warmLeft} before, ≤ ${peak} during, ${openAfterLoads} at close, ${left} ${(waited / 1000).toFixed(1)} s later`,
    reference: `idle-session expiry shortened to ${IDLE_MS / 1000} s (60 s by default)`,
  });
  table.add({
    figure: `${label}: emulator RSS`,
    value: `${before.toFixed(0)} MiB before → ${atEnd.toFixed(0)} at close → ${after.toFixed(0)} after expiry (${after - before >= 0 ? "+" : ""}${(after - before).toFixed(1)})`,
    reference: "runs from source through tsx (support/emulator-host.ts)",
  });
  await db.terminate();
  await emulator.stop();
}

/** The page clock minus Node's, from the page.evaluate round trip with the smallest time. */
async function clockOffset(steps: Client<ListenerSteps>): Promise<{ offset: number; within: number }> {
  let best = { offset: 0, within: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 30; i++) {
    const a = nodeNow();
    const page = await steps.now();
    const b = nodeNow();
    if ((b - a) / 2 < best.within) best = { offset: page - (a + b) / 2, within: (b - a) / 2 };
  }
  return best;
}

async function latency(browser: Browser, server: PageServer): Promise<void> {
  const rulesDir = mkdtempSync(path.join(tmpdir(), "hearth-browser-bench-"));
  const rules = path.join(rulesDir, "firestore.rules");
  writeFileSync(rules, RULES);
  const emulator = await spawnEmulator({ rules });
  const projectId = "demo-bench-browser-latency";
  const db = adminFirestore(emulator.port, projectId);
  // The Node listener's own app and gRPC channel: another client than the writer, as the page is.
  const listener = adminFirestore(emulator.port, projectId, "listener");
  const tab = await openTab(browser);
  const backChannels = new Set<string>();
  tab.page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.pathname.endsWith("/Listen/channel") && url.searchParams.get("RID") === "rpc") {
      backChannels.add(url.searchParams.get("CI") === "1" ? "long polling" : "streaming");
    }
  });

  // firebase-admin's listener: tick → when its callback ran (Node clock).
  const nodeSeen = new Map<number, number>();
  const nodeWaiting = new Map<number, (at: number) => void>();
  let unsubscribe: (() => void) | null = null;
  const seenInNode = (tick: number) =>
    new Promise<number>((resolve, reject) => {
      const at = nodeSeen.get(tick);
      if (at !== undefined) return resolve(at);
      const timer = setTimeout(
        () => reject(new Error(`firebase-admin did not see tick ${tick}.`)),
        STEP_TIMEOUT_MS,
      );
      nodeWaiting.set(tick, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });

  let tick = 0;
  let stored = 0;
  const rssBefore = emulator.rss();
  for (const size of SIZES) {
    await fill(db, stored, size);
    stored = size;
    if (!unsubscribe) {
      await loadPage(tab, server);
      await tab.steps.listen({ host: emulator.host, port: emulator.port, projectId, path: "items" });
      let first: () => void = () => {};
      const ready = new Promise<void>((r) => (first = r));
      unsubscribe = listener
        .collection("items")
        .where("hot", "==", true)
        .onSnapshot(
          (snap) => {
            const at = nodeNow();
            for (const change of snap.docChanges()) {
              const t: unknown = change.doc.get("tick");
              if (typeof t !== "number" || nodeSeen.has(t)) continue;
              nodeSeen.set(t, at);
              nodeWaiting.get(t)?.(at);
              nodeWaiting.delete(t);
            }
            first();
          },
          (error) => console.error(`firebase-admin listener failed: ${error.message}`),
        );
      await ready;
    }
    await sleep(200);
    const clock = await clockOffset(tab.steps);
    const docs = `${size.toLocaleString("en-US")} docs stored`;
    for (const client of ["browser", "node"] as const) {
      const seen: number[] = [];
      const commits: number[] = [];
      for (let i = 0; i < WARMUP + SAMPLES; i++) {
        tick++;
        const t0 = nodeNow();
        // A new value each time (an identical write raises no snapshot), to one of the matched documents.
        // The listeners record when they saw it, so awaiting the commit first adds nothing to the figure.
        const committed = await db
          .doc(`items/d${tick % HOT}`)
          .update({ tick })
          .then(() => nodeNow());
        const at =
          client === "browser"
            ? (await tab.steps.seenAt(tick, STEP_TIMEOUT_MS)) - clock.offset
            : await seenInNode(tick);
        if (i < WARMUP) continue;
        seen.push(at - t0);
        commits.push(committed - t0);
      }
      table.add({
        figure:
          client === "browser"
            ? `write → listener, web SDK in Chromium (WebChannel), ${docs}`
            : `write → listener, firebase-admin in Node (gRPC), ${docs}`,
        value: spread(seen, ms),
        reference: `the commit itself: ${spread(commits, ms)}${
          client === "browser" ? `; clocks within ± ${ms(clock.within)}` : ""
        }`,
      });
    }
  }
  unsubscribe?.();
  const rssAfter = emulator.rss();
  table.add({
    figure: "emulator RSS over the write → listener figures (CLI process)",
    value: `${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MiB`,
    reference: `browser back channel: ${[...backChannels].join(" and ") || "not seen"}`,
  });
  if (tab.errors.length > 0) console.log(`the page logged: ${tab.errors.slice(-5).join(" | ")}`);
  await tab.context.close();
  await Promise.all([db.terminate(), listener.terminate()]);
  await emulator.stop();
  rmSync(rulesDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const [code, browser] = await Promise.all([
    bundle(new URL("./pages/listener.ts", import.meta.url)),
    launchChromium(),
  ]);
  const server = await servePages({ listener: code });
  try {
    console.log(`Chromium ${browser.version()}; the emulator has permissive rules`);
    await pageLoads(browser, server);
    await latency(browser, server);
    table.print();
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
