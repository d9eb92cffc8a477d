/**
 * A page using `firebase/firestore/pipelines` (Firestore Enterprise's pipeline queries), which Hearth's
 * emulator does not implement: the call must fail with a clear error, not hang or report "offline".
 */
import { initializeApp } from "firebase/app";
import { connectFirestoreEmulator, getFirestore } from "firebase/firestore";
import { execute } from "firebase/firestore/pipelines";
import { expose } from "./runtime.js";

let db: ReturnType<typeof getFirestore> | null = null;

const steps = {
  init(opts: { host: string; port: number; projectId: string }) {
    db = getFirestore(initializeApp({ projectId: opts.projectId, apiKey: "demo-api-key" }));
    connectFirestoreEmulator(db, opts.host, opts.port);
    return true;
  },
  async run(path: string) {
    if (!db) throw new Error("Call init first.");
    const snap = await execute(db.pipeline().collection(path));
    return snap.results.length;
  },
};

export type PipelinesSteps = typeof steps;

expose(steps);
