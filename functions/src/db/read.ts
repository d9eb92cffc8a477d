import {
  type DocumentData,
  type DocumentReference,
  DocumentSnapshot,
  type Firestore,
  type FirestoreDataConverter,
  type QueryDocumentSnapshot,
  type Transaction,
} from "firebase-admin/firestore";
import * as logger from "firebase-functions/logger";
import { DocumentShapeError } from "./converter.js";

/** The log event of every skipped document, one name so one log-based alert catches them all. */
export const INVALID_DOCUMENT_EVENT = "document.invalid";

/** Logs a document that does not fit its schema: which job or trigger met it, its path and the fields. */
export function logInvalidDocument(source: string, err: DocumentShapeError): void {
  logger.error(INVALID_DOCUMENT_EVENT, {
    event: INVALID_DOCUMENT_EVENT,
    source,
    path: err.path,
    operation: err.operation,
    fields: err.fields,
  });
}

/** `read()`, or undefined when the document does not fit its schema, which is logged. */
function orSkip<T>(source: string, read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof DocumentShapeError)) throw err;
    logInvalidDocument(source, err);
    return undefined;
  }
}

/**
 * The data of a typed snapshot for a job or trigger: undefined when the document is missing, and also when
 * it does not fit its schema, which is logged (`document.invalid`, with `source`) instead of failing the
 * run, so one bad document does not stop the work on every other one.
 */
export function validData<T>(snapshot: DocumentSnapshot<T>, source: string): T | undefined {
  return orSkip(source, () => snapshot.data());
}

/**
 * The typed data of a snapshot a trigger's event carries (those come without a converter), checked with
 * `converter` as validData checks: undefined when missing or (logged) invalid.
 */
export function eventData<T>(
  snapshot: DocumentSnapshot | undefined,
  converter: FirestoreDataConverter<T>,
  source: string,
): T | undefined {
  if (!snapshot?.exists) return undefined;
  return orSkip(source, () => converter.fromFirestore(snapshot as QueryDocumentSnapshot));
}

type Snapshots<R extends readonly DocumentReference<unknown>[]> = {
  [K in keyof R]: R[K] extends DocumentReference<infer T> ? DocumentSnapshot<T> : never;
};

/**
 * Reads documents of different kinds in one round trip, each snapshot typed by its reference (getAll keeps
 * each reference's converter; only its signature wants one type for all).
 */
export async function getAllTyped<R extends readonly DocumentReference<unknown>[]>(
  reader: Firestore | Transaction,
  ...docs: R
): Promise<Snapshots<R>> {
  const getAll = reader.getAll.bind(reader) as (...d: DocumentReference<unknown>[]) => Promise<unknown[]>;
  return (await getAll(...docs)) as Snapshots<R>;
}

/** A query result's document with its validated data. */
export interface ValidDoc<T> {
  ref: DocumentReference<T>;
  id: string;
  data: T;
}

/**
 * The documents of a typed query result that fit their schema; the others are logged as validData does
 * and counted in `skipped`, for the job's result.
 */
export function validDocs<T>(
  snapshots: readonly QueryDocumentSnapshot<T>[],
  source: string,
): { docs: ValidDoc<T>[]; skipped: number } {
  const docs: ValidDoc<T>[] = [];
  for (const snapshot of snapshots) {
    const data = validData(snapshot, source);
    if (data !== undefined) docs.push({ ref: snapshot.ref, id: snapshot.id, data });
  }
  return { docs, skipped: snapshots.length - docs.length };
}

/** A typed snapshot's data, or the data itself: for helpers that take either what a caller read or its data. */
export function dataOf<T extends DocumentData>(value: T | DocumentSnapshot<T, T> | undefined): T | undefined {
  return value instanceof DocumentSnapshot ? value.data() : value;
}
