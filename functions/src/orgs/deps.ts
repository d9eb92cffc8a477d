import type { Firestore } from "firebase-admin/firestore";
import { type Clock, systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";

/** What every org and account handler needs; tests pass their own clock. */
export interface OrgDeps {
  db: Firestore;
  clock: Clock;
}

/** The deployed dependencies, built per call so the Firestore client initialises lazily. */
export function liveDeps(): OrgDeps {
  return { db: db(), clock: systemClock };
}
