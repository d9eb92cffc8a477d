/**
 * The browser benchmark's page (bundled by the browser harness with the web SDK, default settings:
 * WebChannel streams): one query listener, and the time its callback saw each `tick` value, on the
 * page's clock (`performance.timeOrigin + performance.now()`, epoch milliseconds with sub-millisecond
 * resolution), for scripts/bench/browser.ts to compare with the time it committed the write.
 */
import { initializeApp } from "firebase/app";
import {
  collection,
  connectFirestoreEmulator,
  initializeFirestore,
  onSnapshot,
  query,
  where,
} from "firebase/firestore";
import { expose } from "../../../tests/browser/pages/runtime.js";

const now = () => performance.timeOrigin + performance.now();

/** tick → when the listener's callback ran with the document carrying it. */
const seen = new Map<number, number>();
const waiting = new Map<number, (at: number) => void>();

export interface ListenOptions {
  host: string;
  port: number;
  projectId: string;
  /** Collection listened to with `where("hot", "==", true)`. */
  path: string;
}

const steps = {
  now,
  /** Connects and starts the listener; resolves with the result size at its first server snapshot. */
  listen(opts: ListenOptions): Promise<number> {
    const app = initializeApp({ projectId: opts.projectId, apiKey: "demo-api-key" });
    const db = initializeFirestore(app, {});
    connectFirestoreEmulator(db, opts.host, opts.port);
    return new Promise((resolve, reject) => {
      onSnapshot(
        query(collection(db, opts.path), where("hot", "==", true)),
        { includeMetadataChanges: true },
        (snap) => {
          const at = now();
          for (const change of snap.docChanges()) {
            const tick: unknown = change.doc.get("tick");
            if (typeof tick !== "number" || seen.has(tick)) continue;
            seen.set(tick, at);
            waiting.get(tick)?.(at);
            waiting.delete(tick);
          }
          if (!snap.metadata.fromCache) resolve(snap.size);
        },
        reject,
      );
    });
  },
  /** When the listener saw `tick` (page clock), waiting for it up to `timeoutMs`. */
  seenAt(tick: number, timeoutMs: number): Promise<number> {
    const at = seen.get(tick);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(tick);
        reject(new Error(`The listener did not see tick ${tick} within ${timeoutMs} ms.`));
      }, timeoutMs);
      waiting.set(tick, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
  },
};

export type ListenerSteps = typeof steps;

expose(steps);
