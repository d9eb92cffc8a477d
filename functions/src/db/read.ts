import type { DocumentReference, DocumentSnapshot, QueryDocumentSnapshot } from "firebase-admin/firestore";
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

/**
 * The data of a typed snapshot for a job or trigger: undefined when the document is missing, and also when
 * it does not fit its schema, which is logged (`document.invalid`, with `source`) instead of failing the
 * run, so one bad document does not stop the work on every other one.
 */
export function validData<T>(snapshot: DocumentSnapshot<T>, source: string): T | undefined {
  try {
    return snapshot.data();
  } catch (err) {
    if (!(err instanceof DocumentShapeError)) throw err;
    logInvalidDocument(source, err);
    return undefined;
  }
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
