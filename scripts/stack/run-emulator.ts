// Runs the emulator's CLI from its TypeScript sources (the stack never runs a stale emulator/dist).
import { main } from "../../emulator/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
