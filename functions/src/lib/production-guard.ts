import { AppError } from "./errors.js";
import { logFailure } from "./logging.js";
import { deployment } from "./params.js";
import { type CheckedSettings, misconfigurations } from "./production-config.js";

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
