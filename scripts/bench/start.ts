/**
 * `npm start` figures (no assertions): the real entry (`npm start -- --timings`, npm in front of it) on
 * ports, a project id and data folders of its own, started RUNS times from an empty data folder (seeding
 * included) and RUNS times again on the data the last of those saved (a restart). Each start prints
 * when each of its phases began and ended (scripts/stack/timings.ts); this bench reads those lines and
 * prints every phase's duration and the total with their spread, beside its own clock from spawning npm
 * to "Hearth is ready". Then the emulator's commands: README's `npx hearth-emulator`, the same bin
 * without npx, and `node emulator/bin/hearth-emulator.js`, spawn to accepting connections, interleaved.
 *
 * Starts share functions/lib with every other stack of this checkout, so the bench waits for the stack
 * lock the e2e tests take. Run: npm run bench -- start   (HEARTH_BENCH_START_RUNS=5 for more runs)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { takeStackLock } from "../../tests/support/stack.js";
import { functionWorkers, launchStack, type ProcessInfo, portsFrom, processTree } from "../stack/launch.js";
import { type Phase, parseTimings } from "../stack/timings.js";
import { EMULATOR_BIN, root, startTimes } from "./support/emulator.js";
import { ms, spread, Table } from "./support/stats.js";

const RUNS = Number(process.env.HEARTH_BENCH_START_RUNS ?? 3);
const EMULATOR_STARTS = 5;
const ports = portsFrom(27300);
const projectId = "demo-hearth-bench-start";
const s = (n: number) => `${n.toFixed(2)} s`;

interface Run {
  /** From spawning `npm start` to its "Hearth is ready" line, by this process's clock. */
  wall: number;
  /** CPU seconds the stack's processes used until then (undefined without Linux's /proc). */
  cpu: number | undefined;
  /** firebase-tools' function workers running then, and the CPU seconds they used. */
  workers: { count: number; cpu: number | undefined };
  phases: Phase[];
}

/**
 * CPU time (user and system) of `processes`, with the children each has waited for: a figure
 * that, unlike the wall clock, hardly moves with the load other programs put on the machine. On a quiet
 * 2-core machine a start cannot take less than half of it.
 */
function cpuSeconds(processes: ProcessInfo[]): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  let ticks = 0;
  for (const p of processes) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${p.pid}/stat`, "utf8");
    } catch {
      continue; // ended since it was listed; its parent has its time once it waits for it
    }
    // Fields after the command name, which may hold spaces: utime, stime, cutime, cstime are 14–17.
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  }
  // USER_HZ, 100 on Linux.
  return ticks / 100;
}

async function startOnce(dataDir: string): Promise<Run> {
  const t0 = performance.now();
  const stack = launchStack({ projectId, dataDir, ports, args: ["--timings"] });
  try {
    await stack.ready;
  } catch (err) {
    await stack.interrupt();
    throw err;
  }
  const wall = (performance.now() - t0) / 1000;
  const tree = processTree(stack.proc.pid!);
  const cpu = cpuSeconds(tree);
  const workers = functionWorkers(tree);
  // The timing lines follow the banner; they are all out once the ready line is.
  const phases = parseTimings(stack.output());
  await stack.interrupt();
  return { wall, cpu, workers: { count: workers.length, cpu: cpuSeconds(workers) }, phases };
}

function report(table: Table, label: string, runs: Run[]): void {
  table.add({
    figure: `${label}: npm start → "Hearth is ready"`,
    value: spread(
      runs.map((r) => r.wall),
      s,
    ),
  });
  const cpu = runs.flatMap((r) => (r.cpu === undefined ? [] : [r.cpu]));
  if (cpu.length > 0) {
    table.add({
      figure: `${label}: CPU time of the stack's processes until ready`,
      value: spread(cpu, s),
      reference: "on 2 idle cores a start takes at least half of this",
    });
  }
  const workerCpu = runs.flatMap((r) => (r.workers.cpu === undefined ? [] : [r.workers.cpu]));
  table.add({
    figure: `${label}: function workers running when ready`,
    value: spread(
      runs.map((r) => r.workers.count),
      (n) => `${n}`,
    ),
    reference: workerCpu.length > 0 ? `their CPU time: ${spread(workerCpu, s)}` : undefined,
  });
  const names = [...new Set(runs.flatMap((r) => r.phases.map((p) => p.name)))];
  for (const name of names) {
    const durations = runs.flatMap((r) =>
      r.phases.filter((p) => p.name === name).map((p) => p.end - p.start),
    );
    const ends = runs.flatMap((r) => r.phases.filter((p) => p.name === name).map((p) => p.end));
    table.add({
      figure: `${label}: ${name}`,
      value: spread(durations, s),
      reference:
        name === "ready" ? "the script's own clock, from its process start" : `ends at ${spread(ends, s)}`,
    });
  }
}

async function stackStarts(): Promise<void> {
  const table = new Table(
    `npm start: ${RUNS} starts on an empty data folder (seeding included), then ${RUNS} restarts on saved data; phases as the start reports them (--timings), overlapping where they run side by side`,
  );
  const release = await takeStackLock();
  const dirs: string[] = [];
  try {
    const clean: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(path.join(os.tmpdir(), "hearth-bench-start-"));
      dirs.push(dir);
      clean.push(await startOnce(dir));
      console.log(`empty data folder, run ${i + 1}: ready after ${s(clean.at(-1)!.wall)}`);
    }
    const restart: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      restart.push(await startOnce(dirs.at(-1)!));
      console.log(`restart, run ${i + 1}: ready after ${s(restart.at(-1)!.wall)}`);
    }
    report(table, "first start", clean);
    report(table, "restart", restart);
  } finally {
    release();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  table.print();
}

async function emulatorCommands(): Promise<void> {
  const table = new Table("The emulator's own commands: spawn → accepting connections");
  const commands: [string, string, string[]][] = [
    ["npx hearth-emulator", "npx", ["hearth-emulator"]],
    ["node_modules/.bin/hearth-emulator", path.join(root, "node_modules/.bin/hearth-emulator"), []],
    ["node emulator/bin/hearth-emulator.js", process.execPath, [EMULATOR_BIN]],
  ];
  const times = await startTimes(
    commands.map(([, command, args]) => [command, args] as const),
    EMULATOR_STARTS,
  );
  for (const [c, [label]] of commands.entries()) table.add({ figure: label, value: spread(times[c]!, ms) });
  table.print();
}

await stackStarts();
await emulatorCommands();
