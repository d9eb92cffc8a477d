import { getApps, initializeApp } from "firebase-admin/app";
import { FieldValue, getFirestore } from "firebase-admin/firestore";
import { authClient, callFunction } from "./clients.js";
import { log } from "./log.js";

export const DEMO_PASSWORD = "hearth-demo-password";

export const DEMO_USERS = [
  { uid: "demo-owner", email: "owner@demo.hearth.dev", displayName: "Olivia Owner", role: "owner" },
  { uid: "demo-admin", email: "admin@demo.hearth.dev", displayName: "Adam Admin", role: "admin" },
  { uid: "demo-member", email: "member@demo.hearth.dev", displayName: "Mia Member", role: "member" },
  { uid: "demo-viewer", email: "viewer@demo.hearth.dev", displayName: "Victor Viewer", role: "viewer" },
  { uid: "demo-outsider", email: "outsider@demo.hearth.dev", displayName: "Nora Outsider", role: "none" },
] as const;

type DemoUser = (typeof DEMO_USERS)[number];

export interface SeedTargets {
  projectId: string;
  authOrigin: string;
  functionsOrigin: string;
  firestoreHost: string;
  storageOrigin: string;
  storageBucket: string;
  stripeOrigin: string;
}

/**
 * Seeds demo data through the same doors a frontend uses: users sign up in the Auth emulator (the
 * user-created trigger writes their profiles), orgs and memberships are made with the callables
 * (createOrg, inviteMember, acceptInvite), AI calls go through aiGenerate, and a file is uploaded as the web
 * SDK does (storage.rules and the upload trigger apply). Only projects, the example business resource, are
 * written directly.
 */
export async function seedDemoData(t: SeedTargets): Promise<{ orgs: { id: string; name: string }[] }> {
  process.env.FIRESTORE_EMULATOR_HOST = t.firestoreHost;
  const app = getApps()[0] ?? initializeApp({ projectId: t.projectId });
  const db = getFirestore(app);
  const auth = authClient(t.authOrigin, t.projectId);
  const call = <T>(name: string, data: unknown, token: string) =>
    callFunction<T>(t.functionsOrigin, t.projectId, name, data, token);

  const tokens = new Map<string, string>();
  // One user at a time, each waiting for its profile from the user-created trigger: the Functions
  // emulator starts a process per concurrent call, and a burst of them crawls on a small machine.
  for (const user of DEMO_USERS) {
    await auth.createUser({ ...user, password: DEMO_PASSWORD });
    await waitForDocument(db, `users/${user.uid}`);
    tokens.set(user.uid, await auth.signIn(user.email, DEMO_PASSWORD));
  }
  const token = (u: DemoUser) => tokens.get(u.uid)!;
  const [owner, admin, member, viewer] = DEMO_USERS;

  /** Checkout as the owner would, paid on the fake Stripe; the webhook and its trigger upgrade the org. */
  const subscribe = async (orgId: string, planId: string, idToken: string) => {
    const { sessionId } = await call<{ sessionId: string }>(
      "createCheckoutSession",
      { orgId, planId },
      idToken,
    );
    const res = await fetch(`${t.stripeOrigin}/_fake/control`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "completeCheckout", id: sessionId }),
    });
    if (!res.ok) throw new Error(`fake Stripe could not complete checkout: ${await res.text()}`);
    await waitFor(
      async () => (await db.doc(`orgs/${orgId}`).get()).get("plan") === planId,
      `orgs/${orgId} on ${planId}`,
    );
  };

  const join = async (
    orgId: string,
    inviter: DemoUser,
    invitee: DemoUser,
    role: "admin" | "member" | "viewer",
  ) => {
    const { inviteId } = await call<{ inviteId: string }>(
      "inviteMember",
      { orgId, email: invitee.email, role },
      token(inviter),
    );
    const inviteToken = await inviteTokenFromOutbox(db, invitee.email, inviteId);
    await call("acceptInvite", { orgId, inviteId, token: inviteToken }, token(invitee));
  };

  const acme = await call<{ orgId: string }>("createOrg", { name: "Acme Inc" }, token(owner));
  await subscribe(acme.orgId, "team", token(owner));
  log.info("seed", "Acme Inc subscribed to the Team plan through Checkout on the fake Stripe");
  await join(acme.orgId, owner, admin, "admin");
  await join(acme.orgId, owner, member, "member");
  await join(acme.orgId, owner, viewer, "viewer");
  const globex = await call<{ orgId: string }>("createOrg", { name: "Globex Labs" }, token(admin));
  await join(globex.orgId, admin, member, "member");
  log.info("seed", "users, orgs and memberships created through the callables");

  const projects: [string, DemoUser, string, string][] = [
    [acme.orgId, owner, "Website relaunch", "New marketing site and pricing page"],
    [acme.orgId, member, "Onboarding emails", "Drip campaign for new sign-ups"],
    [acme.orgId, admin, "Q3 roadmap", "Planning for the next quarter"],
    [globex.orgId, admin, "Lab inventory", "Track equipment and reagents"],
  ];
  for (const [orgId, by, name, description] of projects) {
    await db.collection("orgs").doc(orgId).collection("projects").add({
      name,
      description,
      status: "active",
      createdBy: by.uid,
      createdAt: FieldValue.serverTimestamp(),
      updatedAt: FieldValue.serverTimestamp(),
    });
  }

  for (const prompt of ["Summarize our Q3 roadmap", "Write a welcome email", "Name ideas for a lab tool"]) {
    try {
      await call("aiGenerate", { orgId: acme.orgId, prompt }, token(member));
    } catch (err) {
      log.warn("seed", `aiGenerate during seeding failed: ${(err as Error).message}`);
      break;
    }
  }
  const fileId = "welcome.txt";
  await uploadAs(t, token(member), `orgs/${acme.orgId}/files/${fileId}`, {
    contentType: "text/plain",
    metadata: { uploadedBy: member.uid },
    body: "Files uploaded to Acme Inc are stored here and listed under orgs/{orgId}/files.\n",
  });
  await waitForDocument(db, `orgs/${acme.orgId}/files/${fileId}`);
  log.info("seed", "projects, AI usage and a file created");
  return {
    orgs: [
      { id: acme.orgId, name: "Acme Inc" },
      { id: globex.orgId, name: "Globex Labs" },
    ],
  };
}

