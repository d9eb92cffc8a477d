import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StackConfig } from "./config.js";
import { log } from "./log.js";

/** Every file `npm start` writes (now and before) starts so; a file without it is the developer's own. */
const OURS_PREFIX = "# Written by `npm start` for the local stack";
const OURS = `${OURS_PREFIX}.`;
/** What earlier versions wrote as the whole header. */
const OLD_MARKER = "# Written by `npm start` for the local stack; edit freely, or delete to regenerate.";

const header = (owned: string[]) => [
  OURS,
  "# Edit freely: your values are kept across restarts. Only these are set again on every start, to",
  `# match what this stack runs: ${owned.join(", ")}. Delete the file to regenerate it.`,
];

/**
 * Writes the emulator-only parameter and secret files the Functions emulator reads (`.env.local`,
 * `.secret.local`), pointing Stripe and the AI provider at the local fakes. `.env.local` is read in the
 * emulator only and wins over the production values committed in `functions/.env`, so it sets every value
 * the stack needs different from production, and the per-project ones (`.env.<project>`) a demo project
 * has no file for. The stack owns only what must match what it runs (the fakes' ports, the webhook
 * signing secret, the local bucket); the rest are defaults a developer may change (APP_URL for a
 * frontend on another port, a real AI provider). Files without our header belong to the developer and are left alone. Both are
 * git-ignored; the secrets are fakes.
 */
export function writeFunctionsEnv(config: StackConfig): void {
  const functionsDir = path.join(config.rootDir, "functions");
  const origin = (port: number) => `http://${config.host}:${port}`;
  write(
    path.join(functionsDir, ".env.local"),
    {
      STRIPE_API_BASE: origin(config.ports.stripe),
      AI_BASE_URL: `${origin(config.ports.ai)}/v1`,
      // A param without a default would stop the functions from loading; the backup job skips in the
      // emulator, and the local bucket (named after the project) is the only one there is.
      BACKUP_BUCKET: config.storageBucket,
    },
    {
      APP_URL: "http://localhost:5173",
      STRIPE_PRICE_PRO: "price_local_pro",
      STRIPE_PRICE_TEAM: "price_local_team",
      AI_PROVIDER: "fake",
      // Local clients carry no App Check token.
      ENFORCE_APP_CHECK: "false",
      // Empty: each plan's own limits; "small" makes every cap reachable in seconds (README).
      LOCAL_PLAN_LIMITS: "",
    },
  );
  // The fake Stripe signs its webhooks with this secret, so stripeWebhook must check with the same one.
  const { STRIPE_WEBHOOK_SECRET, ...secretDefaults } = FAKE_SECRETS;
  write(path.join(functionsDir, ".secret.local"), { STRIPE_WEBHOOK_SECRET }, secretDefaults);
}

/** Secrets for the local fakes only; real ones are set with `firebase functions:secrets:set`. */
export const FAKE_SECRETS = {
  STRIPE_SECRET_KEY: "sk_test_local_fake_key",
  STRIPE_WEBHOOK_SECRET: "whsec_local_fake_secret",
  OPENAI_API_KEY: "local-fake-openai-key",
  ANTHROPIC_API_KEY: "local-fake-anthropic-key",
  GEMINI_API_KEY: "local-fake-gemini-key",
};

/**
 * Sets the `owned` keys, adds each default that is missing, and keeps every other line as it is (the
 * developer's values and comments, and the defaults firebase-tools saves for other params).
 */
function write(file: string, owned: Record<string, string>, defaults: Record<string, string>): void {
  const existing = existsSync(file) ? readFileSync(file, "utf8") : OURS;
  if (!existing.startsWith(OURS_PREFIX)) {
    log.warn("config", `${path.relative(process.cwd(), file)} is yours, so it is kept as it is`);
    return;
  }
  const ourHeader = header(Object.keys(owned));
  const generated = new Set([OLD_MARKER, ...ourHeader]);
  const keyOf = (line: string) => (line.trimStart().startsWith("#") ? undefined : line.split("=")[0]?.trim());
  const lines = existing.split("\n").filter((line) => line.trim() !== "" && !generated.has(line));
  const present = new Set(lines.map(keyOf));
  const kept = lines.filter((line) => !Object.hasOwn(owned, keyOf(line) ?? ""));
  const added = Object.entries(defaults).filter(([key]) => !present.has(key));
  const assign = ([key, value]: [string, string]) => `${key}=${value}`;
  const out = [...ourHeader, ...Object.entries(owned).map(assign), ...kept, ...added.map(assign)];
  writeFileSync(file, `${out.join("\n")}\n`);
}
