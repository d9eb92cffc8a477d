/**
 * @hearth/client at run time, as a frontend uses it: the Firebase web SDK calls the deployed callables
 * (served over HTTP against an in-process emulator with firestore.rules) through `call()`, and reads
 * documents through the validated converters.
 */
import { readFile } from "node:fs/promises";
import {
  CALLABLE_NAMES,
  ContractMismatchError,
  call,
  DocumentShapeError,
  isCallError,
  isHearthError,
  refs,
} from "@hearth/client";
import { deleteApp, initializeApp } from "firebase/app";
import {
  connectFirestoreEmulator,
  type Firestore,
  getDoc,
  getDocFromCache,
  getFirestore,
  serverTimestamp,
  setDoc,
  terminate,
} from "firebase/firestore";
import { connectFunctionsEmulator, type Functions, getFunctions } from "firebase/functions";
import { Auth } from "firebase-admin/auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { endpointOf, loadDeployedFunctions } from "../functions/deploy/support.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { type ServedFunctions, serveFunctions } from "../support/http-functions.js";

const OWNER = "contract-owner";
let emulator: TestEmulator;
let served: ServedFunctions;
let functions: Functions;
let db: Firestore;
/** The callables functions/src/index.ts exports, by name. */
let deployed: string[];
const app = () => functions.app;

