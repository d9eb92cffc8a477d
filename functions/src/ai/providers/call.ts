import { AppError } from "../../lib/errors.js";
import { logEvent } from "../../lib/logging.js";
import { type AiProvider, ProviderError, type ProviderReply } from "./provider.js";

export interface CallPolicy {
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff; it doubles per retry, with jitter. */
  backoffMs: number;
  /** Longest single wait, also the cap on a provider's Retry-After. */
  maxBackoffMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_CALL_POLICY: Omit<CallPolicy, "timeoutMs"> = {
  maxAttempts: 3,
  backoffMs: 200,
  maxBackoffMs: 4_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** 429 and 5xx are worth another attempt; other statuses will not change by retrying. */
function retryable(err: ProviderError): boolean {
  return err.status === 429 || (err.status !== undefined && err.status >= 500);
}

function backoff(policy: CallPolicy, retry: number, hintMs: number | undefined): number {
  const exponential = policy.backoffMs * 2 ** retry;
  const jittered = exponential / 2 + (policy.random() * exponential) / 2;
  return Math.min(policy.maxBackoffMs, Math.max(jittered, hintMs ?? 0));
}

/**
 * Calls `provider` with a fresh timeout per attempt and bounded retries with backoff on 429 and 5xx.
 * Failures come out as `deadline-exceeded` (an attempt timed out) or `unavailable` (anything else), with
 * no provider detail: the status goes to the log only.
 */
export async function callProvider(
  provider: AiProvider,
  request: { model: string; prompt: string; maxOutputTokens: number },
  policy: CallPolicy,
): Promise<ProviderReply> {
  for (let attempt = 1; ; attempt++) {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    try {
      return await provider.generate({ ...request, signal });
    } catch (err) {
      const status = err instanceof ProviderError ? err.status : undefined;
      const timedOut = signal.aborted;
      logEvent("ai.provider.failed", {
        provider: provider.name,
        model: request.model,
        attempt,
        status,
        timedOut,
      });
      if (timedOut) {
        throw new AppError("deadline-exceeded", "The AI provider took too long to answer.", {
          reason: "provider-timeout",
        });
      }
      if (!(err instanceof ProviderError) || !retryable(err) || attempt >= policy.maxAttempts) {
        throw new AppError("unavailable", "The AI provider is unavailable. Try again later.", {
          reason: "provider-unavailable",
        });
      }
      await policy.sleep(backoff(policy, attempt - 1, err.retryAfterMs));
    }
  }
}
