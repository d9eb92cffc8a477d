import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lockDataDir } from "./data-lock.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("lockDataDir", () => {
  it("refuses a second stack on the same data folder, naming the first, until it is released", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "hearth-lock-"));
    const data = path.join(dir, "data");
    const first = lockDataDir(data);
    expect(() => lockDataDir(data)).toThrow(
      `Another \`npm start\` (pid ${process.pid}) is using the data folder ${data}. Stop it first, or give this stack its own folder with --data DIR`,
    );
    // Another folder is independent.
    lockDataDir(path.join(dir, "other")).release();
    first.release();
    expect(existsSync(`${data}.lock`)).toBe(false);
    lockDataDir(data).release();
  });

  it("takes over a claim left by a process that is gone", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "hearth-lock-"));
    const data = path.join(dir, "data");
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(`${data}.lock`, String(gone));
    const lock = lockDataDir(data);
    lock.release();
  });
});
