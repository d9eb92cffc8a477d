/**
 * The CLI contract through the real bin (emulator/bin/hearth-emulator.js over emulator/dist, which
 * `npm install` and `npm test` build): starts on the given port, answers gRPC and HTTP there, stops
 * cleanly on signals.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminFirestore } from "./helpers/admin.js";

const root = new URL("../../", import.meta.url);

function startCli(args: string[]): { child: ChildProcess; ready: Promise<number>; output: () => string } {
  const child = spawn(process.execPath, ["emulator/bin/hearth-emulator.js", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += String(data);
      const m = /listening on [^:]+:(\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  return { child, ready, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

describe("hearth-emulator CLI", () => {
  it("without a build, the bin explains how to make one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-bin-"));
    await mkdir(join(dir, "bin"));
    await copyFile(new URL("emulator/bin/hearth-emulator.js", root), join(dir, "bin", "hearth-emulator.js"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const child = spawn(process.execPath, [join(dir, "bin", "hearth-emulator.js")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => {
      stderr += String(d);
    });
    expect(await exited(child)).toBe(1);
    expect(stderr).toMatch(/emulator\/dist is missing.*npm run build --workspace emulator/s);
  });

  it("serves HTTP and gRPC on one port and stops on SIGTERM", async () => {
    const cli = startCli(["--host", "127.0.0.1", "--port", "0"]);
    const port = await cli.ready;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("Ok");
    const db = adminFirestore({ host: "127.0.0.1", port, projectId: "demo-cli", stop: async () => {} });
    await db.doc("cli/a").set({ v: 1 });
    expect((await db.doc("cli/a").get()).get("v")).toBe(1);
    await db.terminate();
    const done = exited(cli.child);
    cli.child.kill("SIGTERM");
    expect(await done).toBe(0);
    expect(cli.output()).toMatch(/stopped/);
  });

  it("exports on SIGINT with --export-on-exit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-cli-"));
    const cli = startCli(["--port", "0", "--export-on-exit", dir]);
    const port = await cli.ready;
    const db = adminFirestore({ host: "127.0.0.1", port, projectId: "demo-cli", stop: async () => {} });
    await db.doc("cli/saved").set({ v: 2 });
    await db.terminate();
    const done = exited(cli.child);
    cli.child.kill("SIGINT");
    expect(await done).toBe(0);
    const snapshot = JSON.parse(await readFile(join(dir, "hearth-firestore.json"), "utf8"));
    expect(snapshot.databases[0].documents[0].path).toBe("cli/saved");
  });

  it("rejects unknown flags with usage and exit code 2", async () => {
    const cli = startCli(["--nope"]);
    cli.ready.catch(() => {});
    const code = await exited(cli.child);
    expect(code).toBe(2);
    expect(cli.output()).toMatch(/Usage: hearth-emulator/);
  });
});
