/**
 * The web SDK's Storage in headless Chromium against the Storage emulator with Hearth's storage.rules:
 * uploads (simple and resumable), getDownloadURL and fetching it cross-origin, listAll, delete, and
 * refusals for another org's member, an oversize file and a wrong type. Membership documents are
 * written through the Firestore emulator of the same process, which the rules read.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import type { Firestore } from "firebase-admin/firestore";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminFirestore } from "../emulator/helpers/admin.js";
import type { StorageSteps } from "./pages/storage.js";
import { launchChromium } from "./support/chromium.js";
import { bundle, type PageServer, servePages } from "./support/pages.js";
import { openTab, type Tab } from "./support/suite.js";

const MiB = 1024 * 1024;
const projectId = `demo-${randomBytes(6).toString("hex")}`;
const bucket = `${projectId}.appspot.com`;

let emulator: RunningEmulator;
let browser: Browser;
let pages: PageServer;
let db: Firestore;
let tabs: Array<Tab<StorageSteps>> = [];

beforeAll(async () => {
  const rules = await readFile(new URL("../../storage.rules", import.meta.url), "utf8");
  [emulator, browser, pages] = await Promise.all([
    startEmulator({
      host: "127.0.0.1",
      port: 0,
      logger: silentLogger,
      storage: { port: 0, rulesSource: rules },
    }),
    launchChromium(),
    bundle("storage.ts").then((js) => servePages({ storage: js })),
  ]);
  db = adminFirestore({ host: emulator.host, port: emulator.port, projectId, stop: async () => {} });
  const entitlements = { fileMaxBytes: 25 * MiB, storageBytes: 1024 * MiB, files: 1000 };
  for (const org of ["acme", "globex"])
    await db.doc(`orgs/${org}`).set({ name: org, deletedAt: null, entitlements });
  await db.doc("orgs/acme/members/mia").set({ role: "member" });
  await db.doc("orgs/acme/members/vic").set({ role: "viewer" });
  await db.doc("orgs/globex/members/gus").set({ role: "member" });
});

afterEach(async () => {
  await Promise.all(tabs.map((t) => t.close()));
  tabs = [];
});

afterAll(async () => {
  await db?.terminate();
  await Promise.allSettled([browser?.close(), pages?.close(), emulator?.stop()]);
});

async function signedIn(uid: string): Promise<Tab<StorageSteps>> {
  const tab = await openTab<StorageSteps>(browser, pages.url("storage"), `storage-${uid}`);
  tabs.push(tab);
  await tab.steps.init({ host: "127.0.0.1", port: emulator.storagePort!, projectId, bucket, uid });
  return tab;
}

const text = (t: string, uid: string) => ({
  text: t,
  contentType: "text/plain",
  customMetadata: { uploadedBy: uid },
});

describe("Storage in Chromium", () => {
  it("a member uploads, gets a download URL and fetches it, lists and deletes", async () => {
    const mia = await signedIn("mia");
    expect(
      await mia.steps.upload("orgs/acme/files/notes.txt", text("hello from chromium", "mia")),
    ).toMatchObject({
      fullPath: "orgs/acme/files/notes.txt",
      size: 19,
      contentType: "text/plain",
    });
    const resumable = await mia.steps.upload("orgs/acme/files/scan.pdf", {
      size: MiB + 5,
      contentType: "application/pdf",
      customMetadata: { uploadedBy: "mia" },
      resumable: true,
    });
    expect(resumable.size).toBe(MiB + 5);
    expect(resumable.progress.at(-1)).toBe(MiB + 5);

    const download = await mia.steps.download("orgs/acme/files/notes.txt");
    expect(download).toMatchObject({ status: 200, type: "text/plain", text: "hello from chromium" });
    expect(download.url).toContain("token=");
    expect(await mia.steps.listAll("orgs/acme/files")).toEqual({
      items: ["orgs/acme/files/notes.txt", "orgs/acme/files/scan.pdf"],
      prefixes: [],
    });
    const vic = await signedIn("vic");
    expect(await vic.steps.metadata("orgs/acme/files/notes.txt")).toEqual({
      size: 19,
      contentType: "text/plain",
      customMetadata: { uploadedBy: "mia" },
    });
    await mia.steps.remove("orgs/acme/files/scan.pdf");
    expect((await vic.steps.listAll("orgs/acme/files")).items).toEqual(["orgs/acme/files/notes.txt"]);
    // Every request (preflights included) crossed origins without a browser-side error.
    expect(mia.errors).toEqual([]);
    expect(vic.errors).toEqual([]);
  });

  it("another org's member can neither read nor write; oversize and wrong-type uploads are refused", async () => {
    const mia = await signedIn("mia");
    await mia.steps.upload("orgs/acme/files/secret.txt", text("acme only", "mia"));
    const gus = await signedIn("gus");
    const unauthorized = { code: "storage/unauthorized" };
    await expect(gus.steps.download("orgs/acme/files/secret.txt")).rejects.toMatchObject(unauthorized);
    await expect(gus.steps.listAll("orgs/acme/files")).rejects.toMatchObject(unauthorized);
    await expect(gus.steps.upload("orgs/acme/files/gus.txt", text("x", "gus"))).rejects.toMatchObject(
      unauthorized,
    );
    await expect(
      mia.steps.upload("orgs/acme/files/huge.pdf", {
        size: 25 * MiB + 1,
        contentType: "application/pdf",
        customMetadata: { uploadedBy: "mia" },
      }),
    ).rejects.toMatchObject(unauthorized);
    await expect(
      mia.steps.upload("orgs/acme/files/page.html", {
        text: "<script></script>",
        contentType: "text/html",
        customMetadata: { uploadedBy: "mia" },
      }),
    ).rejects.toMatchObject(unauthorized);
    expect((await mia.steps.listAll("orgs/acme/files")).items).not.toContain("orgs/acme/files/huge.pdf");
    await expect(mia.steps.metadata("orgs/acme/files/page.html")).rejects.toMatchObject({
      code: "storage/object-not-found",
    });
  });
});
