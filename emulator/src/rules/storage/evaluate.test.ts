import { describe, expect, it } from "vitest";
import type { GateAuth } from "../../shared/security.js";
import type { Method } from "../ast/nodes.js";
import { compileRuleset } from "../compile.js";
import type { Ruleset } from "../eval/ruleset.js";
import { FakeDocuments } from "../testing.js";
import { evaluateStorageRequest, type StorageObject } from "./evaluate.js";

const RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /orgs/{orgId}/files/{fileId} {
      function role() {
        return firestore.get(/databases/(default)/documents/orgs/$(orgId)/members/$(request.auth.uid)).data.role;
      }
      allow read: if request.auth != null
        && firestore.exists(/databases/(default)/documents/orgs/$(orgId)/members/$(request.auth.uid));
      allow create: if role() in ['member', 'admin']
        && request.resource.size <= 1024
        && request.resource.contentType.matches('image/.*')
        && request.resource.metadata.uploadedBy == request.auth.uid
        && resource == null;
      allow delete: if role() == 'admin' || resource.metadata.uploadedBy == request.auth.uid;
    }
    match /public/{path=**} {
      allow read;
      allow write: if request.resource.name == 'public/' + string(path).split('/')[1] && bucket == 'main';
    }
  }
}
`;

function compile(): Ruleset {
  const r = compileRuleset(RULES, "storage.rules");
  if (!r.ok) throw new Error(r.issues.map((i) => i.rendered).join("\n"));
  return r.ruleset;
}

const rules = compile();
const firestore = new FakeDocuments();
firestore.set("orgs/acme/members/mia", { role: "member" });
firestore.set("orgs/acme/members/adam", { role: "admin" });
firestore.set("orgs/acme/members/vic", { role: "viewer" });

const auth = (uid: string | null): GateAuth => (uid ? { uid, token: {} } : null);
const png = (uploadedBy: string, size = 100): StorageObject => ({
  size,
  contentType: "image/png",
  metadata: { uploadedBy },
});

function storage(
  method: Method,
  path: string,
  uid: string | null,
  objects: { resource?: StorageObject | null; requestResource?: StorageObject | null } = {},
) {
  return evaluateStorageRequest({
    rules,
    method,
    path,
    bucket: "main",
    auth: auth(uid),
    resource: objects.resource ?? null,
    requestResource: objects.requestResource ?? null,
    time: new Date("2026-01-01T00:00:00Z"),
    firestore: firestore.lookup(),
  }).allowed;
}

describe("storage rules", () => {
  it.each([
    ["vic", true],
    ["mia", true],
    ["stranger", false],
    [null, false],
  ])("read of an org file by %s → %s (firestore.exists)", (uid, allowed) => {
    expect(storage("get", "orgs/acme/files/f1", uid, { resource: png("mia") })).toBe(allowed);
    expect(storage("list", "orgs/acme/files/f1", uid)).toBe(allowed);
  });

  it.each([
    ["mia", png("mia"), true],
    ["adam", png("adam"), true],
    ["vic", png("vic"), false],
    ["mia", png("adam"), false],
    ["mia", png("mia", 2048), false],
    ["mia", { ...png("mia"), contentType: "text/plain" }, false],
    ["mia", { size: 10, contentType: "image/png" }, false],
    [null, png("mia"), false],
  ] as const)("create by %s of %j → %s (request.resource, firestore.get)", (uid, obj, allowed) => {
    expect(storage("create", "orgs/acme/files/new", uid, { requestResource: obj })).toBe(allowed);
  });

  it("create is refused when an object already exists (resource is set)", () => {
    expect(
      storage("create", "orgs/acme/files/f1", "mia", { resource: png("mia"), requestResource: png("mia") }),
    ).toBe(false);
  });

  it.each([
    ["adam", "mia", true],
    ["mia", "mia", true],
    ["mia", "adam", false],
  ])("delete by %s of a file uploaded by %s → %s (resource.metadata)", (uid, uploader, allowed) => {
    expect(storage("delete", "orgs/acme/files/f1", uid, { resource: png(uploader) })).toBe(allowed);
  });

  it("update has no allow statement and is refused with a message", () => {
    const d = evaluateStorageRequest({
      rules,
      method: "update",
      path: "orgs/acme/files/f1",
      bucket: "main",
      auth: auth("adam"),
      resource: png("adam"),
      requestResource: png("adam"),
      time: new Date(),
      firestore: firestore.lookup(),
    });
    expect(d).toEqual({
      allowed: false,
      message: "Missing or insufficient permissions. No matching allow statements for 'update'",
    });
  });

  it("recursive wildcards bind the rest of the object path; resource.name defaults to the object path", () => {
    expect(storage("get", "public/a/b/c.txt", null)).toBe(true);
    expect(storage("create", "public/x", null, { requestResource: { size: 1 } })).toBe(true);
    expect(storage("create", "public/x/y", null, { requestResource: { size: 1 } })).toBe(false);
  });

  it("storage rules are not applied to Firestore requests, and firestore.get is storage-only", () => {
    const r = compileRuleset(
      "service cloud.firestore { match /x/{y} { allow read: if firestore.get(/a/b) != null; } }",
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]?.message).toBe("Function not found: 'firestore.get'.");
  });
});