/**
 * Uploads an object through the Firebase Storage REST API as the web SDK's uploadBytes does (one multipart
 * request: the metadata as JSON, then the bytes), signed in as the token's user.
 */
async function uploadAs(
  t: SeedTargets,
  idToken: string,
  name: string,
  file: { contentType: string; metadata: Record<string, string>; body: string },
): Promise<void> {
  const boundary = `hearth-seed-${Date.now()}`;
  const metadata = JSON.stringify({ name, contentType: file.contentType, metadata: file.metadata });
  const body = [
    `--${boundary}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${metadata}\r\n`,
    `--${boundary}\r\nContent-Type: ${file.contentType}\r\n\r\n${file.body}\r\n`,
    `--${boundary}--`,
  ].join("");
  const url = `${t.storageOrigin}/v0/b/${t.storageBucket}/o?name=${encodeURIComponent(name)}`;
  const res = await fetch(url, {
    method: "POST",
    headers: {
      authorization: `Firebase ${idToken}`,
      "content-type": `multipart/related; boundary=${boundary}`,
      "x-goog-upload-protocol": "multipart",
    },
    body,
  });
  if (!res.ok) throw new Error(`uploading ${name} failed: ${res.status} ${await res.text()}`);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; see the functions' output above`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function waitForDocument(db: FirebaseFirestore.Firestore, path: string): Promise<void> {
  return waitFor(async () => (await db.doc(path).get()).exists, `${path} (written by a trigger)`);
}

/** Reads the invitation token from the mail outbox, as the invitee would from their inbox. */
async function inviteTokenFromOutbox(
  db: FirebaseFirestore.Firestore,
  email: string,
  inviteId: string,
): Promise<string> {
  const mail = await db.collection("mail").where("to", "==", email).get();
  for (const doc of mail.docs) {
    const message = doc.get("message") as { text?: string; html?: string } | undefined;
    const text = `${message?.text ?? ""} ${message?.html ?? ""}`;
    if (!text.includes(inviteId)) continue;
    const found = /[?&]token=([A-Za-z0-9_-]+)/.exec(text);
    if (found?.[1]) return found[1];
  }
  throw new Error(`no invitation mail with a token for ${email}`);
}
