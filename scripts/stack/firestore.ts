import { existsSync, readFileSync, watch } from "node:fs";
import path from "node:path";
import { address, type StackConfig } from "./config.js";
import { log } from "./log.js";
import { waitForPort } from "./ports.js";
import { type Child, spawnChild } from "./process.js";

/**
 * Starts Hearth's Firestore emulator through its CLI, from source so that it never runs a stale build,
 * with the repository's rules, saved data, and trigger delivery to the Functions emulator.
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
  ];
  if (existsSync(dataDir)) args.push("--import", dataDir);
  const child = spawnChild("firestore", process.execPath, args, { cwd: config.rootDir });
  const started = await Promise.race([
    waitForPort(config.host, config.ports.firestore, 30_000).then(() => true),
    child.exited.then(() => false),
  ]);
  if (!started) throw new Error("the Firestore emulator exited during start-up (see its output above)");
  return child;
}

/** Reloads firestore.rules into the running emulator whenever the file changes; errors keep the old rules. */
export function watchRules(config: StackConfig): { stop(): void } {
  const url = `http://${address(config, "firestore")}/emulator/v1/projects/${config.projectId}:securityRules`;
  const file = path.relative(config.rootDir, config.rulesFile);
  let timer: NodeJS.Timeout | undefined;
  const reload = async () => {
    const content = readFileSync(config.rulesFile, "utf8");
    const res = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rules: { files: [{ name: file, content }] } }),
    });
    if (res.ok) log.ok("rules", `${file} reloaded`);
    else log.error("rules", `${file} has errors; the previous rules stay in force:\n${await res.text()}`);
  };
  const watcher = watch(config.rulesFile, () => {
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
