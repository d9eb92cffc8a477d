import { startFakeAiProvider } from "../../tests/fakes/ai-provider/index.js";
import type { StackConfig } from "./config.js";
import { log } from "./log.js";

/** The local stand-ins for third parties that cannot be reached offline: the AI provider and Stripe. */
export async function startFakes(config: StackConfig): Promise<{ stop(): Promise<void> }> {
  const ai = await startFakeAiProvider({ host: config.host, port: config.ports.ai });
  log.ok("fakes", `fake AI provider (OpenAI-compatible) on ${ai.openAiBaseUrl}`);
  return {
    async stop() {
      await ai.stop();
    },
  };
}
