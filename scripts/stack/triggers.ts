import { currentTriggerKeys, type FunctionTrigger, listTriggers } from "./backends.js";
import { log } from "./log.js";

export interface TriggerTargets {
  functionsOrigin: string;
  firestoreOrigin: string;
  storageOrigin: string;
  projectId: string;
}

type Service = "firestore" | "storage";

interface Registration {
  service: Service;
  method: "POST" | "PUT";
  path: string;
  body: unknown;
}

/**
 * Registers the loaded Firestore and Storage triggers with Hearth's emulator, as firebase-tools does with
 * the official ones (it skips that step when its own emulators are not running). Registration is repeated
 * after every reload of the functions, because the trigger keys carry a generation number; Storage's
 * registrations are cleared first, so no event goes to a key of an older generation.
 */
export async function registerTriggers(opts: TriggerTargets): Promise<Record<Service, number>> {
  const [triggers, keys] = await Promise.all([
    listTriggers(opts.functionsOrigin),
    currentTriggerKeys(opts.functionsOrigin, opts.projectId),
  ]);
  const origins: Record<Service, string> = { firestore: opts.firestoreOrigin, storage: opts.storageOrigin };
  const cleared = await fetch(
    `${opts.storageOrigin}/emulator/v1/projects/${opts.projectId}/storageTriggers`,
    {
      method: "DELETE",
    },
  );
  if (!cleared.ok)
    throw new Error(`could not clear Storage triggers: ${cleared.status} ${await cleared.text()}`);
  const registered: Record<Service, number> = { firestore: 0, storage: 0 };
  for (const trigger of triggers) {
    const key = keys.get(trigger.id);
    const request = key ? registration(trigger, opts.projectId, key) : undefined;
    if (!request) continue;
    const res = await fetch(`${origins[request.service]}${request.path}`, {
      method: request.method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request.body),
    });
    if (!res.ok) {
      log.warn("triggers", `could not register ${trigger.name}: ${res.status} ${await res.text()}`);
      continue;
    }
    registered[request.service]++;
  }
  return registered;
}

function registration(trigger: FunctionTrigger, projectId: string, key: string): Registration | undefined {
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
      service: "firestore",
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
      service: "firestore",
      method: "PUT",
      path: `/emulator/v1/projects/${projectId}/triggers/${encodeURIComponent(key)}`,
      body: { eventTrigger: { ...event, service: "firestore.googleapis.com" } },
    };
  }
  const bucket = event.eventFilters?.bucket;
  if (event.eventType.startsWith("google.cloud.storage.object.v1.") && bucket) {
    return {
      service: "storage",
      method: "POST",
      path: `/emulator/v1/projects/${projectId}/storageTriggers`,
      body: { triggerId: key, eventType: event.eventType, bucket },
    };
  }
  return undefined;
}
