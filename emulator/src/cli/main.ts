/** The `hearth-emulator` command: argv → options → startEmulator; stops cleanly on SIGINT/SIGTERM. */
import { RulesLoadError, startEmulator } from "../emulator.js";
import { consoleLogger } from "../shared/log.js";
import { parseArgs, USAGE, UsageError } from "./args.js";

export async function main(argv: readonly string[]): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    const message = error instanceof RulesLoadError || error instanceof Error ? error.message : String(error);
    console.error(`hearth-emulator: could not start: ${message}`);
    return 1;
  }
  consoleLogger.info(`Firestore emulator listening on ${emulator.host}:${emulator.port} (gRPC and HTTP)`);
  if (emulator.storagePort !== undefined) {
    consoleLogger.info(`Storage emulator listening on ${emulator.host}:${emulator.storagePort}`);
  }
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      process.off("SIGINT", shutdown);
      process.off("SIGTERM", shutdown);
      resolve();
    };
    process.on("SIGINT", shutdown);
    process.on("SIGTERM", shutdown);
  });
  await emulator.stop();
  consoleLogger.info("stopped");
  return 0;
}
