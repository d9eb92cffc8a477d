/**
 * What the benchmarks share: firebase-admin (the one the functions ship with) and a forced garbage
 * collection, so memory figures are read after the collector ran.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export { initializeApp } from "firebase-admin/app";
export { type Firestore, getFirestore } from "firebase-admin/firestore";

setFlagsFromString("--expose_gc");
export const gc = runInNewContext("gc") as () => void;
