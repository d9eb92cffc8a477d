/**
 * The exports `firebase deploy` ships, loaded with the environment a deployed project gives them: storage
 * triggers name the default bucket from FIREBASE_CONFIG when they are defined.
 */
export async function loadDeployedFunctions(projectId = "demo-hearth") {
  process.env.GCLOUD_PROJECT = projectId;
  process.env.FIREBASE_CONFIG = JSON.stringify({ projectId, storageBucket: `${projectId}.appspot.com` });
  return import("../../../functions/src/index.js");
}

/** The deploy manifest entry firebase-functions attaches to each exported function. */
export interface Endpoint {
  platform: string;
  region?: unknown[];
  maxInstances?: unknown;
  concurrency?: unknown;
  cpu?: unknown;
  callableTrigger?: object;
}

export function endpointOf(fn: unknown): Endpoint {
  return (fn as { __endpoint: Endpoint }).__endpoint;
}

/** A valid input for every exported callable (ids name `org1`, `inv1`, `user2`; the caller is `owner1`). */
export const VALID_INPUTS: Record<string, Record<string, unknown>> = {
  acceptInvite: { orgId: "org1", inviteId: "inv1", token: "A".repeat(43) },
  aiGenerate: { orgId: "org1", prompt: "Hello" },
  changeMemberRole: { orgId: "org1", uid: "user2", role: "member" },
  createCheckoutSession: { orgId: "org1", planId: "pro" },
  createOrg: { name: "Acme" },
  createPortalSession: { orgId: "org1" },
  deleteMyAccount: {},
  deleteOrg: { orgId: "org1" },
  exportMyData: {},
  inviteMember: { orgId: "org1", email: "ann@example.com", role: "member" },
  leaveOrg: { orgId: "org1" },
  removeMember: { orgId: "org1", uid: "user2" },
  revokeInvite: { orgId: "org1", inviteId: "inv1" },
  transferOwnership: { orgId: "org1", uid: "user2" },
};

/** The exported callables served over HTTP against a fresh emulator, as a signed-in frontend calls them. */
export interface DeployedCallables {
  /** Every exported callable's name, sorted. */
  names: string[];
  /** Calls `name` with the raw JSON `body` (a string, sent as is) or `{ data }`, signed in as `uid`. */
  call(name: string, data: unknown, opts?: { uid?: string; rawBody?: string }): Promise<CallAnswer>;
  /** Every document in the emulator, path → JSON, for before/after comparisons. */
  snapshot(): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

export interface CallAnswer {
  http: number;
  result?: unknown;
  error?: {
    status: string;
    message?: string;
    details?: { reason?: string; fields?: Record<string, string> };
  };
}

/**
 * Starts an emulator and serves every exported callable. ID tokens are accepted by a stand-in for the Admin
 * SDK's verifyIdToken (Google's Auth service cannot be reached): the bearer `uid:<uid>` signs in as `<uid>`
 * with the verified email `<uid>@example.com`, so calls get past sign-in to the handlers.
 */
export async function serveDeployedCallables(
  opts: { server?: "minimal" | "functions-framework" } = {},
): Promise<DeployedCallables> {
  const [{ startTestEmulator }, { serveFunctions }, { Auth }, { vi }] = await Promise.all([
    import("../../support/emulator.js"),
    import("../../support/http-functions.js"),
    import("firebase-admin/auth"),
    import("vitest"),
  ]);
  const emulator = await startTestEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = `${emulator.host}:${emulator.port}`;
  process.env.ENFORCE_APP_CHECK = "false";
  const fns: Record<string, unknown> = { ...(await loadDeployedFunctions(emulator.projectId)) };
  const names = Object.keys(fns)
    .filter((name) => endpointOf(fns[name]).callableTrigger)
    .sort();
  // The repo root's firebase-admin: the copy firebase-functions verifies callable ID tokens with.
  const verify = vi.spyOn(Auth.prototype, "verifyIdToken").mockImplementation(async (token: string) => {
    const uid = token.replace(/^uid:/, "");
    return { uid, sub: uid, email: `${uid}@example.com`, email_verified: true } as never;
  });
  type Served = Parameters<typeof serveFunctions>[0][string];
  const served =
    opts.server === "functions-framework"
      ? await serveWithFunctionsFramework(Object.fromEntries(names.map((n) => [n, fns[n] as Served])))
      : await serveFunctions(Object.fromEntries(names.map((n) => [n, fns[n] as Served])));
  const { db } = await import("../../../functions/src/lib/firestore.js");
  return {
    names,
    async call(name, data, { uid = "owner1", rawBody } = {}) {
      const res = await fetch(served.url(name), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer uid:${uid}` },
        body: rawBody ?? JSON.stringify({ data }),
      });
      const text = await res.text();
      let body: Omit<CallAnswer, "http"> = {};
      try {
        body = JSON.parse(text) as Omit<CallAnswer, "http">;
      } catch {
        body = { error: { status: `non-JSON answer: ${text.slice(0, 80)}` } };
      }
      return { http: res.status, ...body };
    },
    async snapshot() {
      const docs = new Map<string, string>();
      const walk = async (collections: FirebaseFirestore.CollectionReference[]) => {
        for (const collection of collections) {
          for (const ref of await collection.listDocuments()) {
            const snap = await ref.get();
            if (snap.exists) docs.set(ref.path, JSON.stringify(snap.data()));
            await walk(await ref.listCollections());
          }
        }
      };
      await walk(await db().listCollections());
      return docs;
    },
    async stop() {
      verify.mockRestore();
      await served.close();
      await emulator.stop();
    },
  };
}

/**
 * Serves each function with functions-framework's own Express app (body parsing, error handling), as
 * Cloud Run functions does, one server per function on a free port.
 */
async function serveWithFunctionsFramework(fns: Record<string, (req: never, res: never) => unknown>) {
  const ff = await import("@google-cloud/functions-framework");
  const { getTestServer } = await import("@google-cloud/functions-framework/testing");
  const servers = new Map<string, { url: string; close: () => Promise<void> }>();
  for (const [name, fn] of Object.entries(fns)) {
    ff.http(name, fn as never);
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    servers.set(name, {
      url: `http://127.0.0.1:${port}/`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    });
  }
  return {
    url: (name: string) => servers.get(name)!.url,
    close: async () => {
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}
