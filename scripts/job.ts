/**
 * `npm run job -- <name>`: runs one scheduled function now, through the running local stack, exactly as
 * its schedule would, and prints what it recorded in jobRuns.
 */
import "./stack/offline.js";
import { getApps, initializeApp } from "firebase-admin/app";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { currentTriggerKeys, invokeTrigger, listTriggers } from "./stack/backends.js";
import { address, loadConfig } from "./stack/config.js";
import { log } from "./stack/log.js";

const normalize = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const config = loadConfig(rest);
  const functionsOrigin = `http://${address(config, "functions")}`;
  let triggers: Awaited<ReturnType<typeof listTriggers>>;
  try {
    triggers = (await listTriggers(functionsOrigin)).filter((t) => t.schedule);
  } catch {
    log.error("job", `the local stack is not running at ${functionsOrigin}; start it with npm start first`);
    process.exit(1);
  }
  const names = triggers.map((t) => `${t.name} (${t.schedule!.schedule})`).join("\n  ");
  // Jobs deploy as `scheduled<Name>`; either name works.
  const wanted = name ? normalize(name).replace(/^scheduled/, "") : undefined;
  const trigger = triggers.find((t) => normalize(t.name).replace(/^scheduled/, "") === wanted);
  if (!trigger) {
    log.error(
      "job",
      `${name ? `no scheduled function "${name}"` : "name a job"}. Scheduled functions:\n  ${names}`,
    );
    process.exit(2);
  }
  const key = (await currentTriggerKeys(functionsOrigin, config.projectId)).get(trigger.id);
  if (!key) throw new Error(`the Functions emulator does not route ${trigger.name}`);

  process.env.FIRESTORE_EMULATOR_HOST = address(config, "firestore");
  const db = getFirestore(getApps()[0] ?? initializeApp({ projectId: config.projectId }));
  const since = Timestamp.now();
  log.info("job", `running ${trigger.name}… (its logs appear in the npm start terminal)`);
  const status = await invokeTrigger(functionsOrigin, config.projectId, key);
  if (status >= 400) {
    log.error("job", `${trigger.name} failed with HTTP ${status}; see the npm start terminal`);
    process.exit(1);
  }
  const runs = await db.collection("jobRuns").where("startedAt", ">=", since.toDate()).get();
  const run = runs.docs.map((d) => d.data()).find((r) => r.status !== "running");
  if (run) log.ok("job", `${trigger.name}: ${run.status} ${JSON.stringify(run.result ?? {})}`);
  else log.ok("job", `${trigger.name} finished`);
}

main().catch((err) => {
  log.error("job", (err as Error).message);
  process.exit(1);
});
