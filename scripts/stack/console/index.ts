import { address, type StackConfig } from "../config.js";
import { FAKE_SECRETS } from "../functions-env.js";
import { bold, log } from "../log.js";
import { watchOutbox } from "./outbox.js";
import { type RunningConsole, startConsole } from "./server.js";
import type { ConsoleTargets } from "./sources.js";

export function consoleTargets(config: StackConfig): ConsoleTargets {
  const http = (service: keyof StackConfig["ports"]) => `http://${address(config, service)}`;
  return {
    projectId: config.projectId,
    firestoreOrigin: http("firestore"),
    authOrigin: http("auth"),
    stripeOrigin: http("stripe"),
    storageOrigin: http("storage"),
    storageBucket: config.storageBucket,
    stripeKey: FAKE_SECRETS.STRIPE_SECRET_KEY,
  };
}

/** The console on its port, and every new mail printed in the terminal. */
export async function startLocalConsole(config: StackConfig): Promise<RunningConsole> {
  const targets = consoleTargets(config);
  const server = await startConsole({
    ...targets,
    host: config.host,
    port: config.ports.console,
    services: {
      Firestore: address(config, "firestore"),
      Storage: `http://${address(config, "storage")}`,
      Auth: `http://${address(config, "auth")}`,
      Functions: `http://${address(config, "functions")}`,
      "Fake Stripe": `http://${address(config, "stripe")}`,
      "Fake AI provider": `http://${address(config, "ai")}/v1`,
    },
  });
  const outbox = watchOutbox(targets, (line) => {
    log.info("mail", `to ${bold(line.to)}: "${line.subject}"`);
    for (const url of line.links) log.info("", `  ${url}`);
  });
  await outbox.ready;
  log.ok("console", `Hearth console on ${server.url}`);
  return {
    url: server.url,
    async stop() {
      outbox.stop();
      await server.stop();
    },
  };
}
