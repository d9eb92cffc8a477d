/** What the Functions emulator reports about loaded functions, and the trigger keys it routes by. */

export interface FunctionTrigger {
  id: string;
  name: string;
  entryPoint: string;
  platform: "gcfv1" | "gcfv2";
  region: string;
  eventTrigger?: {
    eventType: string;
    resource?: string;
    eventFilters?: Record<string, string>;
    eventFilterPathPatterns?: Record<string, string>;
  };
  schedule?: { schedule: string; timeZone: string | null };
  httpsTrigger?: unknown;
}

export async function listTriggers(functionsOrigin: string): Promise<FunctionTrigger[]> {
  const res = await fetch(`${functionsOrigin}/backends`);
  if (!res.ok) throw new Error(`Functions emulator /backends answered ${res.status}`);
  const body = (await res.json()) as { backends: { functionTriggers: FunctionTrigger[] }[] };
  return body.backends.flatMap((b) => b.functionTriggers);
}

/**
 * The keys background events are posted to (`{id}-{generation}`). The emulator only reveals the current
 * generation in its 404 for an unknown key, so ask with a key that cannot exist; nothing runs.
 */
export async function currentTriggerKeys(
  functionsOrigin: string,
  projectId: string,
): Promise<Map<string, string>> {
  const res = await fetch(`${functionsOrigin}/functions/projects/${projectId}/triggers/__hearth_probe__`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  const text = await res.text();
  const list = /valid functions are: (.*)$/s.exec(text)?.[1] ?? "";
  const keys = new Map<string, string>();
  for (const key of list.split(",").map((k) => k.trim())) {
    const id = /^(.*)-\d+$/.exec(key)?.[1];
    if (id) keys.set(id, key);
  }
  return keys;
}

/** Posts an empty event to a trigger, as Cloud Scheduler does for a scheduled function. */
export async function invokeTrigger(
  functionsOrigin: string,
  projectId: string,
  key: string,
): Promise<number> {
  const res = await fetch(`${functionsOrigin}/functions/projects/${projectId}/triggers/${key}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  await res.arrayBuffer();
  return res.status;
}
