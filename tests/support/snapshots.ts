/**
 * The two snapshots a Firestore trigger's event carries for one write, read from the emulator around that
 * write: `before` just before it, `after` just after it (a missing document reads as a snapshot with
 * `exists` false, which is what a create's `before` and a delete's `after` are). Tests hand them to a
 * wrapped trigger with `fft.makeChange(before, after)`.
 *
 * Real snapshots instead of firebase-functions-test's `firestore.makeDocumentSnapshot`: that builds its
 * snapshots through firebase-admin's namespaced `firestore()` export, which firebase-admin 14 no longer has.
 *
 * @example
 * const { before, after } = await writtenAround(db.doc(path), { name: "A" });
 * await wrapped({ params, data: fft.makeChange(before, after) });
 */
import type { DocumentReference, DocumentSnapshot } from "firebase-admin/firestore";

/**
 * The write: data to `set`, `null` to delete, or a function that makes the write some other way (an update,
 * a callable, a client SDK call under the rules) and is given `ref` for convenience.
 */
export type SnapshotWrite = Record<string, unknown> | null | ((ref: DocumentReference) => Promise<unknown>);

export interface SnapshotPair {
  before: DocumentSnapshot;
  after: DocumentSnapshot;
}

/** Makes `write` to the document at `ref` and returns the document as read just before and just after it. */
export async function writtenAround(ref: DocumentReference, write: SnapshotWrite): Promise<SnapshotPair> {
  const before = await ref.get();
  if (write === null) await ref.delete();
  else if (typeof write === "function") await write(ref);
  else await ref.set(write);
  return { before, after: await ref.get() };
}
