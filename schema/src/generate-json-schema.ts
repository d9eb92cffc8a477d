import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadApiModules, writeJsonSchemas } from "./json-schema.js";
import { contractFiles } from "./json-schema-contract.js";

const here = dirname(fileURLToPath(import.meta.url));

if (process.argv.includes("--contract")) {
  // `node --import tsx schema/src/generate-json-schema.ts --contract`: rewrites the committed contract
  // (tests/client/contract.test.ts fails until it is rerun after a schema change).
  const root = join(here, "..", "..", "client", "contract");
  await rm(root, { recursive: true, force: true });
  const files = contractFiles();
  for (const [path, text] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  console.log(`contract: wrote ${files.size} files to ${root}`);
} else {
  // Run by the "build" script after tsc, from dist/: writes dist/json-schema/**.json.
  const written = await writeJsonSchemas(join(here, "json-schema"), await loadApiModules(join(here, "api")));
  console.log(`json-schema: wrote ${written.length} files to ${join(here, "json-schema")}`);
}
