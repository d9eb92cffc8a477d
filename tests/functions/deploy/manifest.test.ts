import { describe, expect, it } from "vitest";
import { AI_SCALING, STRIPE_EVENT_SCALING, WEBHOOK_SCALING } from "../../../functions/src/lib/runtime.js";
import { endpointOf, loadDeployedFunctions } from "./support.js";

/** What `firebase deploy` reads from each export (its `__endpoint`), as firebase-tools' discovery sees it. */
const endpoints = Object.entries(await loadDeployedFunctions()).map(([name, fn]) => ({
  name,
  ...endpointOf(fn),
}));

const byName = <T>(pick: (e: (typeof endpoints)[number]) => T) =>
  Object.fromEntries(endpoints.map((e) => [e.name, pick(e)]));

describe("deploy manifest", () => {
  it("every exported function, v1 auth triggers included, deploys to us-central1", () => {
    expect(endpoints.map((e) => e.platform)).toEqual(expect.arrayContaining(["gcfv1", "gcfv2"]));
    expect(byName((e) => e.region)).toEqual(byName(() => ["us-central1"]));
  });

  it("instance limits sit on the AI, webhook and Stripe event functions; the others keep the defaults", () => {
    // Unset options are the SDK's reset marker (null in the manifest), not numbers.
    const limited = endpoints.filter(
      (e) => typeof e.maxInstances === "number" || typeof e.concurrency === "number",
    );
    expect(
      Object.fromEntries(
        limited.map((e) => [e.name, { maxInstances: e.maxInstances, concurrency: e.concurrency }]),
      ),
    ).toEqual({
      aiGenerate: AI_SCALING,
      stripeWebhook: WEBHOOK_SCALING,
      onStripeEventCreated: STRIPE_EVENT_SCALING,
    });
    // AI calls wait on the provider, so one instance must serve several at once.
    expect(AI_SCALING.concurrency).toBeGreaterThan(1);
  });

  it("concurrency above 1 has the whole vCPU Cloud Run requires for it", () => {
    for (const e of endpoints.filter((x) => typeof x.concurrency === "number" && x.concurrency > 1)) {
      // Unset cpu is 1 vCPU on gen 2 at the default memory; firebase deploy refuses less with concurrency.
      expect({ name: e.name, platform: e.platform, cpu: Number(e.cpu ?? 1) >= 1 }).toEqual({
        name: e.name,
        platform: "gcfv2",
        cpu: true,
      });
    }
  });
});
