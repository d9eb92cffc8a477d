import type { CollectionReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";

const READ_CHUNK = 300;

/**
 * Every existing document of a database, collection by collection, depth first, in id order. Subcollections
 * are found under missing parents too (a usage period's shards exist before the period document does).
 */
export async function* walkDocuments(db: Firestore): AsyncGenerator<DocumentSnapshot> {
  const collections = await db.listCollections();
  for (const collection of collections.sort(byId)) yield* walkCollection(db, collection);
}

async function* walkCollection(
  db: Firestore,
  collection: CollectionReference,
): AsyncGenerator<DocumentSnapshot> {
  const refs = (await collection.listDocuments()).sort(byId);
  for (let i = 0; i < refs.length; i += READ_CHUNK) {
    const chunk = refs.slice(i, i + READ_CHUNK);
    const snaps = await db.getAll(...chunk);
    for (const [index, snap] of snaps.entries()) {
      if (snap.exists) yield snap;
      for (const sub of (await chunk[index]!.listCollections()).sort(byId)) yield* walkCollection(db, sub);
    }
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
