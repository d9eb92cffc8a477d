import { startFakeStripe } from "./server.js";

/**
 * Runs the fake Stripe on its own: `npx tsx tests/fakes/stripe/main.ts` (PORT, default 12111). With
 * WEBHOOK_URL and WEBHOOK_SECRET set, every event is delivered there, signed.
 */
const port = Number(process.env.PORT ?? 12111);
const webhookUrl = process.env.WEBHOOK_URL;
const webhookSecret = process.env.WEBHOOK_SECRET;
const fake = await startFakeStripe({
  port,
  ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
});
console.log(`fake Stripe on ${fake.url}${webhookUrl ? ` delivering events to ${webhookUrl}` : ""}`);
const stop = () => {
  fake.stop().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
