import { currentTriggerKeys, type FunctionTrigger, listTriggers } from "./backends.js";
import { log } from "./log.js";

/**
 * Registers the loaded Firestore triggers with Hearth's emulator, as firebase-tools does with the official
 * one (it skips that step when its own Firestore emulator is not running). Registration is repeated after
 * every reload of the functions, because the trigger keys carry a generation number.
 */
export async function registerFirestoreTriggers(opts: {
  functionsOrigin: string;
  firestoreOrigin: string;
  projectId: string;
}): Promise<number> {
  const [triggers, keys] = await Promise.all([
    listTriggers(opts.functionsOrigin),
    currentTriggerKeys(opts.functionsOrigin, opts.projectId),
  ]);
  let registered = 0;
  for (const trigger of triggers) {
    const key = keys.get(trigger.id);
    const request = key ? registration(trigger, opts.projectId, key) : undefined;
    if (!request) continue;
    const res = await fetch(`${opts.firestoreOrigin}${request.path}`, {
      method: request.method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request.body),
    });
    if (!res.ok) {
      log.warn("triggers", `could not register ${trigger.name}: ${res.status} ${await res.text()}`);
      continue;
    }
    registered++;
  }
  return registered;
}

function registration(
  trigger: FunctionTrigger,
  projectId: string,
  key: string,
): { method: "POST" | "PUT"; path: string; body: unknown } | undefined {
  const event = trigger.eventTrigger;
  if (!event) return undefined;
  if (event.eventType.startsWith("google.cloud.firestore.document.v1.")) {
    const exact = event.eventFilters?.document;
    const pattern = event.eventFilterPathPatterns?.document;
    const document = pattern
      ? { value: pattern, matchType: "PATH_PATTERN" }
      : exact
        ? { value: exact, matchType: "EXACT" }
        : undefined;
    if (!document) return undefined;
    return {
      method: "POST",
      path: `/emulator/v1/projects/${projectId}/eventarcTrigger?eventarcTriggerId=${encodeURIComponent(key)}`,
      body: {
        eventType: event.eventType,
        database: event.eventFilters?.database ?? "(default)",
        namespace: event.eventFilters?.namespace ?? "(default)",
        document,
      },
    };
  }
  if (event.eventType.startsWith("providers/cloud.firestore/")) {
    return {
      method: "PUT",
      path: `/emulator/v1/projects/${projectId}/triggers/${encodeURIComponent(key)}`,
      body: { eventTrigger: { ...event, service: "firestore.googleapis.com" } },
    };
  }
  return undefined;
}
