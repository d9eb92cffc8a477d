/**
 * Two stacks for one project id on one machine: firebase-tools finds the hub it exports from on exit
 * through a file named after the project in its temporary folder, so each stack gives it a folder of its
 * own. Here two Auth emulators for the same project run side by side the way the stack starts them
 * (firebaseToolsTempEnv), and stopping one saves only its own users.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firebaseToolsTempEnv, loadConfig, ROOT_DIR, type StackConfig } from "./config.js";

const projectId = "demo-two-stacks";
const FIREBASE = path.join(ROOT_DIR, "node_modules/firebase-tools/lib/bin/firebase.js");
const dir = mkdtempSync(path.join(os.tmpdir(), "hearth-two-stacks-"));
const children: ChildProcess[] = [];
const tempDirs: string[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const temp of [dir, ...tempDirs]) rmSync(temp, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** firebase-tools' Auth emulator as one stack runs it: its ports, its temporary folder, export on exit. */
async function startAuth(name: string) {
  const [auth, hub, logging] = [await freePort(), await freePort(), await freePort()];
  const config: StackConfig = loadConfig([], { HEARTH_HUB_PORT: String(hub) });
  mkdirSync(config.firebaseTempDir, { recursive: true });
  tempDirs.push(config.firebaseTempDir);
  const firebaseJson = path.join(dir, `${name}.json`);
  writeFileSync(
    firebaseJson,
    JSON.stringify({
      emulators: {
        auth: { host: "127.0.0.1", port: auth },
        hub: { host: "127.0.0.1", port: hub },
        logging: { host: "127.0.0.1", port: logging },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  const exportDir = path.join(dir, `${name}-data`);
  const child = spawn(
    process.execPath,
    [
      FIREBASE,
      "emulators:start",
      "--only",
      "auth",
      "--project",
      projectId,
      "--config",
      firebaseJson,
      "--export-on-exit",
      exportDir,
    ],
    { cwd: dir, env: { ...process.env, ...firebaseToolsTempEnv(config) }, stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("All emulators ready")) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then(() => reject(new Error(`${name} exited:\n${out}`)));
  });
  return {
    config,
    origin: `http://127.0.0.1:${auth}`,
    exportDir,
    output: () => out,
    stop: async () => {
      child.kill("SIGINT");
      await exited;
    },
  };
}

async function addUser(origin: string, email: string) {
  const res = await fetch(`${origin}/identitytoolkit.googleapis.com/v1/projects/${projectId}/accounts`, {
    method: "POST",
    headers: { authorization: "Bearer owner", "content-type": "application/json" },
    body: JSON.stringify({ email, password: "secret-123" }),
  });
  expect(res.status).toBe(200);
}

const savedEmails = (exportDir: string) => {
  const file = path.join(exportDir, "auth_export", "accounts.json");
  if (!existsSync(file)) return [];
  const { users } = JSON.parse(readFileSync(file, "utf8")) as { users: { email: string }[] };
  return users.map((u) => u.email).sort();
};

describe("two stacks with one project id", () => {
  it("each saves its own Auth users on exit, never the other's", async () => {
    const [a, b] = await Promise.all([startAuth("a"), startAuth("b")]);
    expect(a.config.firebaseTempDir).not.toBe(b.config.firebaseTempDir);
    expect(existsSync(path.join(a.config.firebaseTempDir, `hub-${projectId}.json`))).toBe(true);
    expect(existsSync(path.join(b.config.firebaseTempDir, `hub-${projectId}.json`))).toBe(true);
    expect(a.output()).not.toContain("multiple instances");
    expect(b.output()).not.toContain("multiple instances");
    await addUser(a.origin, "a@example.com");
    await addUser(b.origin, "b@example.com");

    await b.stop();
    expect(savedEmails(b.exportDir)).toEqual(["b@example.com"]);
    await a.stop();
    expect(savedEmails(a.exportDir)).toEqual(["a@example.com"]);
  }, 240_000);
});
