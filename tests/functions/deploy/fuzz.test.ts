import { writeFileSync } from "node:fs";
import {
  AcceptInviteInput,
  AiGenerateInput,
  ChangeMemberRoleInput,
  CreateCheckoutSessionInput,
  CreateOrgInput,
  CreatePortalSessionInput,
  DeleteMyAccountInput,
  DeleteOrgInput,
  ExportMyDataInput,
  InviteMemberInput,
  LeaveOrgInput,
  RemoveMemberInput,
  RevokeInviteInput,
  TransferOwnershipInput,
} from "@hearth/schema";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { MAX_CALL_DEPTH } from "../../../functions/src/lib/decodable.js";
import { type DeployedCallables, serveDeployedCallables, VALID_INPUTS } from "./support.js";

/**
 * Issue 16, finding 5: a property-based fuzz of every exported callable over HTTP, as a signed-in frontend
 * (`owner1`, owner of `org1`) calls them. Each input is a valid one with one part broken: a field's type,
 * size or depth, a reserved id, hostile Unicode, a prototype key, or the whole payload; inputs the schema
 * would accept are skipped, so every answer must be `invalid-argument` with a reason (`validation` or
 * `undecodable`), never `internal`, and the database must be exactly as before. Fixed seed, bounded runs.
 */

const SEED = 16;
const RUNS_PER_CALLABLE = 60;

const SCHEMAS: Record<string, z.ZodType> = {
  acceptInvite: AcceptInviteInput,
  aiGenerate: AiGenerateInput,
  changeMemberRole: ChangeMemberRoleInput,
  createCheckoutSession: CreateCheckoutSessionInput,
  createOrg: CreateOrgInput,
  createPortalSession: CreatePortalSessionInput,
  deleteMyAccount: DeleteMyAccountInput,
  deleteOrg: DeleteOrgInput,
  exportMyData: ExportMyDataInput,
  inviteMember: InviteMemberInput,
  leaveOrg: LeaveOrgInput,
  removeMember: RemoveMemberInput,
  revokeInvite: RevokeInviteInput,
  transferOwnership: TransferOwnershipInput,
};

/** Nests `leaf` `depth` levels deep in arrays or objects. */
const nested = (depth: number, inObject: boolean, leaf: unknown): unknown =>
  Array.from({ length: depth }).reduce<unknown>((inner) => (inObject ? { a: inner } : [inner]), leaf);

const hostileText = fc.oneof(
  fc.constantFrom(
    "\u202Eevil",
    "a\r\nBcc: x@evil.test",
    "\u0000",
    "\u0085",
    "\u2066x\u2069",
    "\ud800",
    "\udfff",
    "\u061C",
    "x\u2028y",
  ),
  fc
    .tuple(
      fc.string({ unit: "grapheme", maxLength: 20 }),
      fc.constantFrom("\u0007", "\u001b", "\u007f", "\u009b", "\u200e", "\u202a", "\u202e", "\u2067"),
    )
    .map(([s, bad]) => `${s}${bad}${s}`),
);

/** A value to put where a field (or the whole payload) was: types, sizes, depth, ids, Unicode. */
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  // types
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  // sizes
  fc.integer({ min: 129, max: 300_000 }).map((n) => "x".repeat(n)),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  // depth, below and past what the decoder takes
  fc.tuple(fc.integer({ min: 2, max: MAX_CALL_DEPTH + 8 }), fc.boolean()).map(([d, o]) => nested(d, o, "x")),
  // reserved and malformed ids
  fc.constantFrom("__x__", "__name__", "____", ".", "..", "a/b", "/", "org1/../org2", "orgs/org1", "", " "),
  // tagged values the protocol decodes (or cannot)
  fc.constantFrom(
    { "@type": "type.googleapis.com/google.protobuf.Int64Value", value: "NaN" },
    { "@type": "type.googleapis.com/google.protobuf.Int64Value", value: "12" },
    { "@type": "type.googleapis.com/google.protobuf.Any", value: "x" },
  ),
  hostileText,
);

const PROTO_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "__defineGetter__",
];

