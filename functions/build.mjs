// Bundles the functions into lib/ with esbuild. Workspace packages (@hearth/*) are inlined because they
// are not published, so the deployed package needs only the registry dependencies in package.json.
// Imported by the local stack for watch mode; run directly by `npm run build`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));

const externalizeRegistryPackages = {
  name: "externalize-registry-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@hearth/") ? undefined : { path: args.path, external: true },
    );
  },
};

/** @type {import("esbuild").BuildOptions} */
export const buildOptions = {
  entryPoints: [path.join(here, "src/index.ts")],
  outfile: path.join(here, "lib/index.js"),
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  sourcemap: true,
  conditions: ["source"],
  plugins: [externalizeRegistryPackages],
  logLevel: "silent",
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await build({ ...buildOptions, logLevel: "warning" });
  } catch {
    process.exit(1);
  }
}
