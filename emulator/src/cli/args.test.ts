import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "./args.js";

describe("parseArgs", () => {
  it("reads every flag, in both --flag value and --flag=value forms", () => {
    expect(
      parseArgs([
        "--host",
        "0.0.0.0",
        "--port=9090",
        "--rules",
        "firestore.rules",
        "--import",
        "data",
        "--export-on-exit=data",
        "--functions-emulator",
        "127.0.0.1:5001",
      ]),
    ).toEqual({
      host: "0.0.0.0",
      port: 9090,
      rules: "firestore.rules",
      importDir: "data",
      exportOnExit: "data",
      functionsEmulator: "127.0.0.1:5001",
    });
  });

  it("rejects unknown flags, missing values and bad ports", () => {
    expect(() => parseArgs(["--verbose"])).toThrow(UsageError);
    expect(() => parseArgs(["--port"])).toThrow(/needs a value/);
    expect(() => parseArgs(["--port", "http"])).toThrow(/Invalid port/);
    expect(() => parseArgs(["--port", "70000"])).toThrow(/Invalid port/);
  });

  it("gathers the storage flags into options.storage, which needs a port", () => {
    expect(
      parseArgs(["--storage-port", "9199", "--storage-rules=storage.rules", "--storage-dir", "data/storage"]),
    ).toEqual({
      storage: { port: 9199, rules: "storage.rules", dataDir: "data/storage" },
    });
    expect(() => parseArgs(["--storage-rules", "storage.rules"])).toThrow(/need --storage-port/);
    expect(() => parseArgs(["--storage-port", "x"])).toThrow(/Invalid port/);
  });
});
