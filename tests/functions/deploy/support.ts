/**
 * The exports `firebase deploy` ships, loaded with the environment a deployed project gives them: storage
 * triggers name the default bucket from FIREBASE_CONFIG when they are defined.
 */
export async function loadDeployedFunctions(projectId = "demo-hearth") {
  process.env.GCLOUD_PROJECT = projectId;
  process.env.FIREBASE_CONFIG = JSON.stringify({ projectId, storageBucket: `${projectId}.appspot.com` });
  return import("../../../functions/src/index.js");
}

/** The deploy manifest entry firebase-functions attaches to each exported function. */
export interface Endpoint {
  platform: string;
  region?: unknown[];
  maxInstances?: unknown;
  concurrency?: unknown;
  cpu?: unknown;
  callableTrigger?: object;
}

export function endpointOf(fn: unknown): Endpoint {
  return (fn as { __endpoint: Endpoint }).__endpoint;
}
