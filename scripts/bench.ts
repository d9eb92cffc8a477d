/**
 * `npm run bench`: every benchmark in scripts/bench/, one after the other so they do not disturb each
 * other's figures. Each prints its own numbers; `npm run bench -- rules` runs only the named ones.
 */
import "./stack/offline.js";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "bench");
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => f.replace(/\.ts$/, ""))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

if (benches.length === 0) {
  console.error(`No benchmark named ${wanted.join(", ")}. Available: ${readdirSync(dir).join(", ")}`);
  process.exit(2);
}

let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const tsx = path.resolve(dir, "../../node_modules/tsx/dist/cli.mjs");
  const result = spawnSync(process.execPath, [tsx, path.join(dir, `${name}.ts`)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`${name} failed (exit ${result.status})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
