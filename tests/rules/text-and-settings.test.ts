import { readFileSync } from "node:fs";
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  DisplayName,
  LIMITS,
  NAME_PATTERN,
  OrgName,
  OrgSettings,
  PHOTO_URL_PATTERN,
  PhotoUrl,
  ProjectDescription,
  ProjectName,
  SETTING_KEYS_PATTERN,
  TEXT_PATTERN,
} from "@hearth/schema";
import { doc, type Firestore, setDoc, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { type RulesEnv, startRulesEnv } from "./support/env.js";
import { newProject, projectChange } from "./support/payloads.js";
import { dbFor, projectDoc, seedWorld } from "./support/world.js";

/**
 * Issue 16, findings 3 and 4: every client-written name and text field refuses the same characters in
 * firestore.rules as in the zod schemas (one RE2 source in schema/src/documents/text.ts), and org settings
 * are a flat, bounded map in both. Each sample's rules verdict must equal the schema's.
 */

let env: RulesEnv;
let next = 0;
const fresh = (prefix: string) => `${prefix}-${next++}`;

beforeAll(async () => {
  env = await startRulesEnv();
  await seedWorld(env.testEnv);
});
afterAll(() => env?.stop());

const RULES = readFileSync(new URL("../../firestore.rules", import.meta.url), "utf8");
/** A rules string literal of `value`: backslashes doubled, in single quotes. */
const literal = (value: string) => `'${value.replaceAll("\\", "\\\\")}'`;

it("firestore.rules spells the schema's text and key patterns", () => {
  for (const pattern of [NAME_PATTERN, TEXT_PATTERN, SETTING_KEYS_PATTERN, PHOTO_URL_PATTERN]) {
    expect(RULES).toContain(`.matches(${literal(pattern)})`);
  }
});

/** Text samples: plain, and each kind of character the patterns refuse or allow. */
const SAMPLES: Record<string, string> = {
  plain: "Acme Café 東京 🔥",
  "line feed": "Acme\nBcc: x@evil.test",
  "carriage return": "Acme\rX",
  tab: "Acme\tX",
  NUL: "Acme\u0000",
  "escape (C0)": "Acme\u001b[31m",
  DEL: "Acme\u007f",
  "next line (C1)": "Acme\u0085X",
  "C1 CSI": "Acme\u009bX",
  "right-to-left override U+202E": "Acme\u202Egnp.exe",
  "left-to-right embedding U+202A": "\u202AAcme",
  "right-to-left mark U+200F": "Acme\u200F",
  "first strong isolate U+2068": "Acme\u2068x\u2069",
  "Arabic letter mark U+061C": "Acme\u061C",
  "line separator U+2028": "Acme\u2028X",
  "zero-width joiner (allowed)": "Ac\u200Dme",
  "no-break space (allowed)": "Acme\u00A0Inc",
};

const verdict = (allowed: boolean, request: Promise<unknown>) =>
  allowed ? assertSucceeds(request) : assertFails(request);

/** Each sample written to `field`: refused by the rules exactly when `schema` refuses it. */
function agree(
  field: string,
  schema: z.ZodType,
  write: (value: string) => Promise<unknown>,
  wrap = (v: string): unknown => v,
) {
  describe.concurrent(field, () => {
    for (const [label, value] of Object.entries(SAMPLES)) {
      const allowed = schema.safeParse(wrap(value)).success;
      it(`${label}: ${allowed ? "allowed" : "refused"} by rules and schema alike`, async () => {
        await verdict(allowed, write(value));
      });
    }
  });
}

const admin = () => dbFor(env.testEnv, "admin");
const member = () => dbFor(env.testEnv, "member");

agree("org name", OrgName, (name) => updateDoc(doc(admin(), "orgs/acme"), { name }));
agree("display name", DisplayName, (displayName) =>
  updateDoc(doc(member(), "users/member"), { displayName }),
);
agree("project name", ProjectName, (name) =>
  setDoc(doc(member(), `orgs/acme/projects/${fresh("n")}`), newProject("member", { name })),
);
agree("project description", ProjectDescription, (description) =>
  setDoc(doc(member(), `orgs/acme/projects/${fresh("d")}`), newProject("member", { description })),
);
agree("project rename", ProjectName, async (name) => {
  const id = fresh("r");
  await env.testEnv.withSecurityRulesDisabled((ctx) =>
    setDoc(doc(ctx.firestore() as unknown as Firestore, `orgs/acme/projects/${id}`), projectDoc("member")),
  );
  return updateDoc(doc(member(), `orgs/acme/projects/${id}`), projectChange({ name }));
});
agree(
  "a setting's text value",
  OrgSettings,
  (value) => updateDoc(doc(admin(), "orgs/acme"), { settings: { theme: value } }),
  (value) => ({ theme: value }),
);

agree(
  "photo URL",
  PhotoUrl,
  (tail) => updateDoc(doc(member(), "users/member"), { photoURL: `https://img.test/${tail}` }),
  (tail) => `https://img.test/${tail}`,
);

describe.concurrent("org settings: flat and bounded", () => {
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
  const cases: Array<[string, unknown]> = [
    ["scalars of every kind", { a: "x", b: 1, c: 1.5, d: true, e: null }],
    [
      `${LIMITS.orgSettingsMaxKeys} text values at the length limit`,
      Object.fromEntries(
        Array.from({ length: LIMITS.orgSettingsMaxKeys }, (_, i) => [
          `k${i}`,
          "v".repeat(LIMITS.orgSettingStringMax),
        ]),
      ),
    ],
    [`${LIMITS.orgSettingsMaxKeys + 1} keys`, many(LIMITS.orgSettingsMaxKeys + 1)],
    [`text of ${LIMITS.orgSettingStringMax + 1}`, { a: "v".repeat(LIMITS.orgSettingStringMax + 1) }],
    ["a 900 KB string", { a: "v".repeat(900_000) }],
    ["a too-long value in the 20th entry", { ...many(19), k19: "v".repeat(LIMITS.orgSettingStringMax + 1) }],
    ["a nested map", { a: { b: 1 } }],
    ["15 levels of maps", { a: Array.from({ length: 14 }).reduce<object>((inner) => ({ x: inner }), {}) }],
    ["a list", { a: [1, 2] }],
    ["NaN", { a: Number.NaN }],
    ["Infinity", { a: Number.POSITIVE_INFINITY }],
    ["a key with a dot", { "a.b": 1 }],
    ["a key with a space", { "a b": 1 }],
    [`a key of ${LIMITS.orgSettingKeyMax + 1}`, { ["k".repeat(LIMITS.orgSettingKeyMax + 1)]: 1 }],
  ];
  for (const [label, settings] of cases) {
    const allowed = OrgSettings.safeParse(settings).success;
    it(`${label}: ${allowed ? "allowed" : "refused"} by rules and schema alike`, async () => {
      await verdict(allowed, updateDoc(doc(admin(), "orgs/acme"), { settings }));
    });
  }

  it("the cases include both verdicts", () => {
    const verdicts = new Set(cases.map(([, s]) => OrgSettings.safeParse(s).success));
    expect(verdicts).toEqual(new Set([true, false]));
  });

  it("a member (not admin) is refused even with valid settings", async () => {
    await assertFails(updateDoc(doc(member(), "orgs/acme"), { settings: { a: 1 } }));
  });
});
