import { startFakeAiProvider } from "../../tests/fakes/ai-provider/index.js";
import { startFakeStripe } from "../../tests/fakes/stripe/index.js";
import { address, type StackConfig } from "./config.js";
import { FAKE_SECRETS } from "./functions-env.js";
import { log } from "./log.js";

/**
 * The local stand-ins for third parties that cannot be reached offline: the AI provider and Stripe. The
 * fake Stripe signs its events with the local webhook secret and delivers them to `stripeWebhook`, as a
 * Stripe webhook endpoint would.
 */
export async function startFakes(config: StackConfig): Promise<{ stop(): Promise<void> }> {
  const ai = await startFakeAiProvider({ host: config.host, port: config.ports.ai });
  log.ok("fakes", `fake AI provider (OpenAI-compatible) on ${ai.openAiBaseUrl}`);
  const webhookUrl = `http://${address(config, "functions")}/${config.projectId}/us-central1/stripeWebhook`;
  const stripe = await startFakeStripe({
    host: config.host,
    port: config.ports.stripe,
    webhook: { url: webhookUrl, secret: FAKE_SECRETS.STRIPE_WEBHOOK_SECRET },
  });
  log.ok("fakes", `fake Stripe on ${stripe.url}, delivering signed events to stripeWebhook`);
  return {
    async stop() {
      await Promise.all([ai.stop(), stripe.stop()]);
    },
  };
}
