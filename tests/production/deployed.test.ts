/**
 * The production shape: what `firebase deploy` uploads is packaged by firebase-tools' own code, installed
 * alone from its lockfile, and each kind of function is served by functions-framework as Cloud Run
 * functions serves it, against Hearth's Firestore emulator and firebase-tools' Auth emulator. Requests
 * arrive as the platform sends them: callables over HTTP with a real ID token, Eventarc CloudEvents
 * (protobuf for Firestore, JSON for Storage), a gen-1 legacy event for Auth, Cloud Scheduler's POST.
 */
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import { type App, deleteApp, initializeApp } from "firebase-admin/app";
import { type Auth, getAuth } from "firebase-admin/auth";
import { type Firestore, getFirestore, Timestamp } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  deriveWorkspaceLockfile,
  type Lockfile,
  type Manifest,
} from "../../scripts/deploy/functions-lockfile.js";
import { seedOrg } from "../functions/orgs/support.js";
import { HOST, type Served, type SignatureType, serveFunction, startAuthEmulator } from "./servers.js";
import { functionsConfig, packageAndUnpack, prepareUpload, ROOT, type Upload } from "./upload.js";

const require = createRequire(import.meta.url);
const projectId = `demo-deploy-${randomBytes(4).toString("hex")}`;
const BUCKET = `${projectId}.firebasestorage.app`;
const WEBHOOK_SECRET = "whsec_production_shape_test";

/** The functions served, by export name, with the signature type Cloud Run functions gives each kind. */
const TARGETS: Record<string, SignatureType> = {
  createOrg: "http",
  exportMyData: "http",
  stripeWebhook: "http",
  scheduledExpireInvites: "http",
  onMemberWritten: "cloudevent",
  onFileUploaded: "cloudevent",
  onUserCreated: "event",
};

let upload: Upload;
let firestoreEmulator: RunningEmulator;
let authEmulator: Awaited<ReturnType<typeof startAuthEmulator>>;
const served: Record<string, Served> = {};
let app: App;
let db: Firestore;
let auth: Auth;

beforeAll(async () => {
  [upload, firestoreEmulator, authEmulator] = await Promise.all([
    prepareUpload(),
    startEmulator({ host: HOST, port: 0, logger: silentLogger, storage: { port: 0 } }),
    startAuthEmulator(projectId),
  ]);
  const firestoreHost = `${firestoreEmulator.host}:${firestoreEmulator.port}`;
  process.env.FIRESTORE_EMULATOR_HOST = firestoreHost;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = authEmulator.host;
  const storageHost = `${firestoreEmulator.host}:${firestoreEmulator.storagePort}`;
  process.env.FIREBASE_STORAGE_EMULATOR_HOST = storageHost;
  app = initializeApp({ projectId, storageBucket: BUCKET }, `production-shape-${projectId}`);
  db = getFirestore(app);
  auth = getAuth(app);

  // What a deployed function's container has: the project, the emulator hosts standing in for Google's
  // services, the params (from the committed .env files at deploy) and secrets as environment variables.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    METADATA_SERVER_DETECTION: "none",
    GCLOUD_PROJECT: projectId,
    GOOGLE_CLOUD_PROJECT: projectId,
    FIREBASE_CONFIG: JSON.stringify({ projectId, storageBucket: BUCKET }),
    FIRESTORE_EMULATOR_HOST: firestoreHost,
    FIREBASE_STORAGE_EMULATOR_HOST: storageHost,
    FIREBASE_AUTH_EMULATOR_HOST: authEmulator.host,
    APP_URL: "https://app.example.test",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  };
  const started = await Promise.all(
    Object.entries(TARGETS).map(([target, type]) => serveFunction(upload.dir, target, type, env)),
  );
  Object.keys(TARGETS).forEach((target, i) => {
    served[target] = started[i]!;
  });
}, 300_000);

afterAll(async () => {
  await Promise.all(Object.values(served).map((s) => s.stop()));
  if (app) await deleteApp(app);
  await authEmulator?.stop();
  await firestoreEmulator?.stop();
  upload?.remove();
});

/** The output of every served function, for failure messages. */
function logs(target: string): string {
  return served[target]?.output() ?? "";
}

async function signIn(opts: { verified: boolean }): Promise<{ uid: string; idToken: string; email: string }> {
  const email = `u${randomBytes(4).toString("hex")}@example.com`;
  const password = "correct horse battery";
  const user = await auth.createUser({ email, password, emailVerified: opts.verified, displayName: "Dana" });
  const res = await fetch(
    `${authEmulator.url}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-api-key`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    },
  );
  const body = (await res.json()) as { idToken: string };
  return { uid: user.uid, idToken: body.idToken, email };
}

