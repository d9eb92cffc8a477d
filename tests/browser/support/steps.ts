/**
 * The Node side of a page's steps: `stepsOf<S>(page)` gives a typed object whose methods run the
 * page's step of that name through `page.evaluate`. A step that rejects in the page rejects here with
 * a `StepError` carrying the page's error code (`permission-denied`, ...); one that does not settle in
 * time rejects with a message saying so instead of hanging the test.
 */
import type { Page } from "playwright-core";
import type { PageGlobal, StepResult } from "../pages/runtime.js";

export type Client<S> = {
  [K in keyof S]: S[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

export class StepError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "StepError";
  }
}

export const STEP_TIMEOUT_MS = 10_000;

/** `diagnose` adds what the page saw (console errors) to a timeout's message. */
export function stepsOf<S>(
  page: Page,
  diagnose: () => string[] = () => [],
  timeoutMs = STEP_TIMEOUT_MS,
): Client<S> {
  const call = async (name: string, args: unknown[]): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seen = diagnose();
        const detail = seen.length > 0 ? ` The page logged:\n  ${seen.slice(-8).join("\n  ")}` : "";
        reject(new StepError(`Step ${name} did not settle within ${timeoutMs} ms.${detail}`, "timeout"));
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([
        page.evaluate(
          ([n, a]) => {
            const hearth = (globalThis as PageGlobal).hearth;
            if (!hearth) throw new Error("The page has not published its steps.");
            return hearth.run(n, a);
          },
          [name, args] as [string, unknown[]],
        ) as Promise<StepResult>,
        timeout,
      ]);
      if (!result.ok) {
        throw new StepError(
          `Step ${name} failed: ${result.error.code ?? ""} ${result.error.message}`,
          result.error.code,
        );
      }
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  };
  return new Proxy({} as Client<S>, {
    get: (_, name) =>
      typeof name === "string" && name !== "then" ? (...args: unknown[]) => call(name, args) : undefined,
  });
}
