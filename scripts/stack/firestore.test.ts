/**
 * Rules hot reload against a running emulator (Firestore and Storage in one process): saves the way
 * editors do (a temporary file renamed over the rules file), again and again, and broken rules reported
 * as `file:line:col: message` text while the previous rules stay in force.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig, type StackConfig } from "./config.js";
import { rulesIssues, watchRules } from "./firestore.js";

const rules = (read: boolean) =>
  `rules_version = '2';\nservice cloud.firestore {\n  match /databases/{db}/documents {\n    match /{doc=**} {\n      allow read: if ${read};\n    }\n  }\n}\n`;
const storageRules = (read: boolean) =>
  `rules_version = '2';\nservice firebase.storage {\n  match /b/{bucket}/o {\n    match /{all=**} {\n      allow read: if ${read};\n    }\n  }\n}\n`;

let emulator: RunningEmulator;
let dir: string;
let config: StackConfig;
let watcher: { stop(): void };
let output: string[] = [];

/** How an editor saves: write a temporary file beside it, then rename it over the original. */
function editorSave(file: string, content: string) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.swp`);
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "hearth-rules-watch-"));
  emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    rulesSource: rules(false),
    storage: { port: 0, rulesSource: storageRules(false) },
  });
  config = {
    ...loadConfig([], {
      HEARTH_FIRESTORE_PORT: String(emulator.port),
      HEARTH_STORAGE_PORT: String(emulator.storagePort),
    }),
    rootDir: dir,
    rulesFile: path.join(dir, "firestore.rules"),
    storageRulesFile: path.join(dir, "storage.rules"),
  };
  writeFileSync(config.rulesFile, rules(false));
  writeFileSync(config.storageRulesFile, storageRules(false));
  for (const method of ["log", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      output.push(args.join(" "));
    });
  }
  watcher = watchRules(config);
});

afterEach(() => {
  output = [];
});

afterAll(async () => {
  watcher?.stop();
  vi.restoreAllMocks();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const firestoreRead = async () =>
  (
    await fetch(
      `http://127.0.0.1:${emulator.port}/v1/projects/${config.projectId}/databases/(default)/documents/things/a`,
    )
  ).status;
const storageRead = async () =>
  (await fetch(`http://127.0.0.1:${emulator.storagePort}/v0/b/${config.storageBucket}/o/missing.txt`)).status;

describe("watchRules", () => {
  it("reloads firestore.rules on every editor-style save, not only the first", async () => {
    expect(await firestoreRead()).toBe(403);
    editorSave(config.rulesFile, rules(true));
    await expect.poll(firestoreRead, { timeout: 5000 }).toBe(404);
    editorSave(config.rulesFile, rules(false));
    await expect.poll(firestoreRead, { timeout: 5000 }).toBe(403);
    editorSave(config.rulesFile, rules(true));
    await expect.poll(firestoreRead, { timeout: 5000 }).toBe(404);
    expect(output.filter((line) => line.includes("firestore.rules reloaded"))).toHaveLength(3);
  });

  it("reloads storage.rules the same way", async () => {
    expect(await storageRead()).toBe(403);
    editorSave(config.storageRulesFile, storageRules(true));
    await expect.poll(storageRead, { timeout: 5000 }).toBe(404);
    editorSave(config.storageRulesFile, storageRules(false));
    await expect.poll(storageRead, { timeout: 5000 }).toBe(403);
  });

  it("prints errors as file:line:col text and keeps the previous rules", async () => {
    editorSave(config.rulesFile, rules(true).replace("if true", "if true &&"));
    await expect.poll(() => output.join("\n"), { timeout: 5000 }).toMatch(/^firestore\.rules:5:\d+: /m);
    const report = output.join("\n");
    expect(report).toContain("firestore.rules has errors; the previous rules stay in force");
    expect(report).not.toContain('"issues"');
    expect(await firestoreRead()).toBe(404);

    editorSave(config.storageRulesFile, "service firebase.storage {");
    await expect.poll(() => output.join("\n"), { timeout: 5000 }).toMatch(/^storage\.rules:1:\d+: /m);
    expect(output.join("\n")).not.toContain('{"message"');
    expect(await storageRead()).toBe(403);
  });
});

describe("rulesIssues", () => {
  it("turns Firestore's structured issues into lines, warnings marked", () => {
    const body = JSON.stringify({
      error: { message: "Rules failed to compile: …" },
      issues: [
        { sourcePosition: { line: 3, column: 7 }, severity: 3, description: "Unexpected '}'." },
        { sourcePosition: { line: 9, column: 1 }, severity: 2, description: "Unused function f." },
      ],
    });
    expect(rulesIssues("firestore.rules", body)).toBe(
      "firestore.rules:3:7: Unexpected '}'.\nfirestore.rules:9:1: warning: Unused function f.",
    );
  });

  it("keeps Storage's rendered text without its heading, and passes other text through", () => {
    const body = JSON.stringify({
      message: "Storage rules failed to compile:\nstorage.rules:1:3: Missing '}'.",
    });
    expect(rulesIssues("storage.rules", body)).toBe("storage.rules:1:3: Missing '}'.");
    expect(rulesIssues("storage.rules", "Bad Gateway")).toBe("Bad Gateway");
  });
});