beforeAll(async () => {
  emulator = await startTestEmulator({
    rules: await readFile(new URL("../../firestore.rules", import.meta.url), "utf8"),
  });
  process.env.FIRESTORE_EMULATOR_HOST = `${emulator.host}:${emulator.port}`;
  process.env.ENFORCE_APP_CHECK = "false";
  const fns: Record<string, unknown> = { ...(await loadDeployedFunctions(emulator.projectId)) };
  // Google's Auth service cannot be reached: the bearer `uid:<uid>` signs in as <uid>, email verified.
  vi.spyOn(Auth.prototype, "verifyIdToken").mockImplementation(async (token: string) => {
    const uid = token.replace(/^uid:/, "");
    return { uid, sub: uid, email: `${uid}@example.com`, email_verified: true } as never;
  });
  type Served = Parameters<typeof serveFunctions>[0][string];
  deployed = Object.keys(fns).filter((name) => endpointOf(fns[name]).callableTrigger);
  const byPath: Record<string, Served> = {};
  for (const [name, fn] of Object.entries(fns)) {
    if (!endpointOf(fn).callableTrigger) continue;
    // The path the web SDK calls on an emulator; the caller's ID token is the owner's.
    byPath[`${emulator.projectId}/us-central1/${name}`] = (req, res) => {
      req.headers.authorization = `Bearer uid:${OWNER}`;
      return (fn as Served)(req, res);
    };
  }
  served = await serveFunctions(byPath);
  const origin = new URL(served.url(""));
  const web = initializeApp({ projectId: emulator.projectId, apiKey: "demo-api-key" }, "contract-runtime");
  functions = getFunctions(web, "us-central1");
  connectFunctionsEmulator(functions, origin.hostname, Number(origin.port));
  db = getFirestore(web);
  connectFirestoreEmulator(db, emulator.host, emulator.port, {
    mockUserToken: { sub: OWNER, user_id: OWNER },
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await terminate(db);
  await deleteApp(app());
  await served.close();
  await emulator.stop();
});

describe("@hearth/client against the callables and the rules", () => {
  let orgId: string;

  it("has a contract for exactly the callables functions exports", () => {
    expect([...CALLABLE_NAMES].sort()).toEqual([...deployed].sort());
  });

  it("call() answers the callable's typed output, and the org reads back through its converter", async () => {
    ({ orgId } = await call(functions, "createOrg", {
      name: "Contract Co",
      requestId: "contract-runtime-1",
    }));
    expect(orgId).toMatch(/^[A-Za-z0-9_-]+$/);
    const org = (await getDoc(refs.org(db, orgId))).data()!;
    expect(org).toMatchObject({ name: "Contract Co", ownerUid: OWNER, plan: "free" });
    // Validated but not copied: the SDK's Timestamp keeps its methods.
    expect((org.createdAt as unknown as { toDate(): Date }).toDate()).toBeInstanceOf(Date);
    const me = (await getDoc(refs.member(db, orgId, OWNER))).data();
    expect(me?.role).toBe("owner");
  });

  it("errors narrow by reason: code and details as the contract says, other reasons refused", async () => {
    const err = await call(functions, "transferOwnership", { orgId, uid: OWNER }).catch((e: unknown) => e);
    expect(isHearthError(err, "self")).toBe(true);
    expect(isHearthError(err, "not-owner")).toBe(false);
    expect(isCallError(err, "transferOwnership")).toBe(true);
    expect(isCallError(err, "createOrg")).toBe(false); // createOrg never answers "self"
    if (!isHearthError(err, "self")) throw err;
    expect(err.code).toBe("functions/permission-denied");
    expect(err.details).toEqual({ reason: "self" });

    const invalid = await call(functions, "createOrg", { name: "   " }).catch((e: unknown) => e);
    if (!isHearthError(invalid, "validation")) throw invalid;
    expect(Object.keys(invalid.details.fields)).toEqual(["name"]);
  });

  it("an error without a reason is a call error but matches no reason", async () => {
    const err = await call(functions, "leaveOrg", { orgId: "no-such-org" }).catch((e: unknown) => e);
    expect(isHearthError(err)).toBe(true);
    expect((err as { code: string }).code).toBe("functions/permission-denied");
    expect(isHearthError(err, "role")).toBe(false);
    expect(isCallError(err, "leaveOrg")).toBe(true);
  });

  it("an answer that does not fit the output schema rejects as ContractMismatchError", async () => {
    // A deployment older than the package: createOrg answers a number where the contract has an id.
    const stale = await serveFunctions({
      [`${emulator.projectId}/us-central1/createOrg`]: (_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ result: { orgId: 42 } }));
      },
    });
    const web = initializeApp({ projectId: emulator.projectId, apiKey: "demo-api-key" }, "contract-stale");
    try {
      const staleFunctions = getFunctions(web, "us-central1");
      const origin = new URL(stale.url(""));
      connectFunctionsEmulator(staleFunctions, origin.hostname, Number(origin.port));
      const err = await call(staleFunctions, "createOrg", { name: "Stale" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ContractMismatchError);
      expect((err as ContractMismatchError).issues.map((i) => i.path)).toEqual([["orgId"]]);
    } finally {
      await deleteApp(web);
      await stale.close();
    }
  });

  it("the converter refuses a malformed document with its path and field", async () => {
    const { db: admin } = await import("../../functions/src/lib/firestore.js");
    await admin().doc(`orgs/${orgId}/projects/bad`).set({ name: "Bad", description: "", status: "lost" });
    const snap = await getDoc(refs.project(db, orgId, "bad"));
    expect(snap.exists()).toBe(true);
    let thrown: unknown;
    try {
      snap.data();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DocumentShapeError);
    const shape = thrown as DocumentShapeError;
    expect(shape.path).toBe(`orgs/${orgId}/projects/bad`);
    expect(shape.issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["status", "createdBy", "createdAt", "updatedAt"]),
    );
  });

  it("a project just written, its server timestamps still pending, reads through the converter", async () => {
    const ref = refs.project(db, orgId, "fresh");
    const write = setDoc(ref, {
      name: "Fresh",
      description: "",
      status: "active",
      createdBy: OWNER,
      createdAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    });
    const pending = await getDocFromCache(ref);
    expect(pending.metadata.hasPendingWrites).toBe(true);
    expect(pending.data()?.name).toBe("Fresh");
    await write;
    expect((await getDoc(ref)).data()?.status).toBe("active");
  });
});
