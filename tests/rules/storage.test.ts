import { readFileSync } from "node:fs";
import { ALLOWED_FILE_CONTENT_TYPES, LIMITS, type Role } from "@hearth/schema";
import { describe, expect, it } from "vitest";
import {
  compileRuleset,
  evaluateStorageRequest,
  type StorageObject,
  type StorageRequest,
} from "../../emulator/src/rules/index.js";
import type { DocumentLookup, GateDocument, WireFields } from "../../emulator/src/shared/security.js";
import { pick, prng } from "../support/prng.js";
import { type Actor, MEMBERSHIPS, ORGS, type OrgId, roleOf, uidOf } from "./support/world.js";

// storage.rules judged by the rules engine's library call, with the same world as the Firestore suites:
// memberships, org documents (their entitlements) and usage/storage are what firestore.get() reads. The
// same rules run through the SDK against the Storage emulator in storage-sdk.test.ts.

const compiled = compileRuleset(
  readFileSync(new URL("../../storage.rules", import.meta.url), "utf8"),
  "storage.rules",
);
if (!compiled.ok) throw new Error(`storage.rules does not compile: ${JSON.stringify(compiled.issues)}`);
const rules = compiled.ruleset;

const STAMP = { seconds: 1_767_225_600, nanos: 0 };
const stored = (path: string, fields: WireFields): GateDocument => ({
  path,
  fields,
  createTime: STAMP,
  updateTime: STAMP,
});

const MiB = 1024 * 1024;
const int = (n: number) => ({ integerValue: String(n) });
type Limits = { storageBytes: number; files: number; fileMaxBytes: number };
type Usage = { storageBytes: number; files: number };

/** Roomy enough that only the 25 MiB ceiling, types and roles decide, as in the role matrix below. */
const ROOMY: Limits = { storageBytes: 1024 * MiB, files: 1000, fileMaxBytes: 100 * MiB };

function firestoreWorld(
  limits: Partial<Limits> = ROOMY,
  usage: Usage | null = { storageBytes: 10 * MiB, files: 5 },
): DocumentLookup {
  const docs = new Map<string, GateDocument>();
  const entitlements = {
    mapValue: { fields: Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, int(v)])) },
  };
  for (const orgId of ORGS) {
    const deletedAt = orgId === "defunct" ? { timestampValue: STAMP } : { nullValue: "NULL_VALUE" as const };
    docs.set(
      `orgs/${orgId}`,
      stored(`orgs/${orgId}`, { name: { stringValue: orgId }, deletedAt, entitlements }),
    );
    if (usage) {
      const path = `orgs/${orgId}/usage/storage`;
      docs.set(path, stored(path, { storageBytes: int(usage.storageBytes), files: int(usage.files) }));
    }
    for (const [uid, role] of Object.entries(MEMBERSHIPS[orgId])) {
      const path = `orgs/${orgId}/members/${uid}`;
      docs.set(path, stored(path, { uid: { stringValue: uid }, role: { stringValue: role } }));
    }
  }
  return { get: (path) => docs.get(path) ?? null };
}
const firestore = firestoreWorld();

const upload = (actor: Actor, overrides: StorageObject = {}): StorageObject => ({
  size: 1000,
  contentType: "image/png",
  metadata: { uploadedBy: uidOf(actor) ?? "nobody" },
  ...overrides,
});

function judge(
  actor: Actor,
  method: StorageRequest["method"],
  path: string,
  objects: { resource?: StorageObject | null; requestResource?: StorageObject | null } = {},
  world: DocumentLookup = firestore,
): boolean {
  const uid = uidOf(actor);
  const decision = evaluateStorageRequest({
    rules,
    method,
    path,
    bucket: "demo-hearth.appspot.com",
    auth: uid ? { uid, token: { email: `${uid}@example.com` } } : null,
    resource: objects.resource ?? null,
    requestResource: objects.requestResource ?? null,
    time: new Date(Date.UTC(2026, 0, 2)),
    firestore: world,
  });
  return decision.allowed;
}

const ACTORS_UNDER_TEST: Actor[] = ["owner", "admin", "member", "viewer", "stranger", "rival", "anonymous"];
const atLeast = (role: Role | null, min: Role) => {
  const rank = { viewer: 0, member: 1, admin: 2, owner: 3 };
  return role !== null && rank[role] >= rank[min];
};

