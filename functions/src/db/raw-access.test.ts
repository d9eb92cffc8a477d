import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("..", import.meta.url));

/**
 * Ways to reach a document without a typed handle (refs.ts): a collection or collection group by name,
 * a document by path from the Firestore client, a path string, or a field read cast to a type.
 */
const RAW_ACCESS: { what: string; pattern: RegExp }[] = [
  { what: "collection by name", pattern: /\.collection\(/ },
  { what: "collection group by name", pattern: /\.collectionGroup\(/ },
  { what: "document by path", pattern: /\b(?:db|firestore|db\(\))\.doc\(/ },
  { what: "path string", pattern: /\.doc\(\s*["'`][^"'`]*\// },
  { what: "cast field read", pattern: /\.get\(\s*["'`][^"'`]*["'`]\s*\)\s*as\s/ },
];

/** Files not migrated to the handles yet; each entry goes once its file is. Must end empty. */
const NOT_YET_MIGRATED = new Set<string>([]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function offenders(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const path of sourceFiles(SRC)) {
    const file = relative(SRC, path).replaceAll("\\", "/");
    if (file.startsWith("db/")) continue;
    readFileSync(path, "utf8")
      .split("\n")
      .forEach((line, i) => {
        for (const { what, pattern } of RAW_ACCESS) {
          if (pattern.test(line)) found.set(file, [...(found.get(file) ?? []), `${file}:${i + 1} ${what}`]);
        }
      });
  }
  return found;
}

describe("document access in functions/src", () => {
  const found = offenders();

  it("goes through the typed handles in db/ only", () => {
    const lines = [...found].filter(([file]) => !NOT_YET_MIGRATED.has(file)).flatMap(([, at]) => at);
    expect(lines).toEqual([]);
  });

  it("lists no file as not yet migrated once it is", () => {
    expect([...NOT_YET_MIGRATED].filter((file) => !found.has(file))).toEqual([]);
  });

  it("recognises each raw access", () => {
    const samples = [
      'db.collection("orgs")',
      'deps.db.collectionGroup("members")',
      "firestore.doc(paths.org(orgId))",
      'ref.doc("orgs/o1")',
      'snap.get("role") as Role',
    ];
    expect(samples.map((line) => RAW_ACCESS.filter(({ pattern }) => pattern.test(line)).length)).toEqual([
      1, 1, 1, 1, 1,
    ]);
  });
});
