import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadApiModules, writeJsonSchemas } from "./json-schema.js";

// Run by the "build" script after tsc, from dist/: writes dist/json-schema/**.json.
const here = dirname(fileURLToPath(import.meta.url));
const written = await writeJsonSchemas(join(here, "json-schema"), await loadApiModules(join(here, "api")));
console.log(`json-schema: wrote ${written.length} files to ${join(here, "json-schema")}`);
