/**
 * The one interface every AI provider adapter implements. Adapters translate a prompt into their SDK's
 * request and the SDK's answer or failure back; timeouts, retries and error codes live in call.ts so every
 * provider behaves the same.
 */
export interface ProviderRequest {
  /** The provider's own model name. */
  model: string;
  prompt: string;
  maxOutputTokens: number;
  /** Aborted when the attempt's timeout passes. */
  signal: AbortSignal;
}

export interface ProviderReply {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

export interface AiProvider {
  readonly name: string;
  generate(request: ProviderRequest): Promise<ProviderReply>;
}

/**
 * A provider failure reduced to what Hearth acts on: the HTTP status (undefined when no response came
 * back) and an optional retry-after hint. The provider's message is dropped on purpose: it can echo
 * request details or parts of a key.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number | undefined,
    readonly retryAfterMs?: number,
  ) {
    super(`${provider} failed${status === undefined ? " without a response" : ` with HTTP ${status}`}`);
    this.name = "ProviderError";
  }
}

/** Reads a Retry-After header in seconds (the HTTP-date form is rare for these APIs and ignored). */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined): number | undefined {
  const value = headers?.get("retry-after");
  const seconds = value ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * Imports something once, on first use. Provider SDKs load only when a call needs them, so no function's
 * cold start pays for three SDKs it may never use.
 */
export function lazySdk<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}
