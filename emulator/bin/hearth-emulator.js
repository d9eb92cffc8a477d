#!/usr/bin/env node
// Starts the Hearth Firestore emulator from the compiled sources in ../dist (built by `npm install`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error(
    "hearth-emulator: emulator/dist is missing. Build it with `npm run build --workspace emulator` " +
      "(npm install does this through the root prepare script).",
  );
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
