import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StackConfig } from "./config.js";
import { log } from "./log.js";

const MARKER = "# Written by `npm start` for the local stack; edit freely, or delete to regenerate.";

/**
 * Writes the emulator-only parameter and secret files the Functions emulator reads (`.env.local`,
 * `.secret.local`), pointing Stripe and the AI provider at the local fakes. `.env.local` is read in the
 * emulator only and wins over the production values committed in `functions/.env`, so it sets every value
 * the stack needs different from production, and the per-project ones (`.env.<project>`) a demo project
 * has no file for. Files without our marker belong to the developer and are left alone. Both are
 * git-ignored; the secrets are fakes.
 */
export function writeFunctionsEnv(config: StackConfig): void {
  const functionsDir = path.join(config.rootDir, "functions");
  const origin = (port: number) => `http://${config.host}:${port}`;
  write(path.join(functionsDir, ".env.local"), {
    APP_URL: "http://localhost:5173",
    STRIPE_API_BASE: origin(config.ports.stripe),
    STRIPE_PRICE_PRO: "price_local_pro",
    STRIPE_PRICE_TEAM: "price_local_team",
    AI_PROVIDER: "fake",
    AI_BASE_URL: `${origin(config.ports.ai)}/v1`,
    // Local clients carry no App Check token.
    ENFORCE_APP_CHECK: "false",
    // A param without a default would stop the functions from loading; the backup job skips in the
    // emulator, and the local bucket is the only one there is.
    BACKUP_BUCKET: config.storageBucket,
  });
  write(path.join(functionsDir, ".secret.local"), FAKE_SECRETS);
}

/** Secrets for the local fakes only; real ones are set with `firebase functions:secrets:set`. */
export const FAKE_SECRETS = {
  STRIPE_SECRET_KEY: "sk_test_local_fake_key",
  STRIPE_WEBHOOK_SECRET: "whsec_local_fake_secret",
  OPENAI_API_KEY: "local-fake-openai-key",
  ANTHROPIC_API_KEY: "local-fake-anthropic-key",
  GEMINI_API_KEY: "local-fake-gemini-key",
};

/** Sets our keys and keeps any other line (firebase-tools saves the defaults of other params here). */
function write(file: string, values: Record<string, string>): void {
  const existing = existsSync(file) ? readFileSync(file, "utf8") : MARKER;
  if (!existing.startsWith(MARKER)) {
    log.warn("config", `${path.relative(process.cwd(), file)} is yours, so it is kept as it is`);
    return;
  }
  const kept = existing
    .split("\n")
    .slice(1)
    .filter((line) => line.trim() !== "" && !(line.split("=")[0]! in values));
  const lines = [...Object.entries(values).map(([k, v]) => `${k}=${v}`), ...kept];
  writeFileSync(file, `${MARKER}\n${lines.join("\n")}\n`);
}
