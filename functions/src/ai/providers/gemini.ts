import {
  type AiProvider,
  lazySdk,
  ProviderError,
  type ProviderReply,
  type ProviderRequest,
} from "./provider.js";

const NAME = "gemini";

export interface GeminiOptions {
  apiKey: string;
  /** Undefined means generativelanguage.googleapis.com. */
  baseURL: string | undefined;
  timeoutMs: number;
}

/** generateContent on the Gemini API through the official `@google/genai` SDK. */
export function geminiProvider(options: GeminiOptions): AiProvider {
  const sdk = lazySdk(() => import("@google/genai"));
  // No retryOptions: the SDK then makes exactly one attempt and call.ts does the retrying.
  const client = lazySdk(async () => {
    const { GoogleGenAI } = await sdk();
    return new GoogleGenAI({
      apiKey: options.apiKey,
      httpOptions: { timeout: options.timeoutMs, ...(options.baseURL ? { baseUrl: options.baseURL } : {}) },
    });
  });
  return {
    name: NAME,
    async generate(request: ProviderRequest): Promise<ProviderReply> {
      try {
        const res = await (await client()).models.generateContent({
          model: request.model,
          contents: request.prompt,
          config: { maxOutputTokens: request.maxOutputTokens, abortSignal: request.signal },
        });
        return {
          text: res.text ?? "",
          inputTokens: res.usageMetadata?.promptTokenCount ?? 0,
          outputTokens: res.usageMetadata?.candidatesTokenCount ?? 0,
        };
      } catch (err) {
        const loaded = await sdk().catch(() => undefined);
        throw new ProviderError(NAME, loaded && err instanceof loaded.ApiError ? err.status : undefined);
      }
    },
  };
}
