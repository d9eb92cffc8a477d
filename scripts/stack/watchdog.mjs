// The stack's watchdog: a process of its own that outlives the stack by a moment. The stack writes the
// process group of each child it starts to this process's stdin; when stdin ends, because the stack
// exited, crashed or was killed with SIGKILL, every group still alive is killed, function workers
// included (firebase-tools starts them in its own group and never stops them if it is killed).
// Plain JavaScript, so it starts without a TypeScript loader.
import readline from "node:readline";

const groups = new Set();
readline
  .createInterface({ input: process.stdin })
  .on("line", (line) => {
    const pgid = Number(line);
    if (Number.isInteger(pgid) && pgid > 1) groups.add(pgid);
  })
  .on("close", () => {
    for (const pgid of groups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    process.exit(0);
  });
