/**
 * Headless Chromium for the browser suites: Debian's `chromium` package driven by playwright-core,
 * which never downloads a browser. A missing Chromium fails the suite with a message that says how to
 * install it, rather than skipping it.
 */
import { accessSync, constants } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Debian's package installs it; CHROMIUM_PATH points elsewhere (e.g. a local Chrome). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// The flags the environment notes give for Chromium on a closed network. playwright-core adds
// --headless and --no-sandbox itself and gives every launch a fresh, empty profile directory.
const FLAGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium was not found at ${executablePath}. The browser tests (tests/browser/) need it: ` +
        "on Debian or Ubuntu run `sudo apt-get install chromium` (.ci/run does this in CI), " +
        "or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  return chromium.launch({ executablePath, headless: true, chromiumSandbox: false, args: FLAGS });
}