describe("storage: the role matrix for orgs/{orgId}/files/{fileId}", () => {
  for (const orgId of ["acme", "defunct"] as OrgId[]) {
    const live = orgId === "acme";
    for (const actor of ACTORS_UNDER_TEST) {
      const role = roleOf(actor, orgId);
      const file = `orgs/${orgId}/files/f-${actor}`;

      it(`${orgId}: ${actor} read (get and list) ${atLeast(role, "viewer") ? "allowed" : "refused"}`, () => {
        const existing = { resource: upload("member") };
        expect(judge(actor, "get", file, existing)).toBe(atLeast(role, "viewer"));
        expect(judge(actor, "list", file)).toBe(atLeast(role, "viewer"));
      });

      const mayUpload = live && atLeast(role, "member");
      it(`${orgId}: ${actor} upload ${mayUpload ? "allowed" : "refused"}`, () => {
        expect(judge(actor, "create", file, { requestResource: upload(actor) })).toBe(mayUpload);
      });

      const mayDeleteAny = live && atLeast(role, "admin");
      it(`${orgId}: ${actor} delete another's file ${mayDeleteAny ? "allowed" : "refused"}`, () => {
        const other = actor === "owner" ? "member" : "owner";
        expect(judge(actor, "delete", file, { resource: upload(other) })).toBe(mayDeleteAny);
      });

      const mayDeleteOwn = live && atLeast(role, "member");
      it(`${orgId}: ${actor} delete own upload ${mayDeleteOwn ? "allowed" : "refused"}`, () => {
        expect(judge(actor, "delete", file, { resource: upload(actor) })).toBe(mayDeleteOwn);
      });

      it(`${orgId}: ${actor} overwrite refused (objects are immutable)`, () => {
        expect(
          judge(actor, "update", file, { resource: upload(actor), requestResource: upload(actor) }),
        ).toBe(false);
      });
    }
  }
});

describe("storage: upload validation", () => {
  const path = "orgs/acme/files/new";
  const create = (overrides: StorageObject) =>
    judge("member", "create", path, { requestResource: upload("member", overrides) });

  it(`size: exactly ${LIMITS.fileMaxBytes / MiB} MiB allowed, one byte more refused`, () => {
    expect(LIMITS.fileMaxBytes).toBe(25 * MiB);
    expect(create({ size: LIMITS.fileMaxBytes })).toBe(true);
    expect(create({ size: LIMITS.fileMaxBytes + 1 })).toBe(false);
    expect(create({ size: 0 })).toBe(true);
  });

  it("content type: every type of the schema's allowed list passes, others are refused", () => {
    for (const contentType of ALLOWED_FILE_CONTENT_TYPES)
      expect(create({ contentType }), contentType).toBe(true);
    for (const contentType of ["text/html", "application/x-msdownload", "image/svg+xml", "", "IMAGE/PNG"]) {
      expect(create({ contentType }), contentType).toBe(false);
    }
  });

  it("uploader: metadata.uploadedBy must be the caller", () => {
    expect(create({ metadata: { uploadedBy: "owner" } })).toBe(false);
    expect(create({ metadata: {} })).toBe(false);
  });
});

describe("storage: plan limits (org entitlements against usage/storage)", () => {
  const limits: Limits = { storageBytes: 10_000, files: 3, fileMaxBytes: 4_000 };
  const create = (size: number, world: DocumentLookup) =>
    judge("member", "create", "orgs/acme/files/new", { requestResource: upload("member", { size }) }, world);

  it("per-file size: the plan's fileMaxBytes exactly is allowed, one byte more refused", () => {
    const world = firestoreWorld(limits, null);
    expect(create(4_000, world)).toBe(true);
    expect(create(4_001, world)).toBe(false);
  });

  it("stored bytes: an upload that fills the plan exactly is allowed, one byte more refused", () => {
    const world = firestoreWorld(limits, { storageBytes: 7_000, files: 1 });
    expect(create(3_000, world)).toBe(true);
    expect(create(3_001, world)).toBe(false);
  });

  it("file count: the last file the plan allows is accepted, the next refused", () => {
    expect(create(1, firestoreWorld(limits, { storageBytes: 0, files: 2 }))).toBe(true);
    expect(create(1, firestoreWorld(limits, { storageBytes: 0, files: 3 }))).toBe(false);
  });

  it("no usage/storage document yet counts as nothing stored", () => {
    expect(create(4_000, firestoreWorld(limits, null))).toBe(true);
  });

  it("an org whose entitlements predate a limit is refused, never unlimited", () => {
    const { files: _files, ...withoutFiles } = limits;
    expect(create(1, firestoreWorld(withoutFiles, null))).toBe(false);
    const { fileMaxBytes: _max, ...withoutMax } = limits;
    expect(create(1, firestoreWorld(withoutMax, null))).toBe(false);
  });

  it("reads and deletes do not depend on the plan: a full org still reads and frees space", () => {
    const full = firestoreWorld(limits, { storageBytes: 10_000, files: 3 });
    expect(judge("viewer", "get", "orgs/acme/files/x", { resource: upload("member") }, full)).toBe(true);
    expect(judge("member", "delete", "orgs/acme/files/x", { resource: upload("member") }, full)).toBe(true);
    expect(create(1, full)).toBe(false);
  });
});

