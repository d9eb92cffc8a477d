import {
  type AiProvider,
  lazySdk,
  ProviderError,
  type ProviderReply,
  type ProviderRequest,
  retryAfterMs,
} from "./provider.js";

const NAME = "anthropic";

export interface AnthropicOptions {
  apiKey: string;
  /** Undefined means api.anthropic.com. */
  baseURL: string | undefined;
  timeoutMs: number;
}

/** The Messages API through the official `@anthropic-ai/sdk`. */
export function anthropicProvider(options: AnthropicOptions): AiProvider {
  const sdk = lazySdk(() => import("@anthropic-ai/sdk"));
  const client = lazySdk(async () => {
    const { default: Anthropic } = await sdk();
    return new Anthropic({
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
        const res = await (await client()).messages.create(
          {
            model: request.model,
            max_tokens: request.maxOutputTokens,
            messages: [{ role: "user", content: request.prompt }],
          },
          { signal: request.signal },
        );
        const text = res.content.map((block) => (block.type === "text" ? block.text : "")).join("");
        return { text, inputTokens: res.usage.input_tokens, outputTokens: res.usage.output_tokens };
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
