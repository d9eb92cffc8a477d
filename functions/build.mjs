// Bundles the functions into lib/ with esbuild. Workspace packages (@hearth/*) are inlined because
// they are not published, so the deployed package needs only the registry dependencies in package.json.
import { build } from "esbuild";

const inlineWorkspaces = {
  name: "externalize-registry-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@hearth/") ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: ["src/index.ts"],
  outfile: "lib/index.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  conditions: ["source"],
  plugins: [inlineWorkspaces],
  logLevel: "warning",
});
