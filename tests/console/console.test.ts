/**
 * The local console in headless Chromium against the services it reads: Hearth's Firestore and Storage
 * emulator (with the repository's firestore.rules), firebase-tools' Auth emulator and the fake Stripe,
 * each started here on free ports. Hostile document contents must show as text, never as markup.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import type { Firestore } from "firebase-admin/firestore";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { watchOutbox } from "../../scripts/stack/console/outbox.js";
import { type RunningConsole, startConsole } from "../../scripts/stack/console/server.js";
import type { ConsoleTargets } from "../../scripts/stack/console/sources.js";
import { launchChromium } from "../browser/support/chromium.js";
import { admin, adminFirestore } from "../emulator/helpers/admin.js";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { startAuthEmulator } from "../production/servers.js";

const projectId = `demo-${randomBytes(6).toString("hex")}`;
const HOSTILE = `<img src=x onerror="globalThis.__pwned=1"><script>globalThis.__pwned=2</script>"'&`;

let emulator: RunningEmulator;
let authEmu: Awaited<ReturnType<typeof startAuthEmulator>>;
let stripe: FakeStripe;
let browser: Browser;
let consoleServer: RunningConsole;
let targets: ConsoleTargets;
let db: Firestore;
let tab: Page | undefined;

beforeAll(async () => {
  const rules = await readFile(new URL("../../firestore.rules", import.meta.url), "utf8");
  [emulator, authEmu, stripe, browser] = await Promise.all([
    startEmulator({
      host: "127.0.0.1",
      port: 0,
      logger: silentLogger,
      rulesSource: rules,
      storage: { port: 0 },
    }),
    startAuthEmulator(projectId),
    startFakeStripe(),
    launchChromium(),
  ]);
  targets = {
    projectId,
    firestoreOrigin: `http://127.0.0.1:${emulator.port}`,
    authOrigin: authEmu.url,
    stripeOrigin: stripe.url,
    storageOrigin: `http://127.0.0.1:${emulator.storagePort}`,
    storageBucket: `${projectId}.appspot.com`,
    stripeKey: "sk_test_console",
  };
  consoleServer = await startConsole({
    ...targets,
    host: "127.0.0.1",
    port: 0,
    services: { Firestore: `127.0.0.1:${emulator.port}` },
  });
  db = adminFirestore({ host: "127.0.0.1", port: emulator.port, projectId, stop: async () => {} });
}, 180_000);

afterEach(async () => {
  // Nothing shown on any page may have run as script.
  if (tab && !tab.isClosed()) {
    expect(await tab.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  }
  tab = undefined;
});

afterAll(async () => {
  await db?.terminate();
  await Promise.allSettled([
    consoleServer?.stop(),
    browser?.close(),
    stripe?.stop(),
    authEmu?.stop(),
    emulator?.stop(),
  ]);
});

async function open(path: string): Promise<Page> {
  await tab?.close();
  const page = await browser.newPage();
  tab = page;
  const res = await page.goto(`${consoleServer.url}${path}`);
  expect(res?.status()).toBe(200);
  return page;
}

const main = (page: Page) => page.locator("main").textContent();

async function authUsers(): Promise<{ localId: string; email?: string; emailVerified?: boolean }[]> {
  const res = await fetch(
    `${authEmu.url}/identitytoolkit.googleapis.com/v1/projects/${projectId}/accounts:batchGet`,
    { headers: { authorization: "Bearer owner" } },
  );
  return ((await res.json()) as { users?: [] }).users ?? [];
}

describe("Firestore", () => {
  it("lists collections and documents and shows hostile contents as text", async () => {
    await db.doc("orgs/acme").set({ name: HOSTILE, plan: "pro" });
    await db.doc(`orgs/acme/projects/${"<b>bold"}`).set({ name: "p" });
    const page = await open("/firestore");
    await page.getByRole("link", { name: "orgs", exact: true }).click();
    await page.getByRole("link", { name: "orgs/acme", exact: true }).click();
    expect(await page.locator("textarea").inputValue()).toContain(HOSTILE.replace(/"/g, '\\"'));
    await page.getByRole("link", { name: "orgs/acme/projects" }).click();
    expect(await main(page)).toContain("orgs/acme/projects/<b>bold");
    expect(await page.locator("main b").count()).toBe(0);
    expect(await page.locator("main img").count()).toBe(0);
  });

  it("saves an edited document with its types, and refuses bad JSON without changing anything", async () => {
    await db.doc("orgs/edit").set({ name: "Before", count: 1 });
    const page = await open("/firestore?path=orgs/edit");
    await page.locator("textarea").fill(
      JSON.stringify({
        name: "After",
        count: 2,
        ratio: 0.5,
        whole: { $double: 3 },
        at: { $timestamp: "2026-01-02T03:04:05.000Z" },
        owner: { $ref: "users/u1" },
        tags: ["a", null, true],
      }),
    );
    await page.getByRole("button", { name: "Save document" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Saved orgs/edit");
    const saved = (await db.doc("orgs/edit").get()).data()!;
    expect(saved.name).toBe("After");
    expect(saved.at).toBeInstanceOf(admin.Timestamp);
    expect((saved.at as InstanceType<typeof admin.Timestamp>).toDate().toISOString()).toBe(
      "2026-01-02T03:04:05.000Z",
    );
    expect(saved.owner.path).toBe("users/u1");
    expect(saved.tags).toEqual(["a", null, true]);
    expect(saved.whole).toBe(3);

    await page.locator("textarea").fill('{"name": "Broken",');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/firestore/save")),
      page.getByRole("button", { name: "Save document" }).click(),
    ]);
    expect(res.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain("Nothing was changed: not JSON");
    // The text typed is kept for fixing.
    expect(await page.locator("textarea").inputValue()).toBe('{"name": "Broken",');
    expect((await db.doc("orgs/edit").get()).get("name")).toBe("After");
  });

  it("deletes a document", async () => {
    await db.doc("orgs/gone").set({ name: "x" });
    const page = await open("/firestore?path=orgs/gone");
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Delete document" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Deleted orgs/gone");
    expect((await db.doc("orgs/gone").get()).exists).toBe(false);
  });

  it("refuses a form posted from another site", async () => {
    await db.doc("orgs/safe").set({ name: "safe" });
    const res = await fetch(`${consoleServer.url}/firestore/delete`, {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "path=orgs/safe",
    });
    expect(res.status).toBe(403);
    expect((await db.doc("orgs/safe").get()).exists).toBe(true);
  });
});

describe("Auth users", () => {
  it("creates a user, marks the email verified and deletes the user", async () => {
    const page = await open("/auth");
    await page.getByPlaceholder("email").fill("new@example.com");
    await page.getByPlaceholder("password").fill("secret-123");
    await page.getByPlaceholder("display name").fill(HOSTILE);
    await page.getByRole("button", { name: "Create" }).click();
    expect(await page.getByRole("status").textContent()).toContain("Created new@example.com");
    expect(await main(page)).toContain(HOSTILE);
    let user = (await authUsers()).find((u) => u.email === "new@example.com");
    expect(user?.emailVerified).toBeFalsy();

    await page
      .getByRole("row", { name: /new@example\.com/ })
      .getByRole("button", { name: "Mark verified" })
      .click();
    user = (await authUsers()).find((u) => u.email === "new@example.com");
    expect(user?.emailVerified).toBe(true);

    page.once("dialog", (d) => void d.accept());
    await page
      .getByRole("row", { name: /new@example\.com/ })
      .getByRole("button", { name: "Delete" })
      .click();
    expect(await page.getByRole("status").textContent()).toContain("Deleted user");
    expect((await authUsers()).some((u) => u.email === "new@example.com")).toBe(false);
  });

  it("refuses a bad email with the reason, creating nothing", async () => {
    const before = (await authUsers()).length;
    const res = await fetch(`${consoleServer.url}/auth/create`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "email=nope&password=secret-123",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("an email address is needed");
    expect((await authUsers()).length).toBe(before);
  });
});

describe("Mail outbox", () => {
  it("shows each mail with clickable http links and hostile text as text", async () => {
    const link = "http://localhost:5173/invite?org=acme&invite=i1&token=abc";
    await db.collection("mail").add({
      to: "mia@example.com",
      message: {
        subject: HOSTILE,
        text: `Join us: ${link}\nNot a link: javascript:alert(1)`,
        html: `<p><a href="${link}">Join</a></p>`,
      },
    });
    const page = await open("/mail");
    expect(await main(page)).toContain(HOSTILE);
    const anchor = page.getByRole("link", { name: link });
    expect(await anchor.getAttribute("href")).toBe(link);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
  });

  it("lists the email action links the Auth emulator sent, clickable", async () => {
    const signUp = await fetch(`${authEmu.url}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=k`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "verify@example.com", password: "secret-123", returnSecureToken: true }),
    });
    const { idToken } = (await signUp.json()) as { idToken: string };
    await fetch(`${authEmu.url}/identitytoolkit.googleapis.com/v1/accounts:sendOobCode?key=k`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ requestType: "VERIFY_EMAIL", idToken }),
    });
    const page = await open("/mail");
    const row = page.getByRole("row", { name: /verify@example\.com/ });
    expect(await row.textContent()).toContain("VERIFY_EMAIL");
    const href = await row.getByRole("link").getAttribute("href");
    expect(href).toContain("mode=verifyEmail");
    // Opening it verifies the email, as the emailed link would.
    await (await fetch(href!)).text();
    expect((await authUsers()).find((u) => u.email === "verify@example.com")?.emailVerified).toBe(true);
  });

  it("prints each new mail once, not those queued before it started", async () => {
    await db.collection("mail").add({ to: "old@example.com", message: { subject: "Old", text: "" } });
    const printed: { to: string; subject: string; links: string[] }[] = [];
    const watcher = watchOutbox(targets, (line) => printed.push(line), 100);
    await watcher.ready;
    try {
      await db.collection("mail").add({
        to: ["new@example.com", "cc@example.com"],
        message: { subject: "Welcome", text: "Open http://localhost:5173/a?b=1." },
      });
      await expect.poll(() => printed.length, { timeout: 10_000 }).toBe(1);
      expect(printed[0]).toEqual({
        to: "new@example.com, cc@example.com",
        subject: "Welcome",
        links: ["http://localhost:5173/a?b=1"],
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(printed.length).toBe(1);
    } finally {
      watcher.stop();
    }
  });
});

describe("Stripe, jobs, usage and storage", () => {
  it("shows subscriptions and events, and drives a subscription", async () => {
    const key = {
      authorization: "Bearer sk_test_console",
      "content-type": "application/x-www-form-urlencoded",
    };
    const customer = (await (
      await fetch(`${stripe.url}/v1/customers`, { method: "POST", headers: key, body: "email=a@example.com" })
    ).json()) as { id: string };
    const session = (await (
      await fetch(`${stripe.url}/v1/checkout/sessions`, {
        method: "POST",
        headers: key,
        body: new URLSearchParams({
          mode: "subscription",
          customer: customer.id,
          success_url: "http://localhost:5173/ok",
          "line_items[0][price]": "price_pro",
          "line_items[0][quantity]": "1",
          "subscription_data[metadata][orgId]": "acme",
        }).toString(),
      })
    ).json()) as { id: string };
    const { subscription } = stripe.control.completeCheckout(session.id);
    await db
      .doc("stripeEvents/evt_x")
      .set({ type: HOSTILE, status: "processed", attempts: 1, receivedAt: new Date() });

    const page = await open("/stripe");
    const row = page.getByRole("row", { name: new RegExp(`^${subscription.id}`) });
    expect(await row.textContent()).toContain("active");
    expect(await main(page)).toContain("invoice.paid");
    expect(await main(page)).toContain(HOSTILE);
    await row.getByRole("button", { name: "Cancel now" }).click();
    expect(await page.getByRole("status").textContent()).toContain("customer.subscription.deleted");
    expect(stripe.control.subscription(String(subscription.id))?.status).toBe("canceled");
  });

  it("shows job runs, usage per org and stored objects", async () => {
    await db.doc("jobRuns/r1").set({
      job: "expireInvites",
      status: "succeeded",
      startedAt: new Date(),
      finishedAt: new Date(),
      result: { expired: 3 },
      error: null,
    });
    await db.doc("orgs/acme/usage/2026-11").set({ aiCalls: 7 });
    // The open month: shards only, no month document yet.
    await db
      .doc("orgs/acme/usage/2026-12/shards/0")
      .set({ calls: 2, costMicros: 100, updatedAt: new Date() });
    await db.doc("orgs/acme/usage/2026-12/shards/3").set({ calls: 1, costMicros: 50 });
    const object = `orgs/acme/files/${"<i>x</i>"}.txt`;
    const upload = await fetch(
      `${targets.storageOrigin}/upload/storage/v1/b/${targets.storageBucket}/o?uploadType=media&name=${encodeURIComponent(object)}`,
      { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" },
    );
    expect(upload.status).toBe(200);

    let page = await open("/jobs");
    expect(await main(page)).toContain("expireInvites");
    expect(await main(page)).toContain('{"expired":3}');
    page = await open("/usage");
    const closed = page.getByRole("row", { name: /orgs\/acme\/usage\/2026-11/ });
    expect(await closed.textContent()).toContain('summary{"aiCalls":7}');
    const open_ = page.getByRole("row", { name: /orgs\/acme\/usage\/2026-12/ });
    expect(await open_.textContent()).toContain('live, 2 shard(s){"calls":3,"costMicros":150}');
    page = await open("/storage");
    const download = page.getByRole("link", { name: object });
    const res = await page.request.get(`${consoleServer.url}${await download.getAttribute("href")}`);
    expect(await res.text()).toBe("hello");
    expect(res.headers()["content-disposition"]).toBe("attachment");
  });

  it("links the Firestore rule coverage report", async () => {
    const page = await open("/");
    const href = await page.getByRole("link", { name: "Firestore rule coverage" }).getAttribute("href");
    expect(href).toBe(`${targets.firestoreOrigin}/emulator/v1/projects/${projectId}:ruleCoverage.html`);
    expect((await fetch(href!)).status).toBe(200);
  });
});

describe("a service that does not answer", () => {
  it("gives its page a 502 naming what failed, and the other pages still work", async () => {
    const broken = await startConsole({
      ...targets,
      authOrigin: "http://127.0.0.1:9",
      host: "127.0.0.1",
      port: 0,
      services: {},
    });
    try {
      const res = await fetch(`${broken.url}/auth`);
      expect(res.status).toBe(502);
      expect(await res.text()).toContain("Auth users could not be read: fetch failed");
      expect((await fetch(`${broken.url}/jobs`)).status).toBe(200);
    } finally {
      await broken.stop();
    }
  });
});

describe("View as", () => {
  it("reads with the chosen user's token, so firestore.rules decide", async () => {
    const create = async (email: string) => {
      const res = await fetch(
        `${authEmu.url}/identitytoolkit.googleapis.com/v1/projects/${projectId}/accounts`,
        {
          method: "POST",
          headers: { authorization: "Bearer owner", "content-type": "application/json" },
          body: JSON.stringify({ email, password: "secret-123" }),
        },
      );
      return ((await res.json()) as { localId: string }).localId;
    };
    const [ann, bob] = [await create("ann@example.com"), await create("bob@example.com")];
    await db.doc(`users/${ann}`).set({ displayName: "Ann", email: "ann@example.com" });
    await db.doc(`users/${bob}`).set({ displayName: "Bob", email: "bob@example.com" });

    let page = await open(`/view-as?uid=${ann}&path=users/${ann}`);
    expect(await main(page)).toContain("Allowed.");
    expect(await main(page)).toContain('"displayName": "Ann"');
    page = await open(`/view-as?uid=${ann}&path=users/${bob}`);
    expect(await main(page)).toContain("Denied");
    expect(await main(page)).not.toContain("Bob");
  });
});
