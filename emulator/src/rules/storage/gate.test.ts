import { describe, expect, it } from "vitest";
import { FakeDocuments } from "../testing.js";
import { createStorageRulesGate, type StorageCheck } from "./gate.js";

const RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /inbox/{file} { allow list: if request.auth != null; }
    match /shelf { allow list: if request.auth.uid == 'librarian'; }
  }
}`;

const firestore = new FakeDocuments().lookup();

const list = (path: string, uid: string | null): StorageCheck => ({
  method: "list",
  path,
  bucket: "b",
  auth: uid ? { uid, token: {} } : null,
  resource: null,
  time: new Date(0),
  firestore,
});

describe("createStorageRulesGate", () => {
  it("allows everything until rules are loaded", () => {
    const gate = createStorageRulesGate();
    expect(gate.loaded()).toBe(false);
    expect(gate.check(list("anything", null)).allowed).toBe(true);
  });

  it("a listing is allowed by rules on the folder itself or on the objects inside it", () => {
    const gate = createStorageRulesGate();
    expect(gate.setRules(RULES).ok).toBe(true);
    expect(gate.check(list("inbox", "u")).allowed).toBe(true);
    expect(gate.check(list("inbox", null)).allowed).toBe(false);
    expect(gate.check(list("shelf", "librarian")).allowed).toBe(true);
    expect(gate.check(list("shelf", "u")).allowed).toBe(false);
    // Only one level down: a listing of the bucket root is not a listing of inbox/.
    expect(gate.check(list("", "u")).allowed).toBe(false);
  });

  it("rules that do not compile are refused with rendered errors, and the previous rules stay", () => {
    const gate = createStorageRulesGate();
    gate.setRules(RULES);
    const result = gate.setRules(
      "service firebase.storage {\n  match /b { allow read: if ; }\n}",
      "bad.rules",
    );
    expect(result.ok).toBe(false);
    expect(gate.lastErrors()).toMatch(/^bad\.rules:2:\d+: /);
    expect(gate.check(list("inbox", "u")).allowed).toBe(true);
  });
});
