/**
 * The seed's function host (seed-host.ts) against the reference, the Functions emulator's own workers
 * (`--seed-in-workers`): a first start seeded each way must leave the same documents and the same Auth
 * users. Generated ids are masked and timestamps left out; every other field is compared by name, and by
 * value wherever the seed decides it (names, roles, plans, statuses, seats, usage totals, where links
 * lead: they show the parameters the functions were given).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeStackLock } from "../../tests/support/stack.js";
import { launchStack, portsFrom } from "./launch.js";

interface Value {
  stringValue?: string;
  integerValue?: string;
  booleanValue?: boolean;
  mapValue?: { fields?: Record<string, Value> };
}
interface StoredDocument {
  path: string;
  fields?: Record<string, Value>;
}

const projectId = "demo-hearth-seedhost";
const ports = portsFrom(26300);
const dirs: string[] = [];
const seeded: Record<"host" | "workers", { documents: string[]; users: string[] }> = {
  host: { documents: [], users: [] },
  workers: { documents: [], users: [] },
};

/** Ids the seed chooses itself; every other document id is generated and masked. */
const FIXED_ID = /^(demo-[a-z]+|billing|storage|welcome\.txt|\d{4}-\d{2}|\d+)$/;
/** Values that depend on timing or chance: token buckets refilled by the clock, the shard a call drew. */
const VALUES_VARY = [/^rateLimits\//, /\/shards\/\d+$/, /^stripeEvents\//];

/** A field's value when the seed decides it: words (not ids, hashes or tokens) and small integers. */
function decided(value: Value): string | undefined {
  if (value.booleanValue !== undefined) return String(value.booleanValue);
  if (value.integerValue !== undefined && Math.abs(Number(value.integerValue)) < 1e9)
    return value.integerValue;
  const s = value.stringValue;
  if (s === undefined) return undefined;
  if (/^[A-Za-z][A-Za-z .@'-]*$/.test(s) && !/^[A-Za-z]{20}$/.test(s)) return s;
  // Links (an invitation mail's, a checkout's return URLs): where they lead, without ids and tokens.
  const links = s.match(/https?:\/\/[^\s?"'<>]+/g);
  return links ? links.map((link) => link.replace(/\/[A-Za-z0-9_-]{20,}/g, "/*")).join(" ") : undefined;
}

function describeFields(fields: Record<string, Value> | undefined, varies: boolean, prefix = ""): string[] {
  return Object.entries(fields ?? {}).flatMap(([key, value]) => {
    const name = `${prefix}${key}`;
    if (value.mapValue) return describeFields(value.mapValue.fields, varies, `${name}.`);
    const shown = varies ? undefined : decided(value);
    return [shown === undefined ? name : `${name}=${shown}`];
  });
}

function readSeed(dataDir: string): { documents: string[]; users: string[] } {
  const saved = JSON.parse(readFileSync(path.join(dataDir, "firestore/hearth-firestore.json"), "utf8")) as {
    databases: { documents: StoredDocument[] }[];
  };
  const documents = saved.databases
    .flatMap((db) => db.documents)
    .map((doc) => {
      const masked = doc.path
        .split("/")
        .map((segment, i) => (i % 2 === 1 && !FIXED_ID.test(segment) ? "*" : segment))
        .join("/");
      const varies = VALUES_VARY.some((pattern) => pattern.test(masked));
      return `${masked} { ${describeFields(doc.fields, varies).sort().join(", ")} }`;
    })
    .sort();
  const accounts = JSON.parse(readFileSync(path.join(dataDir, "auth/auth_export/accounts.json"), "utf8")) as {
    users: { localId: string; email: string; displayName?: string; emailVerified?: boolean }[];
  };
  const users = accounts.users
    .map((u) => `${u.localId} ${u.email} ${u.displayName ?? ""} verified=${u.emailVerified ?? false}`)
    .sort();
  return { documents, users };
}

beforeAll(async () => {
  const releaseLock = await takeStackLock();
  try {
    for (const [way, args] of [
      ["host", []],
      ["workers", ["--seed-in-workers"]],
    ] as const) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `hearth-seed-${way}-`));
      dirs.push(dataDir);
      const stack = launchStack({ projectId, dataDir, ports, args: [...args, "--no-schedules"], npm: false });
      try {
        await stack.ready;
      } finally {
        await stack.interrupt();
      }
      expect(existsSync(path.join(dataDir, "firestore/hearth-firestore.json"))).toBe(true);
      seeded[way] = readSeed(dataDir);
    }
  } finally {
    releaseLock();
  }
}, 600_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the seed's function host", () => {
  it("seeds the documents the Functions emulator's workers seed", () => {
    expect(seeded.host.documents.length).toBeGreaterThan(50);
    expect(seeded.host.documents).toEqual(seeded.workers.documents);
  });

  it("seeds the same Auth users", () => {
    expect(seeded.host.users).toHaveLength(5);
    expect(seeded.host.users).toEqual(seeded.workers.users);
  });
});
