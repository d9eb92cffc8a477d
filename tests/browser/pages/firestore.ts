/**
 * A page using the full Firebase web SDK (`firebase/firestore`, WebChannel streams and REST unary
 * calls) as a frontend would. `init` connects it to the emulator in one of the SDK's transport and
 * cache modes; every other step is one SDK call with its result as plain data.
 */
import { deleteApp, type FirebaseApp, initializeApp } from "firebase/app";
import {
  collection,
  collectionGroup,
  connectFirestoreEmulator,
  deleteDoc,
  doc,
  type Firestore,
  type FirestoreSettings,
  getCountFromServer,
  getDoc,
  getDocFromCache,
  getDocFromServer,
  getDocs,
  getDocsFromCache,
  increment,
  initializeFirestore,
  onSnapshot,
  orderBy,
  persistentLocalCache,
  type Query,
  query,
  runTransaction,
  serverTimestamp,
  setDoc,
  setLogLevel,
  terminate,
  updateDoc,
  where,
  writeBatch,
} from "firebase/firestore";
import { documentEvent, eventsOf, expose, plain, queryEvent, record, stopListener } from "./runtime.js";

export type Mode = "default" | "long-polling" | "persistent";

export interface InitOptions {
  host: string;
  port: number;
  projectId: string;
  /** Signed in as this uid (an unsigned emulator token); signed out when absent. */
  uid?: string;
  mode?: Mode;
}

let app: FirebaseApp | null = null;
let db: Firestore | null = null;

function firestore(): Firestore {
  if (!db) throw new Error("Call init first.");
  return db;
}

type Where = [field: string, op: "==" | "<" | ">" | "<=" | ">=" | "!=" | "array-contains", value: unknown];

/** A query over the collection at `path`, or over every collection with id `x` when `path` is `**\/x`. */
function buildQuery(path: string, filters: Where[] = [], order?: string): Query {
  const constraints = filters.map(([f, op, v]) => where(f, op, v));
  const source = path.startsWith("**/")
    ? collectionGroup(firestore(), path.slice(3))
    : collection(firestore(), path);
  return query(source, ...constraints, ...(order ? [orderBy(order)] : []));
}

const steps = {
  init(opts: InitOptions) {
    const settings: FirestoreSettings = {};
    if (opts.mode === "long-polling") settings.experimentalForceLongPolling = true;
    if (opts.mode === "persistent") settings.localCache = persistentLocalCache();
    if ((globalThis as { hearthDebug?: boolean }).hearthDebug) setLogLevel("debug");
    app = initializeApp({ projectId: opts.projectId, apiKey: "demo-api-key" });
    db = initializeFirestore(app, settings);
    connectFirestoreEmulator(
      db,
      opts.host,
      opts.port,
      opts.uid ? { mockUserToken: { sub: opts.uid, user_id: opts.uid } } : {},
    );
    return true;
  },
  async close() {
    if (db) await terminate(db);
    if (app) await deleteApp(app);
    db = null;
    app = null;
  },
  async setDoc(path: string, data: Record<string, unknown>, merge = false) {
    await setDoc(doc(firestore(), path), data, { merge });
  },
  async updateDoc(path: string, data: Record<string, unknown>) {
    await updateDoc(doc(firestore(), path), data);
  },
  async deleteDoc(path: string) {
    await deleteDoc(doc(firestore(), path));
  },
  /** The document as the server has it now (null when missing). */
  async getDoc(path: string) {
    const snap = await getDocFromServer(doc(firestore(), path));
    return snap.exists() ? (plain(snap.data()) as Record<string, unknown>) : null;
  },
  /** getDoc in the SDK's default source (server, falling back to cache). */
  async getDocDefault(path: string) {
    const snap = await getDoc(doc(firestore(), path));
    return { data: snap.exists() ? plain(snap.data()) : null, fromCache: snap.metadata.fromCache };
  },
  async getDocFromCache(path: string) {
    const snap = await getDocFromCache(doc(firestore(), path));
    return snap.exists() ? (plain(snap.data()) as Record<string, unknown>) : null;
  },
  async getDocs(path: string, filters: Where[] = [], order?: string) {
    const snap = await getDocs(buildQuery(path, filters, order));
    return snap.docs.map((d) => ({ id: d.id, data: plain(d.data()) }));
  },
  async getDocsFromCache(path: string, filters: Where[] = [], order?: string) {
    const snap = await getDocsFromCache(buildQuery(path, filters, order));
    return snap.docs.map((d) => ({ id: d.id, data: plain(d.data()) }));
  },
  async count(path: string, filters: Where[] = []) {
    return (await getCountFromServer(buildQuery(path, filters))).data().count;
  },
  /** Writes `{ [field]: serverTimestamp() }` and reads it back from the server, in millis. */
  async serverTimestamp(path: string, field: string) {
    await setDoc(doc(firestore(), path), { [field]: serverTimestamp() });
    const snap = await getDocFromServer(doc(firestore(), path));
    const value = snap.get(field) as { toMillis(): number } | null;
    return value === null ? null : value.toMillis();
  },
  async increment(path: string, field: string, by: number, times: number) {
    for (let i = 0; i < times; i++) await updateDoc(doc(firestore(), path), { [field]: increment(by) });
  },
  /** `times` read-modify-write transactions, `parallel` at a time; how often the SDK ran the function. */
  async transactIncrement(path: string, field: string, times: number, parallel = 1) {
    let attempts = 0;
    const one = () =>
      runTransaction(firestore(), async (tx) => {
        attempts++;
        const snap = await tx.get(doc(firestore(), path));
        const n = (snap.get(field) as number | undefined) ?? 0;
        tx.set(doc(firestore(), path), { [field]: n + 1 }, { merge: true });
      });
    for (let done = 0; done < times; done += parallel) {
      await Promise.all(Array.from({ length: Math.min(parallel, times - done) }, one));
    }
    return attempts;
  },
  /** A transaction that reads `readPath` and writes `writePath`; resolves with what it read. */
  async transactCopy(readPath: string, writePath: string) {
    return runTransaction(firestore(), async (tx) => {
      const snap = await tx.get(doc(firestore(), readPath));
      const data = snap.exists() ? snap.data() : null;
      tx.set(doc(firestore(), writePath), { copied: data });
      return plain(data);
    });
  },
  /** One batch: each op is [kind, path, data?]. */
  async batch(ops: ["set" | "update" | "delete", string, Record<string, unknown>?][]) {
    const batch = writeBatch(firestore());
    for (const [kind, path, data] of ops) {
      const ref = doc(firestore(), path);
      if (kind === "set") batch.set(ref, data ?? {});
      else if (kind === "update") batch.update(ref, data ?? {});
      else batch.delete(ref);
    }
    await batch.commit();
  },
  /** With `metadata`, also snapshots that only change fromCache/hasPendingWrites. */
  listenDoc(id: string, path: string, metadata = false) {
    record(id, (next, fail) =>
      onSnapshot(
        doc(firestore(), path),
        { includeMetadataChanges: metadata },
        (snap) => next(documentEvent(snap)),
        fail,
      ),
    );
  },
  listenQuery(id: string, path: string, filters: Where[] = [], order?: string) {
    record(id, (next, fail) =>
      onSnapshot(buildQuery(path, filters, order), (snap) => next(queryEvent(snap)), fail),
    );
  },
  events(id: string) {
    return eventsOf(id);
  },
  stopListener(id: string) {
    stopListener(id);
  },
};

export type FirestoreSteps = typeof steps;

expose(steps);
