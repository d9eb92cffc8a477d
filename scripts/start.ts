/**
 * `npm start`: the whole Hearth backend on this machine, offline and without Java. See README.md.
 */
import "./stack/offline.js";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { address, loadConfig, type StackConfig, UsageError } from "./stack/config.js";
import { bold, cyan, dim, log } from "./stack/log.js";
import { DEMO_PASSWORD, DEMO_USERS } from "./stack/seed.js";
import { type RunningStack, startStack } from "./stack/stack.js";
import { Timings } from "./stack/timings.js";

/**
 * The Firestore host to print for a browser app: browsers open at most six connections per host name, and
 * with `localhost` the emulator gives each tab's WebChannel streams a host of their own (wc….localhost).
 */
function browserHost(host: string): string {
  return host === "127.0.0.1" ? "localhost" : host;
}

function banner(stack: RunningStack): string {
  const c = stack.config;
  const http = (s: keyof StackConfig["ports"]) => `http://${address(c, s)}`;
  const users = DEMO_USERS.map((u) => `    ${u.email.padEnd(28)} ${u.role}`).join("\n");
  const orgs = stack.seeded?.orgs.map((o) => `    ${o.name.padEnd(14)} orgs/${o.id}`).join("\n");
  return `
${bold("Hearth local backend")}  project ${bold(c.projectId)}
  Firestore   ${address(c, "firestore")}   (Hearth emulator, rules from firestore.rules)
  Storage     ${http("storage")}   bucket ${c.storageBucket} (Hearth emulator, rules from storage.rules)
  Auth        ${http("auth")}
  Functions   ${http("functions")}   callables at ${http("functions")}/${c.projectId}/us-central1/<name>
  Fake Stripe ${http("stripe")}   Fake AI provider ${http("ai")}/v1
  Console     ${bold(http("console"))}   documents, users, mail, Stripe, jobs, usage, files
  Data        ${c.dataDir}   (documents, files and users kept across restarts; --clean starts over)

${bold("Demo users")} ${dim(`(password: ${DEMO_PASSWORD})`)}
${users}${orgs ? `\n\n${bold("Demo orgs")}\n${orgs}` : ""}

${bold("Connect a frontend")} ${dim("(Firebase JS SDK v12)")}
${cyan(`  const app = initializeApp({ projectId: "${c.projectId}", apiKey: "demo-api-key",
    storageBucket: "${c.storageBucket}" });
  connectAuthEmulator(getAuth(app), "${http("auth")}", { disableWarnings: true });
  connectFirestoreEmulator(getFirestore(app), "${browserHost(c.host)}", ${c.ports.firestore});
  connectStorageEmulator(getStorage(app), "${c.host}", ${c.ports.storage});
  connectFunctionsEmulator(getFunctions(app, "us-central1"), "${c.host}", ${c.ports.functions});`)}

Run a scheduled job now: ${bold("npm run job -- <name>")}    Stop: ${bold("Ctrl-C")} (saves data)
`;
}

/** The parent process of `pid`, or undefined if it cannot be told. */
function parentOf(pid: number): number | undefined {
  const ps = spawnSync("ps", ["-o", "ppid=", "-p", String(pid)], { encoding: "utf8" });
  const ppid = Number(ps.stdout.trim());
  return ps.status === 0 && Number.isInteger(ppid) && ppid > 1 ? ppid : undefined;
}

/**
 * Calls `gone` once whoever started this process has ended without stopping it: the parent, and under
 * `npm start` also npm itself, which runs the script through a shell that outlives it. Killed with
 * SIGKILL, npm cannot pass on a signal, and the stack would keep running unseen, holding its ports.
 */
function watchStarter(gone: () => void): void {
  const parent = process.ppid;
  const npm = process.env.npm_lifecycle_event ? parentOf(parent) : undefined;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent || (npm !== undefined && !alive(npm))) {
      clearInterval(timer);
      gone();
    }
  }, 500);
  timer.unref();
}

async function main() {
  let config: StackConfig;
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
  const timings = new Timings();
  let stack: RunningStack | undefined;
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info("hearth", `${signal}: stopping and saving data…`);
    await stack?.stop();
    log.info("hearth", "stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  // The terminal was closed.
  process.on("SIGHUP", () => void shutdown("SIGHUP"));
  watchStarter(() => void shutdown("the process that started the stack is gone"));

  try {
    stack = await startStack(config, timings);
  } catch (err) {
    log.error("hearth", (err as Error).message);
    process.exit(1);
  }
  if (shuttingDown) return;
  console.log(banner(stack));
  const ready = performance.now();
  if (config.timings) {
    timings.add("ready", 0, ready);
    timings.print();
  }
  log.ok("hearth", `everything accepts requests (${(ready / 1000).toFixed(1)} s)`);
  console.log("Hearth is ready");
}

void main();
