import { startFakeAiProvider } from "./server.js";

/** Runs the fake provider on its own: `npx tsx tests/fakes/ai-provider/main.ts` (PORT, default 8788). */
const port = Number(process.env.PORT ?? 8788);
const fake = await startFakeAiProvider({ port });
console.log(`fake AI provider on ${fake.url} (OpenAI base URL ${fake.openAiBaseUrl})`);
const stop = () => {
  fake.stop().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
