/**
 * The whole backend as a frontend meets it: `npm start` (its script, on ports of its own), then the
 * Firebase JS SDK signs up, creates an org, invites and accepts, reads what it may, is refused the rest,
 * uploads and deletes a file while listeners watch its record and the org's storage usage, upgrades
 * through the fake Stripe, and calls AI until the cap while a listener watches usage.
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { deleteApp, type FirebaseApp, initializeApp } from "firebase/app";
import {
  applyActionCode,
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  sendEmailVerification,
  signInWithEmailAndPassword,
} from "firebase/auth";
import {
  collection,
  connectFirestoreEmulator,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  getFirestore,
  onSnapshot,
  serverTimestamp,
  setDoc,
  terminate,
  updateDoc,
} from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, httpsCallable } from "firebase/functions";
import {
  connectStorageEmulator,
  deleteObject,
  type FirebaseStorage,
  getDownloadURL,
  getStorage,
  ref,
  uploadBytes,
} from "firebase/storage";
import { getApps as adminApps, initializeApp as adminInit } from "firebase-admin/app";
import { getFirestore as adminFirestore } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StackProcess, startStackProcess } from "../support/stack.js";

const HOST = "127.0.0.1";
let stack: StackProcess;
const apps: FirebaseApp[] = [];

interface Client {
  app: FirebaseApp;
  db: Firestore;
  storage: FirebaseStorage;
  uid: string;
  call<T = unknown>(name: string, data: unknown): Promise<T>;
}

function newApp(name: string): FirebaseApp {
  // The bucket npm start prints: the functions' default bucket for a demo project.
  const storageBucket = `${stack.projectId}.appspot.com`;
  const app = initializeApp({ projectId: stack.projectId, apiKey: "demo-api-key", storageBucket }, name);
  apps.push(app);
  connectAuthEmulator(getAuth(app), `http://${HOST}:${stack.ports.AUTH}`, { disableWarnings: true });
  connectFirestoreEmulator(getFirestore(app), HOST, stack.ports.FIRESTORE);
  connectStorageEmulator(getStorage(app), HOST, stack.ports.STORAGE);
  connectFunctionsEmulator(getFunctions(app, "us-central1"), HOST, stack.ports.FUNCTIONS);
  return app;
}

function client(app: FirebaseApp, uid: string): Client {
  const functions = getFunctions(app, "us-central1");
  return {
    app,
    db: getFirestore(app),
    storage: getStorage(app),
    uid,
    call: async <T>(name: string, data: unknown) =>
      (await httpsCallable<unknown, T>(functions, name)(data)).data,
  };
}

/** Signs up through the Auth emulator and verifies the email with the code it "mailed". */
async function signUp(email: string): Promise<Client> {
  const app = newApp(email);
  const auth = getAuth(app);
  const { user } = await createUserWithEmailAndPassword(auth, email, "correct horse battery");
  await sendEmailVerification(user);
  const res = await fetch(
    `http://${HOST}:${stack.ports.AUTH}/emulator/v1/projects/${stack.projectId}/oobCodes`,
  );
  const { oobCodes } = (await res.json()) as {
    oobCodes: { email: string; oobCode: string; requestType: string }[];
  };
  const code = oobCodes.filter((c) => c.email === email && c.requestType === "VERIFY_EMAIL").at(-1);
  await applyActionCode(auth, code!.oobCode);
  await user.reload();
  await user.getIdToken(true);
  return client(app, user.uid);
}

async function signIn(email: string, password: string): Promise<Client> {
  const app = newApp(email);
  const { user } = await signInWithEmailAndPassword(getAuth(app), email, password);
  return client(app, user.uid);
}

/** Resolves with the first snapshot value that satisfies `done`. */
function waitForSnapshot<T>(
  subscribe: (next: (v: T) => void) => () => void,
  done: (v: T) => boolean,
): Promise<T> {
  return new Promise((resolve) => {
    const unsubscribe = subscribe((value) => {
      if (done(value)) {
        unsubscribe();
        resolve(value);
      }
    });
  });
}

function admin() {
  process.env.FIRESTORE_EMULATOR_HOST = `${HOST}:${stack.ports.FIRESTORE}`;
  return adminFirestore(adminApps()[0] ?? adminInit({ projectId: stack.projectId }));
}