/** Calls a callable over the callable protocol, as the Firebase client SDKs do. */
async function callable(target: string, data: unknown, idToken?: string) {
  const res = await fetch(served[target]!.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(idToken ? { authorization: `Bearer ${idToken}` } : {}),
    },
    body: JSON.stringify({ data }),
  });
  return { status: res.status, body: (await res.json()) as { result?: unknown; error?: { status: string } } };
}

describe("the upload", () => {
  test("holds the bundle, the manifest and the pinned lockfile, and no sources, local env or secret files", () => {
    expect(upload.files).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", "lib/index.js"]),
    );
    for (const file of upload.files) {
      expect(file, file).not.toMatch(/(^|\/)(src\/|node_modules\/|\.env\.local$|\.secret\.local$|tsconfig)/);
    }
    const manifest = JSON.parse(readFileSync(path.join(upload.dir, "package.json"), "utf8"));
    expect(manifest.main).toBe("lib/index.js");
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith("@hearth/"))).toEqual(
      [],
    );
  });

  test("never takes local env, secrets, sources or installed modules, even when they are there", async () => {
    // A copy of functions/ as it stands after `npm start` and an install: firebase-tools packages whatever
    // the folder holds that firebase.json's ignore list lets through.
    const source = mkdtempSync(path.join(os.tmpdir(), "hearth-source-"));
    const into = mkdtempSync(path.join(os.tmpdir(), "hearth-unpacked-"));
    try {
      cpSync(upload.dir, source, { recursive: true, filter: (from) => !from.includes("node_modules") });
      const planted = {
        ".env.local": "STRIPE_API_BASE=http://127.0.0.1:12111\n",
        ".secret.local": "STRIPE_SECRET_KEY=sk_test_local\n",
        ".env.demo-x.local": "APP_URL=http://localhost:5173\n",
        "src/index.ts": "export {};\n",
        "node_modules/left/package.json": "{}\n",
        "tsconfig.json": "{}\n",
        "build.mjs": "\n",
        "firebase-debug.log": "\n",
      };
      for (const [file, text] of Object.entries(planted)) {
        mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
        writeFileSync(path.join(source, file), text);
      }
      const files = await packageAndUnpack(source, into);
      expect(files).toEqual(
        expect.arrayContaining(["package.json", "package-lock.json", "lib/index.js", ".env"]),
      );
      expect(
        files.filter((file) =>
          Object.keys(planted).some((p) => file === p || file.startsWith(`${p.split("/")[0]}/`)),
        ),
      ).toEqual([]);
    } finally {
      rmSync(source, { recursive: true, force: true });
      rmSync(into, { recursive: true, force: true });
    }
  });

  test("installs exactly the versions the tests ran, with one firebase-admin", () => {
    const rootLock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as Lockfile;
    const uploaded = JSON.parse(readFileSync(path.join(upload.dir, "package-lock.json"), "utf8")) as Lockfile;
    const manifest = JSON.parse(readFileSync(path.join(upload.dir, "package.json"), "utf8")) as Manifest;
    // The uploaded lockfile is the one derived from the repository's lockfile today.
    expect(uploaded).toEqual(deriveWorkspaceLockfile(rootLock, "functions", manifest));

    // Every package npm ci put in place is the lockfile's, at the lockfile's place, and nothing is missing.
    const installed = installedPackages(path.join(upload.dir, "node_modules"));
    expect(installed.size).toBeGreaterThan(50);
    for (const [location, version] of installed) {
      expect(uploaded.packages[location]?.version, location).toBe(version);
    }
    const required = Object.entries(uploaded.packages).filter(
      ([loc, entry]) => loc !== "" && !entry.optional,
    );
    for (const [location] of required) expect(installed.has(location), location).toBe(true);
    expect([...installed.keys()].filter((loc) => loc.endsWith("node_modules/firebase-admin"))).toEqual([
      "node_modules/firebase-admin",
    ]);
  });

  test("targets a runtime firebase-tools deploys today, and the tests run on it", () => {
    const config = functionsConfig();
    const {
      guardVersionSupport,
      isDecommissioned,
    } = require("firebase-tools/lib/deploy/functions/runtimes/supported/index.js");
    expect(config.runtime).toBe("nodejs22");
    expect(isDecommissioned(config.runtime)).toBe(false);
    expect(() => guardVersionSupport(config.runtime)).not.toThrow();
    const manifest = JSON.parse(readFileSync(path.join(upload.dir, "package.json"), "utf8"));
    expect(manifest.engines.node).toBe("22");
    expect(process.versions.node.split(".")[0]).toBe("22");
  });
});

