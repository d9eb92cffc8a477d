// Runs the emulator CLI from its TypeScript sources (the bin runs the build), for tests that need the
// emulator in a process of its own.
import { main } from "../../../../emulator/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