async function refused(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

// Up to 300 s to start, after waiting for browser-journey.test.ts's stack to stop if it runs first.
beforeAll(async () => {
  stack = await startStackProcess({ args: ["--no-schedules"] });
}, 600_000);

afterAll(async () => {
  for (const app of apps) {
    await terminate(getFirestore(app)).catch(() => undefined);
    await deleteApp(app).catch(() => undefined);
  }
  if (stack) {
    // Ctrl-C stops everything and saves Firestore, Storage and Auth data for the next start.
    expect(await stack.stop()).toBe(0);
    expect(existsSync(path.join(stack.dataDir, "storage"))).toBe(true);
    expect(existsSync(path.join(stack.dataDir, "firestore", "hearth-firestore.json"))).toBe(true);
    expect(existsSync(path.join(stack.dataDir, "auth", "firebase-export-metadata.json"))).toBe(true);
  }
}, 60_000);

describe("npm run job", () => {
  it("runs a scheduled function now, through the running stack, and reports its jobRuns record", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_PROJECT: stack.projectId };
    for (const [name, port] of Object.entries(stack.ports)) env[`HEARTH_${name}_PORT`] = String(port);
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/job.ts", "expireInvites"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/scheduledExpireInvites: succeeded/);
    const unknown = spawnSync(process.execPath, ["--import", "tsx", "scripts/job.ts", "noSuchJob"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("scheduledPurgeDeletedOrgs");
  }, 60_000);
});

describe("npm start, driven as a frontend would", () => {
  let founder: Client;
  let teammate: Client;
  let orgId: string;

  it("starts seeded: the demo owner sees Acme on the Team plan, the outsider is refused", async () => {
    expect(stack.output()).toContain("Hearth is ready");
    const owner = await signIn("owner@demo.hearth.dev", "hearth-demo-password");
    const acmeId = /Acme Inc\s+orgs\/(\S+)/.exec(stack.output())?.[1];
    expect(acmeId).toBeTruthy();
    const acme = await getDoc(doc(owner.db, "orgs", acmeId!));
    expect(acme.get("name")).toBe("Acme Inc");
    expect(acme.get("plan")).toBe("team");
    const members = await getDocs(collection(owner.db, "orgs", acmeId!, "members"));
    expect(members.docs.map((d) => d.get("role")).sort()).toEqual(["admin", "member", "owner", "viewer"]);
    // The seed uploaded a file as the demo member, through storage.rules and the upload trigger.
    const files = await getDocs(collection(owner.db, "orgs", acmeId!, "files"));
    expect(files.docs.map((d) => d.id)).toEqual(["welcome.txt"]);
    const welcome = await fetch(await getDownloadURL(ref(owner.storage, files.docs[0]!.get("storagePath"))));
    expect(await welcome.text()).toContain("Acme Inc");

    const outsider = await signIn("outsider@demo.hearth.dev", "hearth-demo-password");
    await refused(getDoc(doc(outsider.db, "orgs", acmeId!)), "permission-denied");
    await refused(getDocs(collection(outsider.db, "orgs", acmeId!, "projects")), "permission-denied");
  });

  it("sign up writes a profile (auth trigger); createOrg makes the caller owner and the audit log records it", async () => {
    founder = await signUp("founder@e2e.example");
    const profile = await waitForSnapshot<boolean>(
      (next) => onSnapshot(doc(founder.db, "users", founder.uid), (s) => next(s.exists())),
      (exists) => exists,
    );
    expect(profile).toBe(true);

    ({ orgId } = await founder.call<{ orgId: string }>("createOrg", { name: "E2E Widgets" }));
    const org = await getDoc(doc(founder.db, "orgs", orgId));
    expect(org.data()).toMatchObject({
      name: "E2E Widgets",
      ownerUid: founder.uid,
      plan: "free",
      memberCount: 1,
    });
    const audit = await getDocs(collection(founder.db, "orgs", orgId, "auditLog"));
    expect(audit.docs.map((d) => d.get("action"))).toContain("org.created");
  });

  it("invites by email; the invitee accepts with the link's token and becomes a member", async () => {
    const { inviteId } = await founder.call<{ inviteId: string }>("inviteMember", {
      orgId,
      email: "Teammate@E2E.example",
      role: "member",
    });
    teammate = await signUp("teammate@e2e.example");
    // The invitee's inbox: the Trigger Email outbox, which only the server can read.
    const mail = await admin().collection("mail").where("to", "==", "teammate@e2e.example").get();
    const link = mail.docs.map((d) => d.get("message.text") as string).find((t) => t.includes(inviteId));
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(link ?? "")?.[1];
    expect(token).toBeTruthy();

    const wrong = teammate.call("acceptInvite", { orgId, inviteId, token: "x".repeat(43) });
    await expect(wrong).rejects.toMatchObject({
      code: "functions/not-found",
      details: { reason: "invite-not-found" },
    });
    await expect(teammate.call("acceptInvite", { orgId, inviteId, token })).resolves.toEqual({
      orgId,
      role: "member",
    });
    const member = await getDoc(doc(teammate.db, "orgs", orgId, "members", teammate.uid));
    expect(member.get("role")).toBe("member");
    // A network retry of the same accept answers the same, and adds no second membership.
    await expect(teammate.call("acceptInvite", { orgId, inviteId, token })).resolves.toEqual({
      orgId,
      role: "member",
    });
    expect((await getDoc(doc(founder.db, "orgs", orgId))).get("memberCount")).toBe(2);
  });

  it("a member reads and creates what the role matrix allows and is refused the rest", async () => {
    const projects = collection(teammate.db, "orgs", orgId, "projects");
    const mine = doc(projects);
    await setDoc(mine, {
      name: "Launch plan",
      description: "",
      status: "active",
      createdBy: teammate.uid,
      createdAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    });
    expect((await getDocs(projects)).size).toBeGreaterThanOrEqual(1);
    // The project trigger (delivered by Hearth's emulator to the Functions emulator) audits the write;
    // the owner sees the entry arrive in a listener.
    const audited = await waitForSnapshot<string[]>(
      (next) =>
        onSnapshot(collection(founder.db, "orgs", orgId, "auditLog"), (snap) =>
          next(
            snap.docs.filter((d) => d.get("target") === `projects/${mine.id}`).map((d) => d.get("action")),
          ),
        ),
      (actions) => actions.length > 0,
    );
    expect(audited).toEqual(["project.created"]);

    await refused(updateDoc(doc(teammate.db, "orgs", orgId), { name: "Hijacked" }), "permission-denied");
    await refused(getDocs(collection(teammate.db, "orgs", orgId, "auditLog")), "permission-denied");
    await refused(
      updateDoc(doc(teammate.db, "orgs", orgId, "members", teammate.uid), { role: "owner" }),
      "permission-denied",
    );
    await refused(
      setDoc(doc(projects), {
        name: "Forged",
        description: "",
        status: "active",
        createdBy: founder.uid,
        createdAt: serverTimestamp(),
        updatedAt: serverTimestamp(),
      }),
      "permission-denied",
    );
    await refused(
      teammate.call("changeMemberRole", { orgId, uid: teammate.uid, role: "admin" }),
      "functions/permission-denied",
    );
    await refused(
      teammate.call("createCheckoutSession", { orgId, planId: "pro" }),
      "functions/permission-denied",
    );
  });

  it("files: a member uploads with firebase/storage, listeners see the record and usage follow, delete removes it", async () => {
    const fileId = "launch-plan.txt";
    const path = `orgs/${orgId}/files/${fileId}`;
    const bytes = new TextEncoder().encode("Launch on Tuesday.\n".repeat(50));
    const recorded = waitForSnapshot<Record<string, unknown> | undefined>(
      (next) => onSnapshot(doc(founder.db, "orgs", orgId, "files", fileId), (s) => next(s.data())),
      (data) => data !== undefined,
    );
    const usage = (bytesStored: number) =>
      waitForSnapshot<{ storageBytes?: number; files?: number }>(
        (next) => onSnapshot(doc(founder.db, "orgs", orgId, "usage", "storage"), (s) => next(s.data() ?? {})),
        (u) => (u.storageBytes ?? 0) === bytesStored,
      );
    const grown = usage(bytes.length);

    await uploadBytes(ref(teammate.storage, path), bytes, {
      contentType: "text/plain",
      customMetadata: { uploadedBy: teammate.uid },
    });
    expect(await recorded).toMatchObject({
      storagePath: path,
      size: bytes.length,
      contentType: "text/plain",
      uploadedBy: teammate.uid,
    });
    expect(await grown).toEqual({ storageBytes: bytes.length, files: 1 });
    const download = await fetch(await getDownloadURL(ref(founder.storage, path)));
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

    // Refused by storage.rules, as the SDK reports it: a type outside the list, a file past the free
    // plan's per-file size, and an org the teammate does not belong to.
    const attempt = (at: string, data: Uint8Array, contentType: string) =>
      uploadBytes(ref(teammate.storage, at), data, {
        contentType,
        customMetadata: { uploadedBy: teammate.uid },
      });
    await refused(attempt(`orgs/${orgId}/files/page.html`, bytes, "text/html"), "storage/unauthorized");
    const tooBig = new Uint8Array(5 * 1024 * 1024 + 1);
    await refused(attempt(`orgs/${orgId}/files/big.txt`, tooBig, "text/plain"), "storage/unauthorized");
    const acmeId = /Acme Inc\s+orgs\/(\S+)/.exec(stack.output())![1]!;
    await refused(attempt(`orgs/${acmeId}/files/x.txt`, bytes, "text/plain"), "storage/unauthorized");

    const gone = waitForSnapshot<boolean>(
      (next) => onSnapshot(doc(founder.db, "orgs", orgId, "files", fileId), (s) => next(s.exists())),
      (exists) => !exists,
    );
    const emptied = usage(0);
    await deleteObject(ref(teammate.storage, path));
    expect(await gone).toBe(false);
    expect(await emptied).toEqual({ storageBytes: 0, files: 0 });
  });

  it("the owner upgrades through Checkout on the fake Stripe; the webhook updates the org a listener watches", async () => {
    const { url, sessionId } = await founder.call<{ url: string; sessionId: string }>(
      "createCheckoutSession",
      {
        orgId,
        planId: "pro",
      },
    );
    expect(url).toContain(sessionId);
    const upgraded = waitForSnapshot<{ plan?: string; billingStatus?: string }>(
      (next) => onSnapshot(doc(founder.db, "orgs", orgId), (s) => next(s.data() ?? {})),
      (org) => org.plan === "pro",
    );
    const res = await fetch(`http://${HOST}:${stack.ports.STRIPE}/_fake/control`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "completeCheckout", id: sessionId }),
    });
    expect(res.ok).toBe(true);
    expect(["trialing", "active"]).toContain((await upgraded).billingStatus);
    await refused(updateDoc(doc(founder.db, "orgs", orgId), { plan: "team" }), "permission-denied");
    await refused(getDoc(doc(founder.db, "orgs", orgId, "private", "billing")), "permission-denied");
  });

  it("deleteMyAccount: an owner with members is refused; a sole member leaves no account, profile or membership", async () => {
    await expect(founder.call("deleteMyAccount", {})).rejects.toMatchObject({
      code: "functions/failed-precondition",
      details: { reason: "owns-orgs" },
    });
    const leaver = await signUp("leaver@e2e.example");
    const { orgId: soloId } = await leaver.call<{ orgId: string }>("createOrg", { name: "Solo" });
    await expect(leaver.call("deleteMyAccount", {})).resolves.toEqual({});
    await expect(
      signInWithEmailAndPassword(
        getAuth(newApp("leaver-again")),
        "leaver@e2e.example",
        "correct horse battery",
      ),
    ).rejects.toMatchObject({ code: "auth/user-not-found" });
    const server = admin();
    expect((await server.doc(`users/${leaver.uid}`).get()).exists).toBe(false);
    expect((await server.doc(`orgs/${soloId}/members/${leaver.uid}`).get()).exists).toBe(false);
    expect((await server.doc(`orgs/${soloId}`).get()).get("deletedAt")).not.toBeNull();
  });

  it("AI calls count against the monthly cap, a listener sees usage grow, and the call past the cap is refused", async () => {
    // The teammate's own org, on the free plan, so no billing event rewrites its entitlements meanwhile;
    // a small cap keeps the test short (an operator could set the same from the console).
    const { orgId: labId } = await teammate.call<{ orgId: string }>("createOrg", { name: "Teammate Lab" });
    await admin()
      .doc(`orgs/${labId}`)
      .update({ "entitlements.aiCallsPerMonth": { soft: 2, hard: 3 } });
    const period = new Date().toISOString().slice(0, 7);
    const seen: number[] = [];
    const threeCalls = waitForSnapshot<number>(
      (next) =>
        onSnapshot(collection(teammate.db, "orgs", labId, "usage", period, "shards"), (s) => {
          const calls = s.docs.reduce((n, d) => n + ((d.get("calls") as number | undefined) ?? 0), 0);
          seen.push(calls);
          next(calls);
        }),
      (calls) => calls === 3,
    );

    const answers: { cached: boolean; remaining: { calls: number; softCapReached: boolean } }[] = [];
    for (const prompt of ["one", "two", "three"]) {
      answers.push(
        await teammate.call("aiGenerate", { orgId: labId, prompt: `Write a tagline, take ${prompt}` }),
      );
    }
    expect(answers.map((a) => a.remaining.calls)).toEqual([2, 1, 0]);
    expect(answers.map((a) => a.remaining.softCapReached)).toEqual([false, true, true]);
    await refused(
      teammate.call("aiGenerate", { orgId: labId, prompt: "Write a tagline, take four" }),
      "functions/resource-exhausted",
    );

    expect(await threeCalls).toBe(3);
    expect(seen.at(-1)).toBe(3);
  });
});
