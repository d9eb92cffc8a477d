import { describe, expect, test } from "vitest";
import {
  deriveWorkspaceLockfile,
  type Lockfile,
  LockfileDerivationError,
  type Manifest,
} from "./functions-lockfile.js";

const manifest: Manifest = { name: "@x/functions", version: "1.0.0", dependencies: { a: "^1.0.0" } };

function lock(packages: Lockfile["packages"]): Lockfile {
  return {
    name: "root",
    version: "0.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: { "": {}, ...packages },
  };
}

const entry = (version: string, extra: Record<string, unknown> = {}) => ({
  version,
  resolved: `https://registry.example/${version}.tgz`,
  integrity: `sha512-${version}`,
  ...extra,
});

describe("deriveWorkspaceLockfile", () => {
  test("keeps what the workspace reaches, at the place Node finds it, without dev flags", () => {
    const derived = deriveWorkspaceLockfile(
      lock({
        "node_modules/a": entry("1.2.0", { dependencies: { b: "^2" }, dev: true }),
        "node_modules/b": entry("3.0.0", { devOptional: true }),
        "node_modules/a/node_modules/b": entry("2.1.0"),
        "node_modules/unrelated": entry("9.0.0", { dev: true }),
      }),
      "functions",
      manifest,
    );
    expect(derived.packages).toEqual({
      "": { name: "@x/functions", version: "1.0.0", dependencies: { a: "^1.0.0" } },
      "node_modules/a": entry("1.2.0", { dependencies: { b: "^2" } }),
      "node_modules/a/node_modules/b": entry("2.1.0"),
    });
  });

  test("moves packages nested under the workspace to the top", () => {
    const derived = deriveWorkspaceLockfile(
      lock({ "functions/node_modules/a": entry("1.0.0"), "node_modules/a": entry("0.9.0") }),
      "functions",
      manifest,
    );
    expect(Object.keys(derived.packages)).toEqual(["", "node_modules/a"]);
    expect(derived.packages["node_modules/a"]?.version).toBe("1.0.0");
  });

  test("follows required peers and optional dependencies, marking the latter optional", () => {
    const derived = deriveWorkspaceLockfile(
      lock({
        "node_modules/a": entry("1.0.0", {
          peerDependencies: { p: "*", q: "*" },
          peerDependenciesMeta: { q: { optional: true } },
          optionalDependencies: { native: "*", absent: "*" },
        }),
        "node_modules/p": entry("1.0.0"),
        "node_modules/q": entry("1.0.0"),
        "node_modules/native": entry("1.0.0", { os: ["linux"], optional: true }),
      }),
      "functions",
      manifest,
    );
    expect(Object.keys(derived.packages)).toEqual([
      "",
      "node_modules/a",
      "node_modules/native",
      "node_modules/p",
    ]);
    expect(derived.packages["node_modules/native"]?.optional).toBe(true);
  });

  test("refuses a missing dependency, a workspace link, and a layout that cannot be flattened", () => {
    expect(() => deriveWorkspaceLockfile(lock({}), "functions", manifest)).toThrow(LockfileDerivationError);
    expect(() =>
      deriveWorkspaceLockfile(
        lock({ "node_modules/a": { resolved: "schema", link: true } }),
        "functions",
        manifest,
      ),
    ).toThrow(/workspace link/);
    expect(() =>
      deriveWorkspaceLockfile(
        lock({
          "functions/node_modules/a": entry("1.0.0", { dependencies: { c: "*" } }),
          "node_modules/c": entry("1.0.0", { dependencies: { a: "^0.9" } }),
          "node_modules/a": entry("0.9.0"),
        }),
        "functions",
        manifest,
      ),
    ).toThrow(/cannot be flattened/);
  });
});
