import type { Firestore } from "firebase-admin/firestore";
import { type Clock, systemClock } from "./clock.js";
import { db } from "./firestore.js";

/**
 * What every handler, trigger and job gets: Firestore and the clock (tests pass their own). A feature
 * that needs more (Stripe, an AI provider, settings) extends this interface with those fields only.
 */
export interface Deps {
  db: Firestore;
  clock: Clock;
}

/** The deployed dependencies, built per call so the Firestore client initialises lazily. */
export function liveDeps(): Deps {
  return { db: db(), clock: systemClock };
}
