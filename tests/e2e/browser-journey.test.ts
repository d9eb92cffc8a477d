/**
 * The e2e journey in a real browser: `npm start` (its script, on ports and a project id of its own, so
 * it runs beside journey.test.ts), and pages in headless Chromium bundled with the Firebase web SDK,
 * connected as README's "Connecting a frontend" says. A founder signs up and verifies the email,
 * creates an org, watches it and the projects with onSnapshot, invites a teammate who accepts in a
 * second tab, the teammate is refused what the role keeps from members, AI calls grow a usage
 * listener, and Checkout on the fake Stripe upgrades the plan under the org listener.
 *
 * The steps run in the page (tests/browser/pages/journey.ts); this file plays the user's inbox (the
 * Auth emulator's codes, the `mail` outbox) and Stripe's checkout page (the fake's control surface).
 */
import { rmSync } from "node:fs";
import type { Firestore } from "firebase-admin/firestore";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JourneySteps } from "../browser/pages/journey.js";
import type { ListenEvent } from "../browser/pages/runtime.js";
import { launchChromium } from "../browser/support/chromium.js";
import { bundle, type PageServer, servePages } from "../browser/support/pages.js";
import { type Client, stepsOf } from "../browser/support/steps.js";
import { openTab, type Tab } from "../browser/support/suite.js";
import { adminFirestore } from "../emulator/helpers/admin.js";
import { type StackPorts, type StackProcess, startStackProcess } from "../support/stack.js";

/**
 * Ports and a project id of its own, away from E2E_PORTS (journey.test.ts). The two files' stacks still
 * run one after the other (startStackProcess waits for the other to stop: they share functions/lib and
 * functions/.env.local), so the set-up waits up to 300 s for the other file's stack plus its own start.
 */
const PORTS: StackPorts = {
  FIRESTORE: 18180,
  STORAGE: 19289,
  AUTH: 19199,
  FUNCTIONS: 15101,
  HUB: 14410,
  CONSOLE: 14010,
  LOGGING: 14510,
  EVENTARC: 19399,
  TASKS: 19599,
  STRIPE: 22211,
  AI: 22212,
};
const PASSWORD = "correct horse battery";
/** A call into the page may wait on a cold function or a busy machine. */
const STEP_MS = 60_000;
const POLL = { timeout: 30_000, interval: 100 };

let stack: StackProcess | undefined;
let browser: Browser | undefined;
let server: PageServer | undefined;
let admin: Firestore | undefined;
const tabs: Tab<JourneySteps>[] = [];

beforeAll(async () => {
  const started = await Promise.allSettled([
    startStackProcess({
      projectId: "demo-hearth-e2e-browser",
      args: ["--no-schedules", "--no-seed"],
      ports: PORTS,
    }).then((s) => {
      stack = s;
    }),
    launchChromium().then((b) => {
      browser = b;
    }),
    bundle("journey.ts")
      .then((js) => servePages({ journey: js }))
      .then((s) => {
        server = s;
      }),
  ]);
  const failed = started.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  admin = adminFirestore({
    host: "127.0.0.1",
    port: PORTS.FIRESTORE,
    projectId: stack!.projectId,
    stop: async () => {},
  });
}, 600_000);

