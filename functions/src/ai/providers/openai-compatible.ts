import {
  type AiProvider,
  lazySdk,
  ProviderError,
  type ProviderReply,
  type ProviderRequest,
  retryAfterMs,
} from "./provider.js";

const NAME = "openai-compatible";

export interface OpenAiCompatibleOptions {
  apiKey: string;
  /** Undefined means api.openai.com; the fake provider and self-hosted models set their own. */
  baseURL: string | undefined;
  timeoutMs: number;
}

/** Chat Completions through the official `openai` SDK: OpenAI itself, the fake provider, or any compatible server. */
export function openAiCompatibleProvider(options: OpenAiCompatibleOptions): AiProvider {
  const sdk = lazySdk(() => import("openai"));
  // SDK retries are off: call.ts retries the same way for every provider.
  const client = lazySdk(async () => {
    const { default: OpenAI } = await sdk();
    return new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? null,
      timeout: options.timeoutMs,
      maxRetries: 0,
    });
  });
  return {
    name: NAME,
    async generate(request: ProviderRequest): Promise<ProviderReply> {
      try {
        const res = await (await client()).chat.completions.create(
          {
            model: request.model,
            messages: [{ role: "user", content: request.prompt }],
            max_tokens: request.maxOutputTokens,
          },
          { signal: request.signal },
        );
        return {
          text: res.choices[0]?.message.content ?? "",
          inputTokens: res.usage?.prompt_tokens ?? 0,
          outputTokens: res.usage?.completion_tokens ?? 0,
        };
      } catch (err) {
        const loaded = await sdk().catch(() => undefined);
        if (loaded && err instanceof loaded.APIError) {
          throw new ProviderError(NAME, err.status, retryAfterMs(err.headers));
        }
        throw new ProviderError(NAME, undefined);
      }
    },
  };
}
