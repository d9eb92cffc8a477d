import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { currentTriggerKeys } from "./backends.js";
import { address, firebaseToolsTempEnv, type StackConfig } from "./config.js";
import { startLocalConsole } from "./console/index.js";
import { lockDataDir } from "./data-lock.js";
import { startFakes } from "./fakes.js";
import { startFirebaseEmulators } from "./firebase-tools.js";
import { startFirestore, watchRules } from "./firestore.js";
import { functionsBuilt, watchFunctions } from "./functions-build.js";
import { writeFunctionsEnv } from "./functions-env.js";
import { type FunctionsProxy, startFunctionsProxy } from "./functions-proxy.js";
import { freePort, startHub } from "./hub.js";
import { log } from "./log.js";
import { assertPortFree } from "./ports.js";
import type { Child } from "./process.js";
import { startScheduler } from "./scheduler.js";
import { loadAdmin, seedDemoData } from "./seed.js";
import { type SeedHost, startSeedHost } from "./seed-host.js";
import { Timings } from "./timings.js";
import { registerTriggers, type TriggerTargets } from "./triggers.js";

export interface RunningStack {
  config: StackConfig;
  seeded: { orgs: { id: string; name: string }[] } | undefined;
  /** Stops every process and saves data. Safe to call twice. */
  stop(): Promise<void>;
}

