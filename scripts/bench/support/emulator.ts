/**
 * The emulator as its own process, started the way a user starts it: the `hearth-emulator` CLI
 * (emulator/bin, which runs emulator/dist) on free ports. Its figures then carry the real process
 * boundary, and its memory is read from /proc without the benchmark client's.
 */
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { EmulatorOptions } from "../../../emulator/src/index.js";
import { rssMiB } from "./proc.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const EMULATOR_BIN = path.join(root, "emulator/bin/hearth-emulator.js");
export const HOST = "127.0.0.1";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface Launched {
  child: ChildProcess;
  pid: number;
  /** From spawn to the port accepting connections. */
  startMs: number;
  /** SIGTERM to the whole process group (npx starts a shell and node below it), then waits for it. */
  stop(): Promise<void>;
}

const running = new Set<number>();
// A bench that throws must not leave its emulators behind.
process.on("exit", () => {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * Runs `command args` in a process group of its own and waits until every one of `ports` accepts
 * connections; fails if the command exits first.
 */
export async function launch(
  command: string,
  args: readonly string[],
  ports: readonly number[],
  { ipc = false } = {},
): Promise<Launched> {
  const t0 = performance.now();
  const stdio: StdioOptions = ipc ? ["ignore", "ignore", "inherit", "ipc"] : ["ignore", "ignore", "inherit"];
  const child = spawn(command, args, { cwd: root, detached: true, stdio });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${command}.`);
  running.add(pid);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (gone) throw new Error(`${command} ${args.join(" ")} exited before accepting connections.`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const startMs = performance.now() - t0;
  return {
    child,
    pid,
    startMs,
    async stop() {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        // already gone
      }
      await exited;
      // The group leader can exit before the node process below it (npx → sh → node). Bounded: a
      // process that is a zombie no one reaps still counts as a member of the group.
      for (const deadline = performance.now() + 5_000; performance.now() < deadline; ) {
        try {
          process.kill(-pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      running.delete(pid);
    },
  };
}

/**
 * Start-up times (spawn → accepting, ms) of each emulator command, `runs` each, interleaved so that a
 * burst of load on the machine touches every command alike; `args` get `--host` and a free `--port`.
 */
export async function startTimes(
  commands: readonly (readonly [command: string, args: readonly string[]])[],
  runs: number,
): Promise<number[][]> {
  const times = commands.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [c, [command, args]] of commands.entries()) {
      const port = await freePort();
      const started = await launch(command, [...args, "--host", HOST, "--port", String(port)], [port]);
      times[c]!.push(started.startMs);
      await started.stop();
    }
  }
  return times;
}

export interface EmulatorProcess extends Launched {
  host: string;
  port: number;
  storagePort?: number;
  /** The emulator server's resident memory now, in MiB. */
  rss(): number;
}

export interface EmulatorArgs {
  /** Security Rules file (`--rules`); without one the emulator allows everything. */
  rules?: string;
  /** Also start the Storage emulator, storing objects in this folder. */
  storageDir?: string;
}

/** `node emulator/bin/hearth-emulator.js --host 127.0.0.1 --port <free> …`, started and accepting. */
export async function spawnEmulator(options: EmulatorArgs = {}): Promise<EmulatorProcess> {
  const port = await freePort();
  const args = [EMULATOR_BIN, "--host", HOST, "--port", String(port)];
  if (options.rules !== undefined) args.push("--rules", options.rules);
  let storagePort: number | undefined;
  if (options.storageDir !== undefined) {
    storagePort = await freePort();
    args.push("--storage-port", String(storagePort), "--storage-dir", options.storageDir);
  }
  const launched = await launch(
    process.execPath,
    args,
    storagePort === undefined ? [port] : [port, storagePort],
  );
  return { ...launched, host: HOST, port, storagePort, rss: () => rssMiB(launched.pid) };
}

export interface HostedEmulator extends EmulatorProcess {
  webChannelSessions(): Promise<number>;
}

/**
 * The emulator in its own process with `options` the CLI has no flag for (the browser bench's page-load
 * figure shortens the WebChannel idle-session expiry and counts open sessions). It runs from source
 * through tsx, so its RSS includes the TypeScript loader: compare its memory figures with each other,
 * not with the CLI's.
 */
export async function hostEmulator(options: EmulatorOptions): Promise<HostedEmulator> {
  const port = await freePort();
  const launched = await launch(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "scripts/bench/support/emulator-host.ts"),
      JSON.stringify({ ...options, host: HOST, port }),
    ],
    [port],
    { ipc: true },
  );
  const { child } = launched;
  return {
    ...launched,
    host: HOST,
    port,
    rss: () => rssMiB(launched.pid),
    webChannelSessions: () =>
      new Promise((resolve) => {
        child.once("message", (n) => resolve(n as number));
        child.send("sessions");
      }),
  };
}