describe("deployed functions", () => {
  test("callable: createOrg with a real ID token creates the org; no token is unauthenticated", async () => {
    const owner = await signIn({ verified: true });
    const made = await callable("createOrg", { name: "Acme" }, owner.idToken);
    expect(made.status, logs("createOrg")).toBe(200);
    const { orgId } = made.body.result as { orgId: string };
    const org = await db.doc(`orgs/${orgId}`).get();
    expect(org.get("ownerUid")).toBe(owner.uid);
    expect((await db.doc(`orgs/${orgId}/members/${owner.uid}`).get()).get("role")).toBe("owner");

    const anonymous = await callable("createOrg", { name: "Nobody" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error?.status).toBe("UNAUTHENTICATED");
  });

  test("callable: exportMyData answers the caller's own data", async () => {
    const me = await signIn({ verified: true });
    await db.doc(`users/${me.uid}`).set({ displayName: "Dana", email: me.email, createdAt: Timestamp.now() });
    const res = await callable("exportMyData", {}, me.idToken);
    expect(res.status, logs("exportMyData")).toBe(200);
    expect(JSON.stringify(res.body.result)).toContain(me.email);
  });

  test("HTTPS: stripeWebhook records a signed event once and refuses a forged one", async () => {
    const id = `evt_${randomBytes(6).toString("hex")}`;
    const payload = JSON.stringify({
      id,
      object: "event",
      type: "customer.subscription.updated",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "sub_1", object: "subscription" } },
    });
    const send = (signature: string) =>
      fetch(served.stripeWebhook!.url, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: payload,
      });
    const signed = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    expect((await send(signed)).status, logs("stripeWebhook")).toBe(200);
    expect((await db.doc(`stripeEvents/${id}`).get()).get("status")).toBe("pending");
    expect(await (await send(signed)).json()).toEqual({ received: true, duplicate: true });

    const forged = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" });
    const refused = await send(forged);
    expect(refused.status).toBe(400);
  });

  test("Firestore trigger: a protobuf CloudEvent for a member write repairs memberCount", async () => {
    // The org counts one member; a second is written behind its back.
    const orgId = await seedOrg(db, { u1: "owner" });
    const added = db.doc(`orgs/${orgId}/members/u2`);
    await added.set({
      uid: "u2",
      role: "member",
      email: "u2@example.com",
      displayName: null,
      joinedAt: Timestamp.now(),
      invitedBy: "u1",
    });

    const res = await fetch(served.onMemberWritten!.url, {
      method: "POST",
      headers: firestoreEventHeaders(`orgs/${orgId}/members/u2`),
      body: encodeDocumentEvent(`orgs/${orgId}/members/u2`, { role: "member", email: "u2@example.com" }),
    });
    expect(res.status, logs("onMemberWritten")).toBe(200);
    expect((await db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(2);
    const audit = await db.collection(`orgs/${orgId}/auditLog`).get();
    expect(audit.docs.map((d) => d.get("action"))).toEqual(["org.member_count_corrected"]);
  });

  test("Storage trigger: a finalized-object CloudEvent records the file", async () => {
    // A live org on the free plan, as createOrg leaves it (the trigger refuses files of unknown orgs).
    const orgId = await seedOrg(db, { u9: "owner" });
    const name = `orgs/${orgId}/files/report.pdf`;
    const bucket = BUCKET;
    // The trigger checks that the event's generation is still the stored object's, so store it first.
    const object = getStorage(app).bucket().file(name);
    await object.save(Buffer.alloc(2048, 1), {
      contentType: "application/pdf",
      metadata: { metadata: { uploadedBy: "u9" } },
    });
    const [stored] = await object.getMetadata();
    const res = await fetch(served.onFileUploaded!.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "ce-specversion": "1.0",
        "ce-id": randomBytes(8).toString("hex"),
        "ce-type": "google.cloud.storage.object.v1.finalized",
        "ce-source": `//storage.googleapis.com/projects/_/buckets/${bucket}`,
        "ce-subject": `objects/${name}`,
        "ce-time": new Date().toISOString(),
      },
      body: JSON.stringify({
        kind: "storage#object",
        bucket,
        name,
        size: "2048",
        contentType: "application/pdf",
        generation: String(stored.generation),
        metageneration: "1",
        timeCreated: new Date().toISOString(),
        updated: new Date().toISOString(),
        metadata: { uploadedBy: "u9" },
      }),
    });
    expect(res.status, logs("onFileUploaded")).toBe(200);
    const file = await db.doc(`orgs/${orgId}/files/report.pdf`).get();
    expect(file.data()).toMatchObject({
      storagePath: name,
      size: 2048,
      contentType: "application/pdf",
      uploadedBy: "u9",
    });
  });

  test("Auth trigger: a gen-1 user.create event creates the profile", async () => {
    const uid = `u${randomBytes(4).toString("hex")}`;
    const res = await fetch(served.onUserCreated!.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        data: {
          uid,
          email: "New@Example.com",
          displayName: "New Person",
          metadata: { creationTime: new Date().toISOString(), lastSignInTime: new Date().toISOString() },
          providerData: [],
        },
        context: {
          eventId: randomBytes(8).toString("hex"),
          timestamp: new Date().toISOString(),
          eventType: "providers/firebase.auth/eventTypes/user.create",
          resource: { service: "firebaseauth.googleapis.com", name: `projects/${projectId}` },
        },
      }),
    });
    expect(res.status, logs("onUserCreated")).toBe(200);
    const profile = await db.doc(`users/${uid}`).get();
    expect(profile.data()).toMatchObject({ email: "new@example.com", displayName: "New Person" });
  });

  test("scheduled: Cloud Scheduler's POST runs the job, which expires overdue invites", async () => {
    const orgId = await seedOrg(db, { u1: "owner" }, { pendingInvites: 1 });
    const invite = db.doc(`orgs/${orgId}/invites/inv1`);
    await invite.set({
      email: "late@example.com",
      role: "member",
      tokenHash: "ab".repeat(32),
      status: "pending",
      expiresAt: Timestamp.fromMillis(Date.now() - 60_000),
      invitedBy: "u1",
      createdAt: Timestamp.fromMillis(Date.now() - 8 * 86_400_000),
    });
    const res = await fetch(served.scheduledExpireInvites!.url, {
      method: "POST",
      headers: {
        "x-cloudscheduler": "true",
        "x-cloudscheduler-jobname": "firebase-schedule-scheduledExpireInvites-us-central1",
        "x-cloudscheduler-scheduletime": new Date().toISOString(),
      },
    });
    expect(res.status, logs("scheduledExpireInvites")).toBe(200);
    expect((await invite.get()).get("status")).toBe("expired");
    expect((await db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(0);
  });
});

