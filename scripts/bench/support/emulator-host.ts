/**
 * The emulator in its own process with options its CLI has no flag for (started by hostEmulator in
 * emulator.ts): the options come as JSON in the only argument, and every IPC message is answered with the
 * count of open WebChannel sessions.
 */
import { type EmulatorOptions, silentLogger, startEmulator } from "../../../emulator/src/index.js";

const emulator = await startEmulator({
  ...(JSON.parse(process.argv[2] ?? "{}") as EmulatorOptions),
  logger: silentLogger,
});
process.on("message", () => process.send?.(emulator.webChannelSessions()));
process.once("SIGTERM", () => void emulator.stop().then(() => process.exit(0)));
