import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { LIMITS } from "@hearth/schema";
import { deleteField, doc, type Firestore, setDoc, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, it } from "vitest";
import { type RulesEnv, startRulesEnv } from "./support/env.js";
import { newProject, projectChange } from "./support/payloads.js";
import { dbFor, projectDoc, seedWorld } from "./support/world.js";

// Validated client writes, with each boundary pinned to the LIMITS the zod schemas use.

let env: RulesEnv;
let next = 0;
const fresh = (prefix: string) => `${prefix}-${next++}`;
const chars = (n: number) => "x".repeat(n);

beforeAll(async () => {
  env = await startRulesEnv();
  await seedWorld(env.testEnv);
});
afterAll(() => env?.stop());

async function verdict(allowed: boolean, request: Promise<unknown>) {
  await (allowed ? assertSucceeds(request) : assertFails(request));
}

describe.concurrent("projects: create", () => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ["a complete valid project", {}, true],
    ["name of 1 character", { name: "x" }, true],
    [`name of ${LIMITS.projectNameMax} characters`, { name: chars(LIMITS.projectNameMax) }, true],
    ["empty name", { name: "" }, false],
    [`name of ${LIMITS.projectNameMax + 1} characters`, { name: chars(LIMITS.projectNameMax + 1) }, false],
    ["name that is a number", { name: 42 }, false],
    ["empty description", { description: "" }, true],
    [
      `description of ${LIMITS.projectDescriptionMax}`,
      { description: chars(LIMITS.projectDescriptionMax) },
      true,
    ],
    [
      `description of ${LIMITS.projectDescriptionMax + 1}`,
      { description: chars(LIMITS.projectDescriptionMax + 1) },
      false,
    ],
    ["description that is null", { description: null }, false],
    ["status archived", { status: "archived" }, true],
    ["unknown status", { status: "deleted" }, false],
    ["an extra field", { color: "red" }, false],
  ];
  for (const [name, overrides, allowed] of cases) {
    it(`${name}: ${allowed ? "allowed" : "refused"}`, async () => {
      const db = dbFor(env.testEnv, "member");
      await verdict(
        allowed,
        setDoc(doc(db, `orgs/acme/projects/${fresh("c")}`), newProject("member", overrides)),
      );
    });
  }

  for (const missing of ["name", "description", "status", "createdBy", "createdAt", "updatedAt"]) {
    it(`without ${missing}: refused`, async () => {
      const rest: Record<string, unknown> = { ...newProject("member") };
      delete rest[missing];
      await assertFails(setDoc(doc(dbFor(env.testEnv, "member"), `orgs/acme/projects/${fresh("m")}`), rest));
    });
  }
});

describe.concurrent("projects: update", () => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ["rename", { name: "Renamed" }, true],
    ["archive", { status: "archived" }, true],
    ["long description", { description: chars(LIMITS.projectDescriptionMax) }, true],
    ["overlong name", { name: chars(LIMITS.projectNameMax + 1) }, false],
    ["overlong description", { description: chars(LIMITS.projectDescriptionMax + 1) }, false],
    ["bad status", { status: "gone" }, false],
    ["removing the description", { description: deleteField() }, false],
    ["an extra field", { color: "red" }, false],
  ];
  for (const [name, fields, allowed] of cases) {
    it(`${name}: ${allowed ? "allowed" : "refused"}`, async () => {
      const id = fresh("u");
      await env.testEnv.withSecurityRulesDisabled((ctx) =>
        setDoc(
          doc(ctx.firestore() as unknown as Firestore, `orgs/acme/projects/${id}`),
          projectDoc("member"),
        ),
      );
      const db = dbFor(env.testEnv, "member");
      await verdict(allowed, updateDoc(doc(db, `orgs/acme/projects/${id}`), projectChange(fields)));
    });
  }
});

describe.concurrent("org: name and settings", () => {
  const settings = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ["name of 1 character", { name: "A" }, true],
    [`name of ${LIMITS.orgNameMax}`, { name: chars(LIMITS.orgNameMax) }, true],
    [`name of ${LIMITS.orgNameMax + 1}`, { name: chars(LIMITS.orgNameMax + 1) }, false],
    ["empty name", { name: "" }, false],
    ["whitespace-only name", { name: "   " }, false],
    ["name that is a list", { name: ["Acme"] }, false],
    [
      `settings with ${LIMITS.orgSettingsMaxKeys} keys`,
      { settings: settings(LIMITS.orgSettingsMaxKeys) },
      true,
    ],
    [
      `settings with ${LIMITS.orgSettingsMaxKeys + 1} keys`,
      { settings: settings(LIMITS.orgSettingsMaxKeys + 1) },
      false,
    ],
    ["settings that are a string", { settings: "dark" }, false],
    ["name and settings together", { name: "Acme", settings: {} }, true],
    ["removing the name", { name: deleteField() }, false],
  ];
  for (const [name, fields, allowed] of cases) {
    it(`${name}: ${allowed ? "allowed" : "refused"}`, async () => {
      await verdict(allowed, updateDoc(doc(dbFor(env.testEnv, "admin"), "orgs/acme"), fields));
    });
  }
});

describe.concurrent("users: profile", () => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ["displayName", { displayName: "Ann" }, true],
    [`displayName of ${LIMITS.displayNameMax}`, { displayName: chars(LIMITS.displayNameMax) }, true],
    [`displayName of ${LIMITS.displayNameMax + 1}`, { displayName: chars(LIMITS.displayNameMax + 1) }, false],
    ["empty displayName", { displayName: "" }, false],
    ["null displayName", { displayName: null }, true],
    ["https photoURL", { photoURL: "https://img.test/p.png" }, true],
    ["http photoURL", { photoURL: "http://img.test/p.png" }, false],
    ["javascript: photoURL", { photoURL: "javascript:alert(1)" }, false],
    [`photoURL over ${LIMITS.photoUrlMax}`, { photoURL: `https://${chars(LIMITS.photoUrlMax)}` }, false],
    ["null photoURL", { photoURL: null }, true],
    ["a new field", { bio: "hi" }, false],
  ];
  for (const [name, fields, allowed] of cases) {
    it(`${name}: ${allowed ? "allowed" : "refused"}`, async () => {
      await verdict(allowed, updateDoc(doc(dbFor(env.testEnv, "member"), "users/member"), fields));
    });
  }
});
