import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";

/**
 * How many requests each function may have in flight in firebase-tools' Functions emulator. It starts a
 * new worker process (≈130 MB, 1–2 s of CPU) for every request that finds no idle worker of its function,
 * and never stops one, so a burst of 100 calls started 100 workers; most failed to load on a small
 * machine. Requests beyond the limit wait here, in order, and their function's workers are reused.
 */
export const FUNCTION_CONCURRENCY = 2;

/**
 * The function a request runs, or undefined for the emulator's own endpoints (`/backends`, …), which are
 * passed on at once: `/{project}/{region}/{name}` for HTTPS functions and callables,
 * `/functions/projects/{project}/triggers/{key}` for background events.
 */
export function functionOf(url: string): string | undefined {
  const pathname = url.split("?")[0] ?? "";
  const trigger = /^\/functions\/projects\/[^/]+\/triggers\/([^/]+)/.exec(pathname);
  if (trigger) return `trigger:${trigger[1]}`;
  const https = /^\/([^/]+)\/([^/]+)\/([^/]+)/.exec(pathname);
  if (https && https[1] !== "functions") return `https:${https[2]}-${https[3]}`;
  return undefined;
}

/**
 * A counting semaphore per function: at most `limit` holders, the others waiting in arrival order. Until a
 * function has answered once, it has one slot: its first worker is still starting, and a second one
 * started beside it would take as long again and slow the first (the seed's warm-up and its first call,
 * Stripe's burst of webhooks after a checkout).
 */
class Slots {
  private readonly busy = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly answered = new Set<string>();

  constructor(private readonly limit: number) {}

  /** Calls `turn` once a slot is held: at once if one is free, otherwise when one is released. */
  acquire(key: string, turn: () => void): void {
    const busy = this.busy.get(key) ?? 0;
    if (busy < (this.answered.has(key) ? this.limit : 1)) {
      this.busy.set(key, busy + 1);
      turn();
      return;
    }
    const queue = this.waiting.get(key) ?? [];
    queue.push(turn);
    this.waiting.set(key, queue);
  }

  /** Gives the slot to the next waiter, if any, and once answered, the function's other slots too. */
  release(key: string, answered: boolean): void {
    if (answered && !this.answered.has(key)) {
      this.answered.add(key);
      for (let extra = 1; extra < this.limit && this.waiting.get(key)?.length; extra++) {
        this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
        this.waiting.get(key)?.shift()?.();
      }
    }
    const next = this.waiting.get(key)?.shift();
    if (next) {
      next();
      return;
    }
    if (this.waiting.get(key)?.length === 0) this.waiting.delete(key);
    const busy = (this.busy.get(key) ?? 1) - 1;
    if (busy === 0) this.busy.delete(key);
    else this.busy.set(key, busy);
  }

  /** Forgets which functions have answered: their next requests reach workers that start afresh. */
  forgetAnswers(): void {
    this.answered.clear();
  }

  /** Removes a waiter that gave up before its turn (its client went away). */
  forget(key: string, waiter: () => void): void {
    const queue = this.waiting.get(key);
    const at = queue?.indexOf(waiter) ?? -1;
    if (queue && at >= 0) queue.splice(at, 1);
  }
}

/** The export name of the function a key of functionOf() names: `https:us-central1-createOrg` → createOrg. */
export function exportName(key: string): string | undefined {
  return /^(?:https|trigger):[a-z]+-[a-z]+\d+-([A-Za-z0-9_]+)/.exec(key)?.[1];
}

export interface FunctionsProxy {
  /**
   * Sends the requests for `functions` (export names) to another server on `port` from now on, instead of
   * the Functions emulator; `divert(undefined)` sends everything back.
   */
  divert(to: { port: number; functions: Set<string> } | undefined): void;
  /**
   * Resolves once no request is open and none has come or gone for `quietMs`: the functions' work, and
   * the work each triggers in turn, is over.
   */
  idle(quietMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Serves the stack's public Functions port in front of firebase-tools' Functions emulator (on a private
 * port), passing every request through unchanged but holding back those beyond FUNCTION_CONCURRENCY per
 * function until one of its requests has been answered.
 */
export function startFunctionsProxy(opts: {
  host: string;
  port: number;
  upstreamPort: number;
  concurrency?: number;
}): Promise<FunctionsProxy> {
  const slots = new Slots(opts.concurrency ?? FUNCTION_CONCURRENCY);
  // Requests received and not yet over, and when the last one came or went: for idle().
  let open = 0;
  let lastActivity = performance.now();
  let diverted: { port: number; functions: Set<string> } | undefined;
  const upstreamFor = (key: string | undefined) => {
    const name = key === undefined ? undefined : exportName(key);
    return diverted && name && diverted.functions.has(name) ? diverted.port : opts.upstreamPort;
  };
  const track = (res: ServerResponse) => {
    open++;
    lastActivity = performance.now();
    res.once("close", () => {
      open--;
      lastActivity = performance.now();
    });
  };

  /** Passes a request on; `done` is told once it is over, and whether the emulator answered it. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    port: number,
    done: (answered: boolean) => void,
  ) => {
    let finished = false;
    let answered = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      done(answered);
    };
    const upstream = request(
      { host: opts.host, port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        answered = true;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
        answer.once("end", finish);
        answer.once("error", finish);
      },
    );
    upstream.once("error", (error) => {
      finish();
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`The Functions emulator did not answer: ${error.message}`);
      } else res.destroy();
    });
    // A client that leaves mid-request frees the slot once the emulator is told.
    res.once("close", () => {
      if (!res.writableFinished) upstream.destroy();
      finish();
    });
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    track(res);
    const key = functionOf(req.url ?? "/");
    if (key === undefined) {
      forward(req, res, opts.upstreamPort, () => {});
      return;
    }
    // Hold the body until the request's turn; paused, it stays in the socket's buffers.
    req.pause();
    let gaveUp = false;
    const turn = () => {
      if (gaveUp) {
        slots.release(key, false);
        return;
      }
      forward(req, res, upstreamFor(key), (answered) => slots.release(key, answered));
    };
    res.once("close", () => {
      if (!res.headersSent) {
        gaveUp = true;
        slots.forget(key, turn);
      }
    });
    slots.acquire(key, turn);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () =>
      resolve({
        divert(to) {
          diverted = to;
          slots.forgetAnswers();
        },
        async idle(quietMs) {
          while (open > 0 || performance.now() - lastActivity < quietMs) {
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      }),
    );
  });
}