afterAll(async () => {
  await Promise.allSettled(tabs.map((t) => t.close()));
  await Promise.allSettled([browser?.close(), server?.close(), admin?.terminate()]);
  if (stack) {
    expect(await stack.stop()).toBe(0);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}, 60_000);

interface User {
  tab: Tab<JourneySteps>;
  steps: Client<JourneySteps>;
}

/** A fresh browser context with the journey page, connected to the stack. */
async function openPage(label: string): Promise<User> {
  const tab = await openTab<JourneySteps>(browser!, server!.url("journey"), label);
  tabs.push(tab);
  const steps = stepsOf<JourneySteps>(tab.page, () => tab.errors, STEP_MS);
  await steps.init({
    projectId: stack!.projectId,
    authPort: PORTS.AUTH,
    firestorePort: PORTS.FIRESTORE,
    functionsPort: PORTS.FUNCTIONS,
  });
  return { tab, steps };
}

/** The newest verification code the Auth emulator "mailed" to `email`. */
async function verificationCode(email: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${PORTS.AUTH}/emulator/v1/projects/${stack!.projectId}/oobCodes`);
  const { oobCodes } = (await res.json()) as {
    oobCodes: { email: string; oobCode: string; requestType: string }[];
  };
  const code = oobCodes.filter((c) => c.email === email && c.requestType === "VERIFY_EMAIL").at(-1);
  expect(code, `no verification email for ${email}`).toBeDefined();
  return code!.oobCode;
}

type Snapshot = Extract<ListenEvent, { kind: "snapshot" }>;

/** The newest snapshot (from the server, not the cache) or error a page listener delivered. */
function latest(user: User, id: string): () => Promise<ListenEvent | undefined> {
  return async () => (await user.steps.events(id)).filter((e) => e.kind === "error" || !e.fromCache).at(-1);
}

async function serverSnapshots(user: User, id: string): Promise<Snapshot[]> {
  return (await user.steps.events(id)).filter((e): e is Snapshot => e.kind === "snapshot" && !e.fromCache);
}

describe("npm start, driven from a browser page", () => {
  let founder: User;
  let teammate: User;
  let founderUid: string;
  let teammateUid: string;
  let orgId: string;

  it("signs up in the page (Auth emulator) and verifies the email with the mailed code", async () => {
    founder = await openPage("founder");
    const signedUp = await founder.steps.signUp("founder@browser.example", PASSWORD);
    expect(signedUp.emailVerified).toBe(false);
    founderUid = signedUp.uid;
    const code = await verificationCode("founder@browser.example");
    expect(await founder.steps.verifyEmail(code)).toEqual({ emailVerified: true, tokenSaysVerified: true });
    // The auth trigger writes the profile; the page's listener sees it arrive.
    await founder.steps.listenDoc("profile", `users/${founderUid}`);
    await expect
      .poll(latest(founder, "profile"), POLL)
      .toMatchObject({ docs: [{ data: { email: "founder@browser.example" } }] });
  }, 120_000);

  it("createOrg through the callable; onSnapshot shows the org and the owner's membership", async () => {
    ({ orgId } = (await founder.steps.call("createOrg", {
      name: "Browser Widgets",
      requestId: crypto.randomUUID(),
    })) as { orgId: string });
    expect(orgId).toMatch(/^\w+/);
    await founder.steps.listenDoc("org", `orgs/${orgId}`);
    await founder.steps.listenDoc("membership", `orgs/${orgId}/members/${founderUid}`);
    await expect.poll(latest(founder, "org"), POLL).toMatchObject({
      docs: [{ data: { name: "Browser Widgets", ownerUid: founderUid, plan: "free", memberCount: 1 } }],
    });
    await expect.poll(latest(founder, "membership"), POLL).toMatchObject({
      docs: [{ data: { uid: founderUid, role: "owner", email: "founder@browser.example" } }],
    });
  }, 120_000);

  it("projects written from the page appear in a live query listener", async () => {
    await founder.steps.listenCollection("projects", `orgs/${orgId}/projects`);
    await expect.poll(latest(founder, "projects"), POLL).toMatchObject({ docs: [] });
    const roadmap = await founder.steps.createProject(orgId, "Roadmap");
    const website = await founder.steps.createProject(orgId, "Website");
    await expect
      .poll(async () => {
        const last = (await serverSnapshots(founder, "projects")).at(-1);
        return last?.hasPendingWrites === false ? last.docs.map((d) => [d.id, d.data?.name]).sort() : [];
      }, POLL)
      .toEqual(
        [
          [roadmap, "Roadmap"],
          [website, "Website"],
        ].sort(),
      );
    const added = (await founder.steps.events("projects")).flatMap((e) =>
      e.kind === "snapshot" ? (e.changes ?? []).map((c) => `${c.type} ${c.id}`) : [],
    );
    expect(added).toEqual(expect.arrayContaining([`added ${roadmap}`, `added ${website}`]));
    expect(added.filter((c) => c.startsWith("removed"))).toEqual([]);
  }, 120_000);

  it("invites by email; the teammate signs up in a second tab and accepts with the link's token", async () => {
    const { inviteId } = (await founder.steps.call("inviteMember", {
      orgId,
      email: "Teammate@Browser.example",
      role: "member",
    })) as { inviteId: string };

    teammate = await openPage("teammate");
    teammateUid = (await teammate.steps.signUp("teammate@browser.example", PASSWORD)).uid;
    const code = await verificationCode("teammate@browser.example");
    expect((await teammate.steps.verifyEmail(code)).emailVerified).toBe(true);

    // The invitee's inbox: the Trigger Email outbox, which only the server can read.
    const mail = await admin!.collection("mail").where("to", "==", "teammate@browser.example").get();
    const link = mail.docs.map((d) => d.get("message.text") as string).find((t) => t.includes(inviteId));
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(link ?? "")?.[1];
    expect(token).toBeTruthy();

    expect(
      await teammate.steps.callFailure("acceptInvite", { orgId, inviteId, token: "x".repeat(43) }),
    ).toEqual({
      code: "functions/not-found",
      details: expect.objectContaining({ reason: "invite-not-found" }),
    });
    expect(await teammate.steps.call("acceptInvite", { orgId, inviteId, token })).toEqual({
      orgId,
      role: "member",
    });
    // The teammate's own page sees the membership; the founder's org listener sees the count grow.
    await teammate.steps.listenDoc("membership", `orgs/${orgId}/members/${teammateUid}`);
    await expect
      .poll(latest(teammate, "membership"), POLL)
      .toMatchObject({ docs: [{ data: { role: "member", uid: teammateUid } }] });
    await expect.poll(latest(founder, "org"), POLL).toMatchObject({ docs: [{ data: { memberCount: 2 } }] });

    // A member creates projects too, and the founder's live query shows it.
    const plan = await teammate.steps.createProject(orgId, "Launch plan");
    await expect
      .poll(async () => (await serverSnapshots(founder, "projects")).at(-1)?.docs.map((d) => d.id), POLL)
      .toContain(plan);
  }, 180_000);

  it("the member is refused what the role keeps from members: permission-denied for reads, writes, listeners and callables", async () => {
    await expect(teammate.steps.updateDoc(`orgs/${orgId}`, { name: "Hijacked" })).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(
      teammate.steps.updateDoc(`orgs/${orgId}/members/${teammateUid}`, { role: "owner" }),
    ).rejects.toMatchObject({ code: "permission-denied" });
    await expect(teammate.steps.getDocs(`orgs/${orgId}/auditLog`)).rejects.toMatchObject({
      code: "permission-denied",
    });
    await teammate.steps.listenCollection("audit", `orgs/${orgId}/auditLog`);
    await expect
      .poll(latest(teammate, "audit"), POLL)
      .toMatchObject({ kind: "error", code: "permission-denied" });
    expect(await teammate.steps.callFailure("createCheckoutSession", { orgId, planId: "pro" })).toMatchObject(
      {
        code: "functions/permission-denied",
      },
    );
    // What the member may do still works, and the owner reads the audit log the member may not.
    expect(await teammate.steps.getDoc(`orgs/${orgId}`)).toMatchObject({ name: "Browser Widgets" });
    const audit = await founder.steps.getDocs(`orgs/${orgId}/auditLog`);
    expect(audit.map((e) => e.data.action)).toEqual(expect.arrayContaining(["org.created", "member.joined"]));
  }, 120_000);

  it("AI calls through aiGenerate count against the plan, and a usage listener sees them arrive", async () => {
    const period = new Date().toISOString().slice(0, 7);
    await founder.steps.listenCollection("usage", `orgs/${orgId}/usage/${period}/shards`);
    const calls = (e: Snapshot) =>
      e.docs.reduce((n, d) => n + ((d.data?.calls as number | undefined) ?? 0), 0);
    await expect.poll(async () => (await serverSnapshots(founder, "usage")).length, POLL).toBeGreaterThan(0);
    const before = (await serverSnapshots(founder, "usage")).at(-1)!;
    expect(calls(before)).toBe(0);

    const org = (await founder.steps.getDoc(`orgs/${orgId}`)) as {
      entitlements: { aiCallsPerMonth: { hard: number } };
    };
    const hard = org.entitlements.aiCallsPerMonth.hard;
    const answers: { text: string; cached: boolean; remaining: { calls: number; period: string } }[] = [];
    for (const take of ["one", "two", "three"]) {
      answers.push(
        (await founder.steps.call("aiGenerate", { orgId, prompt: `A tagline, take ${take}` })) as never,
      );
    }
    expect(answers.map((a) => a.remaining.calls)).toEqual([hard - 1, hard - 2, hard - 3]);
    expect(answers.map((a) => a.remaining.period)).toEqual([period, period, period]);
    expect(answers.every((a) => typeof a.text === "string" && a.text.length > 0 && !a.cached)).toBe(true);

    await expect.poll(async () => calls((await serverSnapshots(founder, "usage")).at(-1)!), POLL).toBe(3);
    // The listener's counts only ever grew.
    const seen = (await serverSnapshots(founder, "usage")).map(calls);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // Members read usage too: the teammate's page sees the same count.
    const shards = await teammate.steps.getDocs(`orgs/${orgId}/usage/${period}/shards`);
    expect(shards.reduce((n, s) => n + ((s.data.calls as number | undefined) ?? 0), 0)).toBe(3);
  }, 180_000);

  it("upgrades through Checkout on the fake Stripe; the page's org listener sees the plan change", async () => {
    const { url, sessionId } = (await founder.steps.call("createCheckoutSession", {
      orgId,
      planId: "pro",
    })) as {
      url: string;
      sessionId: string;
    };
    expect(url).toContain(sessionId);
    // The customer pays on Stripe's page: here the fake's control surface completes the session, and
    // the fake delivers the webhooks to the stack's billing function.
    const res = await fetch(`http://127.0.0.1:${PORTS.STRIPE}/_fake/control`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "completeCheckout", id: sessionId }),
    });
    expect(res.ok).toBe(true);
    await expect
      .poll(async () => {
        const last = (await latest(founder, "org")()) as Snapshot | undefined;
        return last?.docs[0]?.data?.plan;
      }, POLL)
      .toBe("pro");
    const upgraded = ((await latest(founder, "org")()) as Snapshot).docs[0]!.data!;
    expect(["trialing", "active"]).toContain(upgraded.billingStatus);
    // The plan is the server's to write, and billing details are nobody's to read.
    await expect(founder.steps.updateDoc(`orgs/${orgId}`, { plan: "team" })).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(founder.steps.getDoc(`orgs/${orgId}/private/billing`)).rejects.toMatchObject({
      code: "permission-denied",
    });
  }, 120_000);

  it("the pages hit no CORS, network or uncaught errors along the way", () => {
    for (const tab of tabs) {
      expect(tab.errors.filter((e) => /^(uncaught|request failed)|CORS|Access-Control/i.test(e))).toEqual([]);
    }
  });
});