/** `base` with `key` set as an own, enumerable property (so `__proto__` is sent as a key, not a prototype). */
function withKey(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

function mutations(name: string): fc.Arbitrary<{ kind: string; data: unknown }> {
  const valid = VALID_INPUTS[name]!;
  const fields = Object.keys(valid);
  const field = fields.length > 0 ? fc.constantFrom(...fields) : fc.constant("orgId");
  return fc.oneof(
    fc.tuple(field, badValue).map(([f, v]) => ({ kind: "field", data: { ...valid, [f]: v } })),
    fc
      .tuple(field, hostileText)
      .map(([f, v]) => ({ kind: "unicode", data: { ...valid, [f]: `${valid[f] ?? ""}${v}` } })),
    fc
      .tuple(fc.constantFrom(...PROTO_KEYS), badValue)
      .map(([k, v]) => ({ kind: "prototype key", data: withKey(valid, k, v) })),
    fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.constantFrom("orgId", "name", "role")).map(([k, f]) => ({
      kind: "nested prototype key",
      data: { ...valid, [f]: withKey({}, k, { polluted: true }) },
    })),
    field.map((f) => ({
      kind: "missing field",
      data: Object.fromEntries(Object.entries(valid).filter(([k]) => k !== f)),
    })),
    badValue.map((v) => ({ kind: "payload", data: v })),
  );
}

/** Whether the callable's schema accepts `data` once the protocol decoded it (what parseInput sees). */
function acceptable(name: string, data: unknown): boolean {
  try {
    const decoded = JSON.parse(JSON.stringify({ data })).data as unknown;
    if (JSON.stringify(decoded).includes('"@type"') || JSON.stringify(data).includes('"__proto__"'))
      return false;
    return SCHEMAS[name]!.safeParse(decoded ?? {}).success;
  } catch {
    return false;
  }
}

let stack: DeployedCallables;
let before: Map<string, string>;
const figures = {
  callables: 0,
  calls: 0,
  internal: 0,
  skippedValid: 0,
  byReason: {} as Record<string, number>,
};

beforeAll(async () => {
  stack = await serveDeployedCallables();
  const { db } = await import("../../../functions/src/lib/firestore.js");
  // A real org for the ids to point at, so a call that got past validation could do harm.
  await db().doc("orgs/org1").set({
    name: "Org one",
    ownerUid: "owner1",
    plan: "free",
    memberCount: 2,
    pendingInvites: 1,
    deletedAt: null,
    settings: {},
  });
  await db().doc("orgs/org1/members/owner1").set({ uid: "owner1", role: "owner" });
  await db().doc("orgs/org1/members/user2").set({ uid: "user2", role: "member" });
  await db().doc("orgs/org1/invites/inv1").set({ email: "ann@example.com", status: "pending" });
  await db().doc("users/owner1").set({ displayName: "Owner", email: "owner1@example.com" });
  before = await stack.snapshot();
});
afterAll(async () => {
  writeFileSync("/tmp/hearth-fuzz-figures.json", `${JSON.stringify(figures)}\n`);
  await stack?.stop();
});

describe("fuzzing every callable", () => {
  it("covers every exported callable", () => {
    expect(Object.keys(SCHEMAS).sort()).toEqual(stack.names);
  });

  it.each(Object.keys(SCHEMAS).sort())(
    "%s: every malformed input is invalid-argument with a reason",
    async (name) => {
      figures.callables++;
      await fc.assert(
        fc.asyncProperty(mutations(name), async ({ data }) => {
          if (acceptable(name, data)) {
            figures.skippedValid++;
            return;
          }
          const answer = await stack.call(name, data);
          figures.calls++;
          if (answer.error?.status === "INTERNAL" || answer.http >= 500) figures.internal++;
          const reason = answer.error?.details?.reason ?? "none";
          figures.byReason[reason] = (figures.byReason[reason] ?? 0) + 1;
          expect(answer.error?.status).toBe("INVALID_ARGUMENT");
          expect(["validation", "undecodable"]).toContain(reason);
        }),
        { seed: SEED, numRuns: RUNS_PER_CALLABLE, endOnFailure: true },
      );
    },
  );

  it("nothing was written", async () => {
    expect(figures.calls).toBeGreaterThan(Object.keys(SCHEMAS).length * RUNS_PER_CALLABLE * 0.8);
    expect(figures.internal).toBe(0);
    expect(await stack.snapshot()).toEqual(before);
  });
});
