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
// memberships and org documents are what firestore.get() reads.

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

function firestoreWorld(): DocumentLookup {
  const docs = new Map<string, GateDocument>();
  for (const orgId of ORGS) {
    const deletedAt = orgId === "defunct" ? { timestampValue: STAMP } : { nullValue: "NULL_VALUE" as const };
    docs.set(`orgs/${orgId}`, stored(`orgs/${orgId}`, { name: { stringValue: orgId }, deletedAt }));
    for (const [uid, role] of Object.entries(MEMBERSHIPS[orgId])) {
      const path = `orgs/${orgId}/members/${uid}`;
      docs.set(path, stored(path, { uid: { stringValue: uid }, role: { stringValue: role } }));
    }
  }
  return { get: (path) => docs.get(path) ?? null };
}
const firestore = firestoreWorld();

const MiB = 1024 * 1024;
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
    firestore,
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
