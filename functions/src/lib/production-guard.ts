import { AppError } from "./errors.js";
import { logFailure } from "./logging.js";
import { deployment, LOCAL_PLAN_LIMITS } from "./params.js";
import { type CheckedSettings, misconfigurations, type PlanLimits, planLimits } from "./production-config.js";

/**
 * Refuses to go on in a real project with settings meant for the local stack: a `failed-precondition`
 * error (reason `misconfigured`) naming each setting, and one error log line, before anything reaches a
 * fake provider, the local machine or Stripe with an empty price. Call it where the values are read.
 */
export function requireProductionSettings(settings: CheckedSettings): void {
  const where = deployment();
  const problems = misconfigurations(where, settings);
  if (problems.length === 0) return;
  const names = problems.map((p) => p.setting);
  const err = new AppError(
    "failed-precondition",
    `This project is misconfigured. ${problems.map((p) => `${p.setting} ${p.problem}.`).join(" ")} ` +
      `Fix it in functions/.env.${where.projectId || "<project>"} (or functions/.env) and deploy again.`,
    { reason: "misconfigured", settings: names },
  );
  logFailure("config.misconfigured", err, { projectId: where.projectId, settings: names });
  throw err;
}

/** Values already logged as ignored, so a busy instance logs each once. */
const ignoredPlanLimits = new Set<string>();

/** The limits LOCAL_PLAN_LIMITS selects here; an ignored value is logged once, never refused. */
export function localPlanLimits(): PlanLimits {
  const value = LOCAL_PLAN_LIMITS.value();
  const { limits, ignored } = planLimits(deployment(), value);
  if (ignored && !ignoredPlanLimits.has(value)) {
    ignoredPlanLimits.add(value);
    logFailure("config.ignored", new Error(`LOCAL_PLAN_LIMITS ${ignored}`), { setting: "LOCAL_PLAN_LIMITS" });
  }
  return limits;
}
