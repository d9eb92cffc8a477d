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

/**
 * firebase-admin, imported only for a seed: its import alone is about a second of CPU, which a restart
 * does not need. Called early on a first start, so that it loads while firebase-tools starts.
 */
export function loadAdmin() {
  admin ??= Promise.all([import("firebase-admin/app"), import("firebase-admin/firestore")]);
  return admin;
}
let admin:
  | Promise<[typeof import("firebase-admin/app"), typeof import("firebase-admin/firestore")]>
  | undefined;

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
 *
 * What does not depend on another step runs beside it. The stack normally serves the seed's functions from
 * one process (seed-host.ts); with `--seed-in-workers` the first call of each function starts a worker
 * process for it (1–2 s of CPU), side by side those starts overlap, and calls to one function stay one
 * after the other, so that each reuses that function's worker instead of starting another.
 */
export async function seedDemoData(t: SeedTargets): Promise<{ orgs: { id: string; name: string }[] }> {
  process.env.FIRESTORE_EMULATOR_HOST = t.firestoreHost;
  const [{ getApps, initializeApp }, { FieldValue, getFirestore }] = await loadAdmin();
  const app = getApps()[0] ?? initializeApp({ projectId: t.projectId });
  const db = getFirestore(app);
  const auth = authClient(t.authOrigin, t.projectId);
  const call = <T>(name: string, data: unknown, token: string) =>
    callFunction<T>(t.functionsOrigin, t.projectId, name, data, token);
  const [owner, admin, member, viewer] = DEMO_USERS;
  const warming = warmUp(t, [
    "createOrg",
    "createCheckoutSession",
    "stripeWebhook",
    "inviteMember",
    "acceptInvite",
    "aiGenerate",
  ]);

  // One user at a time (each waits for the profile the user-created trigger writes), each signed in as
  // soon as it exists, so an org can be made before the last user is.
  const signedIn = new Map<string, Promise<string>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const user of DEMO_USERS) {
    const created = previous.then(async () => {
      await auth.createUser({ ...user, password: DEMO_PASSWORD });
      await waitForDocument(db, `users/${user.uid}`);
    });
    signedIn.set(
      user.uid,
      created.then(() => auth.signIn(user.email, DEMO_PASSWORD)),
    );
    previous = created;
  }
  const token = (u: DemoUser) => signedIn.get(u.uid)!;
  // Whatever happens below, no user creation is left running behind a failure.
  const users = Promise.all(signedIn.values());

  /** Checkout as the owner would, paid on the fake Stripe; the webhook and its trigger upgrade the org. */
  const subscribe = async (orgId: string, planId: string, by: DemoUser) => {
    const { sessionId } = await call<{ sessionId: string }>(
      "createCheckoutSession",
      { orgId, planId },
      await token(by),
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
    log.info("seed", "Acme Inc subscribed to the Team plan through Checkout on the fake Stripe");
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
      await token(inviter),
    );
    const inviteToken = await inviteTokenFromOutbox(db, invitee.email, inviteId);
    await call("acceptInvite", { orgId, inviteId, token: inviteToken }, await token(invitee));
  };

  const addProjects = (orgId: string, projects: [DemoUser, string, string][]) =>
    Promise.all(
      projects.map(([by, name, description]) =>
        db.collection("orgs").doc(orgId).collection("projects").add({
          name,
          description,
          status: "active",
          createdBy: by.uid,
          createdAt: FieldValue.serverTimestamp(),
          updatedAt: FieldValue.serverTimestamp(),
        }),
      ),
    );

  const acme = token(owner).then(async (ownerToken) => {
    const { orgId } = await call<{ orgId: string }>("createOrg", { name: "Acme Inc" }, ownerToken);
    return orgId;
  });
  // Globex's createOrg follows Acme's, so the two share createOrg's worker.
  const globex = Promise.all([acme, token(admin)]).then(async ([, adminToken]) => {
    const { orgId } = await call<{ orgId: string }>("createOrg", { name: "Globex Labs" }, adminToken);
    return orgId;
  });

  // Acme: Checkout first (the Free plan has too few seats for the invitations), projects beside it; the
  // member's AI calls and upload as soon as the member belongs to it.
  const acmeBilling = acme.then((orgId) => subscribe(orgId, "team", owner));
  const acmeMember = Promise.all([acme, acmeBilling]).then(async ([orgId]) => {
    await join(orgId, owner, admin, "admin");
    await join(orgId, owner, member, "member");
  });
  const acmeJoins = Promise.all([acme, acmeMember]).then(([orgId]) => join(orgId, owner, viewer, "viewer"));
  const aiUsage = Promise.all([acme, acmeMember]).then(async ([orgId]) => {
    for (const prompt of ["Summarize our Q3 roadmap", "Write a welcome email", "Name ideas for a lab tool"]) {
      try {
        await call("aiGenerate", { orgId, prompt }, await token(member));
      } catch (err) {
        log.warn("seed", `aiGenerate during seeding failed: ${(err as Error).message}`);
        break;
      }
    }
  });
  const fileId = "welcome.txt";
  const file = Promise.all([acme, acmeMember]).then(async ([orgId]) => {
    await uploadAs(t, await token(member), `orgs/${orgId}/files/${fileId}`, {
      contentType: "text/plain",
      metadata: { uploadedBy: member.uid },
      body: "Files uploaded to Acme Inc are stored here and listed under orgs/{orgId}/files.\n",
    });
    await waitForDocument(db, `orgs/${orgId}/files/${fileId}`);
  });
  const acmeProjects = acme.then((orgId) =>
    addProjects(orgId, [
      [owner, "Website relaunch", "New marketing site and pricing page"],
      [member, "Onboarding emails", "Drip campaign for new sign-ups"],
      [admin, "Q3 roadmap", "Planning for the next quarter"],
    ]),
  );
  // Globex's invitation follows Acme's, so inviteMember and acceptInvite keep one worker each.
  const globexWork = Promise.all([globex, acmeJoins]).then(async ([orgId]) => {
    await join(orgId, admin, member, "member");
    await addProjects(orgId, [[admin, "Lab inventory", "Track equipment and reagents"]]);
  });

  const [acmeId, globexId] = await Promise.all([
    acme,
    globex,
    warming,
    users,
    acmeMember,
    acmeJoins,
    aiUsage,
    file,
    acmeBilling,
    acmeProjects,
    globexWork,
  ]);
  log.info("seed", "users, orgs, memberships, projects, AI usage and a file created");
  return {
    orgs: [
      { id: acmeId, name: "Acme Inc" },
      { id: globexId, name: "Globex Labs" },
    ],
  };
}

/**
 * Starts a worker for each of the named HTTPS functions ahead of their first calls (in the Functions
 * emulator; the seed's function host has every function loaded, and answers at once), in the order the seed
 * needs them, one at a time beside the seed's own steps (which start a worker of their own now and then:
 * two at once keep both cores busy; more would only slow the one the seed waits for). An OPTIONS request,
 * a browser's CORS preflight, loads a function without running it (callables answer it themselves;
 * stripeWebhook refuses any method but POST), so nothing is written and nothing is logged. Never fails:
 * a worker that does not start here starts at the first call.
 */
async function warmUp(t: SeedTargets, names: string[]): Promise<void> {
  for (const name of names) {
    await fetch(`${t.functionsOrigin}/${t.projectId}/us-central1/${name}`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost", "access-control-request-method": "POST" },
    })
      .then((res) => res.arrayBuffer())
      .catch(() => undefined);
  }
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

// Generous: on a busy 2-core machine a function's first worker alone can take tens of seconds to start.
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 180_000): Promise<void> {
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
