/**
 * A page using `firebase/firestore/lite`: no streams, every call one REST request over fetch, so
 * it needs the emulator's REST routes and CORS and nothing else.
 */
import { initializeApp } from "firebase/app";
import {
  collection,
  connectFirestoreEmulator,
  deleteDoc,
  doc,
  type Firestore,
  getCount,
  getDoc,
  getDocs,
  getFirestore,
  orderBy,
  query,
  setDoc,
  updateDoc,
  where,
} from "firebase/firestore/lite";
import { expose, plain } from "./runtime.js";

let db: Firestore | null = null;

function firestore(): Firestore {
  if (!db) throw new Error("Call init first.");
  return db;
}

const steps = {
  init(opts: { host: string; port: number; projectId: string; uid?: string }) {
    const app = initializeApp({ projectId: opts.projectId, apiKey: "demo-api-key" });
    db = getFirestore(app);
    connectFirestoreEmulator(
      db,
      opts.host,
      opts.port,
      opts.uid ? { mockUserToken: { sub: opts.uid, user_id: opts.uid } } : {},
    );
    return true;
  },
  async setDoc(path: string, data: Record<string, unknown>) {
    await setDoc(doc(firestore(), path), data);
  },
  async updateDoc(path: string, data: Record<string, unknown>) {
    await updateDoc(doc(firestore(), path), data);
  },
  async deleteDoc(path: string) {
    await deleteDoc(doc(firestore(), path));
  },
  async getDoc(path: string) {
    const snap = await getDoc(doc(firestore(), path));
    return snap.exists() ? (plain(snap.data()) as Record<string, unknown>) : null;
  },
  /** Ids of `path`'s documents where `field` > `above`, in `field` order. */
  async queryAbove(path: string, field: string, above: number) {
    const snap = await getDocs(
      query(collection(firestore(), path), where(field, ">", above), orderBy(field)),
    );
    return snap.docs.map((d) => d.id);
  },
  async count(path: string) {
    return (await getCount(collection(firestore(), path))).data().count;
  },
};

export type LiteSteps = typeof steps;

expose(steps);