describe("storage: cross-tenant and other paths", () => {
  it("globex's owner can use globex files but not acme's", () => {
    expect(judge("rival", "create", "orgs/globex/files/x", { requestResource: upload("rival") })).toBe(true);
    expect(judge("rival", "create", "orgs/acme/files/x", { requestResource: upload("rival") })).toBe(false);
    expect(judge("rival", "get", "orgs/acme/files/x", { resource: upload("member") })).toBe(false);
    expect(judge("owner", "get", "orgs/globex/files/x", { resource: upload("rival") })).toBe(false);
  });

  it("an uploader who left the org can no longer delete their file", () => {
    expect(judge("stranger", "delete", "orgs/acme/files/x", { resource: upload("stranger") })).toBe(false);
  });

  it("nothing outside orgs/{orgId}/files/{fileId} is readable or writable", () => {
    for (const path of [
      "public/logo.png",
      "orgs/acme/logo.png",
      "orgs/acme/other/x",
      "orgs/acme/files/a/b",
      "users/owner/x",
    ]) {
      expect(judge("owner", "get", path, { resource: upload("owner") }), path).toBe(false);
      expect(judge("owner", "create", path, { requestResource: upload("owner") }), path).toBe(false);
    }
  });
});

describe("storage: randomized against the role matrix as plain code", () => {
  const SEED = Number(process.env.RULES_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const METHODS = ["get", "list", "create", "update", "delete"] as const;
  const TYPES = [...ALLOWED_FILE_CONTENT_TYPES, "text/html", "application/octet-stream"];
  const SIZES = [0, 1, LIMITS.fileMaxBytes, LIMITS.fileMaxBytes + 1, 100 * MiB];

  it(`1000 random requests agree with the model (seed ${SEED})`, () => {
    const random = prng(SEED);
    const mismatches: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const actor = pick(random, ACTORS_UNDER_TEST);
      const orgId = pick(random, ORGS);
      const method = pick(random, METHODS);
      // Most objects are the caller's own, so uploads and own-deletes are exercised often.
      const uploader =
        random() < 0.6 && actor !== "anonymous"
          ? actor
          : pick(random, ["owner", "admin", "member", "viewer", "stranger", "rival"] as Actor[]);
      const object = upload(uploader, { size: pick(random, SIZES), contentType: pick(random, TYPES) });
      const role = roleOf(actor, orgId);
      const live = orgId !== "defunct";
      const self = uidOf(actor);
      const expected =
        method === "get" || method === "list"
          ? atLeast(role, "viewer")
          : method === "create"
            ? live &&
              atLeast(role, "member") &&
              uploader === self &&
              object.size! <= LIMITS.fileMaxBytes &&
              (ALLOWED_FILE_CONTENT_TYPES as readonly string[]).includes(object.contentType!)
            : method === "delete"
              ? live && (atLeast(role, "admin") || (atLeast(role, "member") && uploader === self))
              : false;
      const objects =
        method === "create"
          ? { requestResource: object }
          : method === "update"
            ? { resource: object, requestResource: object }
            : { resource: object };
      const actual = judge(actor, method, `orgs/${orgId}/files/r${i}`, objects);
      if (actual !== expected) {
        mismatches.push(
          `#${i} ${actor} ${method} in ${orgId} of ${JSON.stringify(object)}: expected ${expected}`,
        );
      }
    }
    expect(mismatches, `seed ${SEED} (replay with RULES_FUZZ_SEED=${SEED})`).toEqual([]);
  });
});
