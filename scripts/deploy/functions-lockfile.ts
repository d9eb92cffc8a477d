/**
 * Writes `functions/package-lock.json` for the upload `firebase deploy` sends: the exact packages the
 * repository's own lockfile resolved for `functions/`, so Cloud Build's `npm ci` installs the versions the
 * tests ran, not whatever the ranges in `functions/package.json` allow on deploy day.
 *
 * npm keeps one lockfile for the whole workspace and none per workspace, so this one is derived from it:
 * starting at the functions package, each dependency is resolved as Node would from that folder through
 * the workspace's `node_modules` layout, and every package reached is copied with its integrity hash.
 *
 * Run by `npm run build --workspace functions` (and so by firebase.json's predeploy).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** One `packages` entry of a lockfile v3, as far as this derivation reads it. */
export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

export interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  license?: string;
}

/** Thrown when the workspace's layout cannot be carried over to a standalone install. */
export class LockfileDerivationError extends Error {
  override name = "LockfileDerivationError";
}

/** The folder a package at `location` resolves its own dependencies from, one level up. */
function parentOf(location: string): string | undefined {
  if (location === "") return undefined;
  const nested = location.lastIndexOf("/node_modules/");
  if (nested >= 0) return location.slice(0, nested);
  return "";
}

/** Where Node finds `name` when it is required by the package at `location`, or undefined. */
function resolve(packages: Record<string, LockEntry>, location: string, name: string): string | undefined {
  for (let dir: string | undefined = location; dir !== undefined; dir = parentOf(dir)) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
  }
  return undefined;
}

/** A dependency edge: the name and whether missing it is allowed. */
function edgesOf(entry: LockEntry | Manifest): Array<{ name: string; optional: boolean }> {
  const edges = [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
  ];
  const lock = entry as LockEntry;
  for (const name of Object.keys(lock.peerDependencies ?? {})) {
    // npm installs required peers; optional ones only if something else brings them.
    if (!lock.peerDependenciesMeta?.[name]?.optional) edges.push({ name, optional: false });
  }
  return edges;
}

/**
 * Derives the standalone lockfile of the workspace at `workspace` (e.g. "functions") from the root
 * lockfile. Packages nested under the workspace move to the top; a name that would then need two
 * versions at one place is refused rather than guessed.
 */
export function deriveWorkspaceLockfile(root: Lockfile, workspace: string, manifest: Manifest): Lockfile {
  const { packages } = root;
  /** location in the root tree -> reached only through optional edges so far */
  const reached = new Map<string, boolean>();
  const queue: Array<{ from: string; entry: LockEntry | Manifest; optional: boolean }> = [
    { from: workspace, entry: manifest, optional: false },
  ];
  while (queue.length > 0) {
    const { from, entry, optional } = queue.shift()!;
    for (const edge of edgesOf(entry)) {
      const location = resolve(packages, from, edge.name);
      const viaOptional = optional || edge.optional;
      if (!location) {
        if (viaOptional) continue;
        throw new LockfileDerivationError(
          `${edge.name}, needed from ${from || "the root"}, is not in the lockfile`,
        );
      }
      const target = packages[location]!;
      if (target.link) {
        throw new LockfileDerivationError(
          `${edge.name} is a workspace link (${location}); bundle it instead of depending on it`,
        );
      }
      const known = reached.get(location);
      if (known === undefined || (known && !viaOptional)) {
        reached.set(location, viaOptional);
        queue.push({ from: location, entry: target, optional: viaOptional });
      }
    }
  }

  const prefix = `${workspace}/`;
  const out: Record<string, LockEntry> = {
    "": {
      name: manifest.name,
      version: manifest.version,
      ...(manifest.license ? { license: manifest.license } : {}),
      ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
      ...(manifest.optionalDependencies ? { optionalDependencies: manifest.optionalDependencies } : {}),
      ...(manifest.engines ? { engines: manifest.engines } : {}),
    },
  };
  const origin = new Map<string, string>();
  for (const [location, optional] of [...reached].sort(([a], [b]) => a.localeCompare(b, "en"))) {
    const moved = location.startsWith(prefix) ? location.slice(prefix.length) : location;
    const clash = origin.get(moved);
    if (clash) {
      throw new LockfileDerivationError(
        `${moved} would hold both ${clash} and ${location}; the workspace layout cannot be flattened`,
      );
    }
    origin.set(moved, location);
    const {
      dev: _dev,
      devOptional: _devOptional,
      optional: _optional,
      peer: _peer,
      ...rest
    } = packages[location]!;
    out[moved] = optional ? { ...rest, optional: true } : rest;
  }
  return {
    name: manifest.name,
    version: manifest.version,
    lockfileVersion: 3,
    requires: true,
    packages: out,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const functionsDir = path.join(rootDir, "functions");
  const read = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;
  try {
    const lock = deriveWorkspaceLockfile(
      read<Lockfile>(path.join(rootDir, "package-lock.json")),
      "functions",
      read<Manifest>(path.join(functionsDir, "package.json")),
    );
    writeFileSync(path.join(functionsDir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  } catch (err) {
    console.error(`functions lockfile: ${(err as Error).message}`);
    process.exit(1);
  }
}
