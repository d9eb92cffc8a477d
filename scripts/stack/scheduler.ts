import { currentTriggerKeys, invokeTrigger, listTriggers } from "./backends.js";
import { log } from "./log.js";
import { parseSchedule } from "./schedule.js";

/**
 * Runs scheduled functions on their schedules (the official emulator suite never does), by posting to the
 * Functions emulator the way Cloud Scheduler would call the deployed function. Checked once a minute.
 */
export function startScheduler(opts: { functionsOrigin: string; projectId: string }): { stop(): void } {
  const warned = new Set<string>();
  const tick = async () => {
    const now = new Date();
    try {
      const triggers = (await listTriggers(opts.functionsOrigin)).filter((t) => t.schedule);
      const due = triggers.filter((t) => {
        const schedule = parseSchedule(t.schedule!.schedule, t.schedule!.timeZone ?? undefined);
        if (!schedule && !warned.has(t.name)) {
          warned.add(t.name);
          log.warn(
            "schedule",
            `${t.name}: cannot read "${t.schedule!.schedule}"; run it with npm run job -- ${t.name}`,
          );
        }
        return schedule?.(now) ?? false;
      });
      if (due.length === 0) return;
      const keys = await currentTriggerKeys(opts.functionsOrigin, opts.projectId);
      for (const t of due) {
        const key = keys.get(t.id);
        if (!key) continue;
        log.info("schedule", `running ${t.name} (${t.schedule!.schedule})`);
        const status = await invokeTrigger(opts.functionsOrigin, opts.projectId, key);
        if (status >= 400) log.warn("schedule", `${t.name} answered ${status}`);
      }
    } catch (err) {
      log.warn("schedule", `could not check schedules: ${(err as Error).message}`);
    }
  };
  let interval: NodeJS.Timeout | undefined;
  const msToNextMinute = 60_000 - (Date.now() % 60_000);
  const first = setTimeout(() => {
    void tick();
    interval = setInterval(() => void tick(), 60_000);
  }, msToNextMinute);
  return {
    stop() {
      clearTimeout(first);
      if (interval) clearInterval(interval);
    },
  };
}
