/**
 * The processes a deployed function talks to or runs in: firebase-tools' Auth emulator, and
 * functions-framework serving one exported function from the installed upload, as Cloud Run functions
 * does, with nothing from the repository on its module path.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./upload.js";

export const HOST = "127.0.0.1";

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: HOST, port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Served {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `args` and resolves once `readyWhen` matches its output, or once it listens on that port. */
async function serve(
  name: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; url: string; readyWhen: RegExp | number; timeoutMs: number },
): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: "pipe" });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} was not ready after ${opts.timeoutMs} ms:\n${out}`)),
      opts.timeoutMs,
    );
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (opts.readyWhen instanceof RegExp && opts.readyWhen.test(out)) ready();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    if (typeof opts.readyWhen === "number")
      void listening(opts.readyWhen, exited).then((yes) => yes && ready());
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready:\n${out}`));
    });
  }).catch((err) => {
    child.kill("SIGKILL");
    throw err;
  });
  return {
    url: opts.url,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** firebase-tools' Auth emulator alone, on free ports, for `projectId`. */
export async function startAuthEmulator(projectId: string): Promise<Served & { host: string }> {
  const [auth, hub, logging] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), "hearth-auth-"));
  const config = path.join(dir, "firebase.json");
  writeFileSync(
    config,
    JSON.stringify({
      emulators: {
        auth: { host: HOST, port: auth },
        hub: { host: HOST, port: hub },
        logging: { host: HOST, port: logging },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  const firebase = path.join(ROOT, "node_modules/firebase-tools/lib/bin/firebase.js");
  try {
    const served = await serve(
      "the Auth emulator",
      // The stack's preload: the Auth emulator compiles its request validators on first use (about 8 s of
      // CPU less to start).
      [
        "--require",
        path.join(ROOT, "scripts/stack/firebase-tools-preload.cjs"),
        firebase,
        "emulators:start",
        "--only",
        "auth",
        "--project",
        projectId,
        "--config",
        config,
      ],
      {
        cwd: dir,
        env: process.env,
        url: `http://${HOST}:${auth}`,
        readyWhen: /All emulators ready/,
        timeoutMs: 120_000,
      },
    );
    return {
      ...served,
      host: `${HOST}:${auth}`,
      stop: async () => {
        await served.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Polls until something accepts connections on `port`; false if the process exits first. */
async function listening(port: number, exited: Promise<void>): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!gone) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: HOST, port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export type SignatureType = "http" | "cloudevent" | "event";

/** functions-framework serving `target` from the installed upload at `source`, with `env` only. */
export async function serveFunction(
  source: string,
  target: string,
  signatureType: SignatureType,
  env: NodeJS.ProcessEnv,
): Promise<Served> {
  const port = await freePort();
  const main = path.join(ROOT, "node_modules/@google-cloud/functions-framework/build/src/main.js");
  return serve(
    `functions-framework (${target})`,
    [main, `--target=${target}`, `--signature-type=${signatureType}`, `--source=${source}`, `--port=${port}`],
    {
      cwd: source,
      // What Cloud Run sets for a function's container.
      env: {
        ...env,
        NODE_ENV: "production",
        K_SERVICE: target.toLowerCase(),
        K_REVISION: "1",
        PORT: String(port),
      },
      url: `http://${HOST}:${port}`,
      readyWhen: port,
      timeoutMs: 60_000,
    },
  );
}
