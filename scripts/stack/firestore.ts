import { existsSync, readFileSync, watch } from "node:fs";
import path from "node:path";
import { address, type StackConfig } from "./config.js";
import { log } from "./log.js";
import { waitForPort } from "./ports.js";
import { type Child, spawnChild } from "./process.js";

/**
 * Starts Hearth's emulator through its CLI, from source so that it never runs a stale build: Firestore and
 * Storage in one process (storage.rules' firestore.get() reads this Firestore's data), with the
 * repository's rules, saved data, and trigger delivery to the Functions emulator.
 */
export async function startFirestore(config: StackConfig): Promise<Child> {
  const dataDir = path.join(config.dataDir, "firestore");
  const args = [
    "--import",
    "tsx",
    path.join(config.rootDir, "scripts/stack/run-emulator.ts"),
    "--host",
    config.host,
    "--port",
    String(config.ports.firestore),
    "--rules",
    config.rulesFile,
    "--export-on-exit",
    dataDir,
    "--functions-emulator",
    address(config, "functions"),
    "--storage-port",
    String(config.ports.storage),
    "--storage-rules",
    config.storageRulesFile,
    // Objects are kept in this folder as they are written, so they survive restarts like the documents.
    "--storage-dir",
    path.join(config.dataDir, "storage"),
  ];
  if (existsSync(dataDir)) args.push("--import", dataDir);
  const child = spawnChild("firestore", process.execPath, args, { cwd: config.rootDir });
  const ports = [config.ports.firestore, config.ports.storage];
  const started = await Promise.race([
    Promise.all(ports.map((port) => waitForPort(config.host, port, 30_000))).then(() => true),
    child.exited.then(() => false),
  ]);
  if (!started) throw new Error("Hearth's emulator exited during start-up (see its output above)");
  return child;
}

/**
 * Reloads firestore.rules and storage.rules into the running emulator whenever either file changes; a
 * file with errors keeps its old rules in force.
 */
export function watchRules(config: StackConfig): { stop(): void } {
  const watchers = [
    watchRulesFile(
      config,
      config.rulesFile,
      `http://${address(config, "firestore")}/emulator/v1/projects/${config.projectId}:securityRules`,
    ),
    // The endpoint rules-unit-testing and firebase-tools load storage rules through.
    watchRulesFile(config, config.storageRulesFile, `http://${address(config, "storage")}/internal/setRules`),
  ];
  return {
    stop() {
      for (const watcher of watchers) watcher.stop();
    },
  };
}

/**
 * Watches the file's folder, not the file: editors save by writing a temporary file and renaming it over
 * the old one, after which a watch on the file itself would follow the replaced inode and go quiet.
 */
function watchRulesFile(config: StackConfig, rulesFile: string, url: string): { stop(): void } {
  const file = path.relative(config.rootDir, rulesFile);
  let timer: NodeJS.Timeout | undefined;
  let loaded: string | undefined = readRules(rulesFile);
  const reload = async () => {
    const content = readRules(rulesFile);
    // Mid-rename the file may be missing for a moment; the rename's own event follows.
    if (content === undefined || content === loaded) return;
    const res = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rules: { files: [{ name: file, content }] } }),
    });
    const answer = rulesIssues(file, await res.text());
    if (res.ok) {
      loaded = content;
      log.ok("rules", `${file} reloaded`);
      if (answer) log.warn("rules", answer);
    } else {
      // Not remembered as loaded: saving the same broken text again reports it again.
      loaded = undefined;
      log.error("rules", `${file} has errors; the previous rules stay in force:\n${answer}`);
    }
  };
  const watcher = watch(path.dirname(rulesFile), (_event, name) => {
    if (name !== path.basename(rulesFile)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload().catch((e) => log.error("rules", String(e))), 150);
  });
  return {
    stop() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

function readRules(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * What the emulator said about a rules file, as `file:line:col: message` lines: Firestore answers with
 * structured issues, Storage with rendered text (each issue followed by its source line and a caret).
 */
export function rulesIssues(file: string, body: string): string {
  let json: {
    issues?: {
      sourcePosition?: { line?: number; column?: number };
      severity?: number;
      description?: string;
    }[];
    message?: string;
    error?: { message?: string };
  };
  try {
    json = JSON.parse(body);
  } catch {
    return body.trim();
  }
  if (Array.isArray(json.issues)) {
    return json.issues
      .map((i) => {
        const where = `${file}:${i.sourcePosition?.line ?? 0}:${i.sourcePosition?.column ?? 0}`;
        return `${where}: ${i.severity === 3 ? "" : "warning: "}${i.description ?? ""}`;
      })
      .join("\n");
  }
  const message = json.message ?? json.error?.message ?? "";
  // The first line only repeats that compiling failed.
  return message.replace(/^.*failed to compile:\n/i, "").trim();
}