/** Waits for every one of `work`, then throws the first failure: nothing is left starting behind a stop. */
async function allStarted(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/**
 * Brings up the whole backend: fakes, functions build, Firestore and Storage, Auth and Functions, triggers,
 * schedules, seed. What does not depend on another part starts side by side with it; the phases are
 * recorded in `timings`.
 */
export async function startStack(config: StackConfig, timings = new Timings()): Promise<RunningStack> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const children: Child[] = [];
  let stopping: Promise<void> | undefined;
  let dataLock: { release(): void } | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      // Functions first, so nothing writes to Firestore while it saves its data.
      for (const child of children.reverse()) await child.stop();
      // firebase-tools' own folder: its worker sockets and a discovery manifest per load, left behind.
      if (config.firebaseTempDir) rmSync(config.firebaseTempDir, { recursive: true, force: true });
      // Only once every process has saved its data may another stack take the folder.
      dataLock?.release();
    })();
    return stopping;
  };

  try {
    const fresh = await timings.phase("preflight", async () => {
      await Promise.all(
        Object.entries(config.ports).map(([service, port]) => assertPortFree(config.host, port, service)),
      );
      dataLock = lockDataDir(config.dataDir);
      if (config.clean && existsSync(config.dataDir)) {
        rmSync(config.dataDir, { recursive: true, force: true });
        log.info("data", `cleared ${path.relative(config.rootDir, config.dataDir)}`);
      }
      return !existsSync(path.join(config.dataDir, "firestore"));
    });
    // Loaded while the emulators start, not after.
    if (fresh && config.seed) void loadAdmin().catch(() => undefined);
    writeFunctionsEnv(config);
    mkdirSync(config.firebaseTempDir, { recursive: true });
    const [toolsHub, toolsFunctions] = await Promise.all([freePort(config.host), freePort(config.host)]);
    const seeding = fresh && config.seed;

    let firestore: Child | undefined;
    let tools: Child | undefined;
    let functionsProxy: FunctionsProxy | undefined;
    let seedHost: SeedHost | undefined;
    // The functions build and firebase-tools, which loads the functions from it. With a build on disk
    // firebase-tools starts at once: the build rewrites functions/lib only if its output changed, within
    // a second, long before firebase-tools has loaded enough to read it (were it later, the Functions
    // emulator would reload). Without one, firebase-tools waits for the build.
    const startFunctions = () => {
      const hadBuild = functionsBuilt();
      const built = timings
        .phase("build", () => watchFunctions())
        .then((build) => {
          cleanups.push(build.stop);
          if (!build.ok)
            log.warn("build", "starting anyway; the Functions emulator loads the functions once they build");
        });
      const env = firebaseToolsTempEnv(config);
      const ports = { hub: toolsHub, functions: toolsFunctions };
      const started = (hadBuild ? Promise.resolve() : built)
        .then(() =>
          timings.phase("firebase-tools", () => startFirebaseEmulators(config, env, ports, timings)),
        )
        .then((child) => {
          tools = child;
        });
      // The seed's function host (seed-host.ts) needs the build too, and starts beside firebase-tools.
      const hosted =
        seeding && !config.seedInWorkers
          ? built
              .then(() => timings.phase("seed-host", () => startSeedHost(config)))
              .then((host) => {
                seedHost = host;
                cleanups.push(host.stop);
              })
          : Promise.resolve();
      return allStarted([built, started, hosted]);
    };
    await allStarted([
      timings.phase("fakes", () => startFakes(config)).then((fakes) => cleanups.push(fakes.stop)),
      timings
        .phase("firestore", () => startFirestore(config))
        .then((child) => {
          firestore = child;
          log.ok("firestore", `Hearth Firestore emulator on ${address(config, "firestore")}`);
          log.ok("storage", `Hearth Storage emulator on ${address(config, "storage")}`);
          cleanups.push(watchRules(config).stop);
        }),
      startHub(config, toolsHub).then((hub) => cleanups.push(hub.stop)),
      startFunctionsProxy({
        host: config.host,
        port: config.ports.functions,
        upstreamPort: toolsFunctions,
      }).then((proxy) => {
        functionsProxy = proxy;
        cleanups.push(proxy.stop);
      }),
      startFunctions(),
    ]).finally(() => {
      // In this order whatever happened, so that stop() ends the functions before Firestore.
      for (const child of [firestore, tools]) if (child) children.push(child);
    });

    const functionsOrigin = `http://${address(config, "functions")}`;
    const triggers = keepTriggersRegistered({
      functionsOrigin,
      firestoreOrigin: `http://${address(config, "firestore")}`,
      storageOrigin: `http://${address(config, "storage")}`,
      projectId: config.projectId,
    });
    cleanups.push(triggers.stop);
    await timings.phase("triggers", () => triggers.ready);

    if (config.schedules) {
      const scheduler = startScheduler({ functionsOrigin, projectId: config.projectId });
      cleanups.push(scheduler.stop);
    }

    let seeded: RunningStack["seeded"];
    if (seeding) {
      log.info("seed", "empty stack: seeding demo data (first start only)…");
      const proxy = functionsProxy;
      const host = seedHost;
      if (host) proxy?.divert(host);
      try {
        seeded = await timings.phase("seed", async () => {
          const result = await seedDemoData({
            projectId: config.projectId,
            authOrigin: `http://${address(config, "auth")}`,
            functionsOrigin,
            firestoreHost: address(config, "firestore"),
            storageOrigin: `http://${address(config, "storage")}`,
            storageBucket: config.storageBucket,
            stripeOrigin: `http://${address(config, "stripe")}`,
          });
          // What the seed set off (triggers of triggers, Stripe's webhooks) finishes on the host too.
          await proxy?.idle(500);
          return result;
        });
        proxy?.divert(undefined);
        await host?.stop();
      } catch (err) {
        // Half-seeded data would never be seeded again; start over next time.
        await stop();
        rmSync(config.dataDir, { recursive: true, force: true });
        throw new Error(
          `seeding demo data failed, so the data folder was cleared: ${(err as Error).message}`,
        );
      }
    }
    // After seeding, so the terminal shows the mail queued from here on, not the demo invitations.
    const localConsole = await timings.phase("console", () => startLocalConsole(config));
    cleanups.push(localConsole.stop);
    return { config, seeded, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Registers Firestore and Storage triggers now, and again whenever the Functions emulator reloads (its
 * trigger keys change generation then). Polls cheaply: one 404 request every two seconds.
 */
function keepTriggersRegistered(opts: TriggerTargets) {
  let last = "";
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const keys = [...(await currentTriggerKeys(opts.functionsOrigin, opts.projectId)).values()]
      .sort()
      .join(",");
    if (keys === last) return;
    const count = await registerTriggers(opts);
    const counted = `${count.firestore} Firestore and ${count.storage} Storage trigger(s)`;
    if (last !== "") log.ok("triggers", `functions reloaded; ${counted} registered again`);
    else log.ok("triggers", `${counted} registered for delivery`);
    last = keys;
  };
  const loop = () => {
    timer = setTimeout(() => {
      check()
        .catch((e) => log.warn("triggers", (e as Error).message))
        .finally(loop);
    }, 2000);
  };
  const ready = check().then(loop);
  return {
    ready,
    stop() {
      clearTimeout(timer);
    },
  };
}
