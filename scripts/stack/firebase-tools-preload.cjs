// Preloaded into firebase-tools' process by the stack (node --require). Its Auth emulator builds its
// REST API with exegesis, which by default compiles a JSON-schema validator for every operation of the
// Identity Toolkit API before it listens: about 8 s of CPU on every start, for validators most of which
// a local stack never uses. exegesis's own `lazyCompileValidationSchemas` option compiles each one on
// the first request that needs it instead; requests are validated exactly as before. firebase-tools does
// not expose the option, so it is made the default here. Should a firebase-tools release stop using
// exegesis, nothing is changed and the Auth emulator just starts slower.
const path = require("node:path");

let options;
try {
  const tools = path.dirname(require.resolve("firebase-tools/package.json"));
  options = require(require.resolve("exegesis/lib/options", { paths: [tools] }));
} catch {
  options = undefined;
}
if (options && typeof options.compileOptions === "function") {
  const compileOptions = options.compileOptions;
  options.compileOptions = (given) => compileOptions({ lazyCompileValidationSchemas: true, ...given });
}