/** name -> version of every package installed under `dir`, keyed by lockfile location. */
function installedPackages(dir: string, prefix = "node_modules"): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    if (entry.name.startsWith("@")) {
      for (const scoped of readdirSync(path.join(dir, entry.name), { withFileTypes: true })) {
        if (scoped.isDirectory()) addPackage(found, dir, `${entry.name}/${scoped.name}`, prefix);
      }
    } else {
      addPackage(found, dir, entry.name, prefix);
    }
  }
  return found;
}

function addPackage(found: Map<string, string>, dir: string, name: string, prefix: string): void {
  const location = `${prefix}/${name}`;
  const manifest = JSON.parse(readFileSync(path.join(dir, name, "package.json"), "utf8")) as {
    version: string;
  };
  found.set(location, manifest.version);
  const nested = path.join(dir, name, "node_modules");
  try {
    for (const [loc, version] of installedPackages(nested, `${location}/node_modules`))
      found.set(loc, version);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/** Eventarc's binary-mode headers for a Firestore document-written event. */
function firestoreEventHeaders(document: string): Record<string, string> {
  return {
    "content-type": "application/protobuf",
    "ce-specversion": "1.0",
    "ce-id": randomBytes(8).toString("hex"),
    "ce-type": "google.cloud.firestore.document.v1.written",
    "ce-source": `//firestore.googleapis.com/projects/${projectId}/databases/(default)`,
    "ce-subject": `documents/${document}`,
    "ce-time": new Date().toISOString(),
    "ce-dataschema":
      "https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/firestore/v1/data.proto",
    "ce-project": projectId,
    "ce-database": "(default)",
    "ce-namespace": "(default)",
    "ce-document": document,
    "ce-location": "us-central1",
  };
}

/** DocumentEventData for a newly created document with string fields, encoded as Eventarc sends it. */
function encodeDocumentEvent(document: string, fields: Record<string, string>): Buffer {
  // The schema firebase-functions decodes with (google.events.cloud.firestore.v1), loaded by file path
  // because the package does not export it.
  const { google } = require(path.join(ROOT, "node_modules/firebase-functions/protos/compiledFirestore.js"));
  const now = { seconds: Math.floor(Date.now() / 1000), nanos: 0 };
  const message = google.events.cloud.firestore.v1.DocumentEventData.create({
    value: {
      name: `projects/${projectId}/databases/(default)/documents/${document}`,
      fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { stringValue: v }])),
      createTime: now,
      updateTime: now,
    },
  });
  return Buffer.from(google.events.cloud.firestore.v1.DocumentEventData.encode(message).finish());
}
