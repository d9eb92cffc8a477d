import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { paths } from "@hearth/schema";
import { describe, expect, it } from "vitest";

// `firebase deploy` installs the Trigger Email extension from firebase.json's "extensions" and reads its
// params from extensions/<instance>.env. These checks use firebase-tools' own readers, so what passes here
// is what the deploy sees; the extension's catalogue itself is not reachable offline.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const INSTANCE = "firestore-send-email";

/**
 * The params marked `required: true` in firestore-send-email's extension.yaml at the pinned version. A
 * version bump fails the first test until this list is checked against the new extension.yaml.
 */
const PINNED = {
  version: "0.2.7",
  required: [
    "DATABASE",
    "DATABASE_REGION",
    "AUTH_TYPE",
    "MAIL_COLLECTION",
    "DEFAULT_FROM",
    "TTL_EXPIRE_TYPE",
    "TTL_EXPIRE_VALUE",
  ],
};

// firebase-tools ships no types; these are the functions its deploy and emulators:start call.
const requireCjs = createRequire(import.meta.url);
const { readInstanceParam } = requireCjs("firebase-tools/lib/extensions/manifest.js") as {
  readInstanceParam(args: { projectDir: string; instanceId: string }): Record<string, string>;
};

const firebaseJson = JSON.parse(readFileSync(`${ROOT}firebase.json`, "utf8")) as {
  extensions?: Record<string, string>;
};
const params = readInstanceParam({ projectDir: ROOT, instanceId: INSTANCE });

describe("Trigger Email extension", () => {
  it("firebase.json declares it at a pinned version", () => {
    expect(firebaseJson.extensions?.[INSTANCE]).toBe(`firebase/firestore-send-email@${PINNED.version}`);
  });

  it("its params file sets every required param, and reads the collection Hearth writes", () => {
    for (const name of PINNED.required) {
      expect(params[name], name).toMatch(/\S/);
    }
    expect(params.MAIL_COLLECTION).toBe(paths.mail("x").split("/")[0]);
  });

  it("the SMTP password is a Secret Manager reference, never in the committed URI", () => {
    expect(params.SMTP_PASSWORD).toMatch(/^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/);
    expect(params.SMTP_CONNECTION_URI).toMatch(/^smtps?:\/\/[^:]+@[^:@]+:\d+$/);
  });

  it("the extension adds no TTL field: a collection group has one, and Hearth's is mail.expiresAt", () => {
    expect(params.TTL_EXPIRE_TYPE).toBe("never");
  });

  it("the local stack's `--only auth,functions` keeps firebase-tools from emulating (downloading) it", () => {
    const stack = readFileSync(`${ROOT}scripts/stack/firebase-tools.ts`, "utf8");
    const only = /"--only",\s*"([^"]+)"/.exec(stack)?.[1];
    expect(only).toBe("auth,functions");
    const { shouldStart } = requireCjs("firebase-tools/lib/emulator/controller.js") as {
      shouldStart(options: { only?: string; config: unknown }, emulator: string): boolean;
    };
    const { Config } = requireCjs("firebase-tools/lib/config.js") as {
      Config: new (src: unknown, options: { projectDir: string; cwd: string }) => unknown;
    };
    const config = new Config(firebaseJson, { projectDir: ROOT, cwd: ROOT });
    expect(shouldStart({ only, config }, "functions")).toBe(true);
    expect(shouldStart({ only, config }, "extensions")).toBe(false);
    // Without --only it would start: the declaration alone is enough for emulators:start to load it.
    expect(shouldStart({ config }, "extensions")).toBe(true);
  });
});
