/**
 * A frontend on `npm start`, as README's "Connecting a frontend" writes it: Auth, Firestore (as
 * `localhost`) and Functions emulators, one signed-in user per page. Each step is one thing a screen
 * does (sign up, call a callable, write a project, listen) and returns plain data; the e2e test
 * (tests/e2e/browser-journey.test.ts) plays the user's inbox and Stripe's checkout page.
 */
import { initializeApp } from "firebase/app";
import {
  applyActionCode,
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  sendEmailVerification,
} from "firebase/auth";
import {
  collection,
  connectFirestoreEmulator,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  getFirestore,
  onSnapshot,
  serverTimestamp,
  setDoc,
  updateDoc,
} from "firebase/firestore";
import {
  connectFunctionsEmulator,
  type FunctionsError,
  getFunctions,
  httpsCallable,
} from "firebase/functions";
import { documentEvent, eventsOf, expose, plain, queryEvent, record } from "./runtime.js";

export interface StackAddress {
  projectId: string;
  authPort: number;
  firestorePort: number;
  functionsPort: number;
}

let db: Firestore | null = null;

function firestore(): Firestore {
  if (!db) throw new Error("Call init first.");
  return db;
}

function data(value: unknown): Record<string, unknown> {
  return plain(value) as Record<string, unknown>;
}

const steps = {
  init(stack: StackAddress) {
    const app = initializeApp({ projectId: stack.projectId, apiKey: "demo-api-key" });
    connectAuthEmulator(getAuth(app), `http://127.0.0.1:${stack.authPort}`, { disableWarnings: true });
    db = getFirestore(app);
    connectFirestoreEmulator(db, "localhost", stack.firestorePort);
    connectFunctionsEmulator(getFunctions(app, "us-central1"), "127.0.0.1", stack.functionsPort);
    return true;
  },
  /** Creates the account (signed in from then on) and asks for the verification email. */
  async signUp(email: string, password: string) {
    const { user } = await createUserWithEmailAndPassword(getAuth(), email, password);
    await sendEmailVerification(user);
    return { uid: user.uid, emailVerified: user.emailVerified };
  },
  /** Follows the verification link's code, then refreshes the ID token so it says so. */
  async verifyEmail(oobCode: string) {
    await applyActionCode(getAuth(), oobCode);
    const user = getAuth().currentUser;
    if (!user) throw new Error("Not signed in.");
    await user.reload();
    const token = await user.getIdTokenResult(true);
    return { emailVerified: user.emailVerified, tokenSaysVerified: token.claims.email_verified === true };
  },
  async call(name: string, input: unknown) {
    return (await httpsCallable(getFunctions(undefined, "us-central1"), name)(input)).data;
  },
  /** How a call failed (null when it succeeded): the SDK's code and the server's details. */
  async callFailure(name: string, input: unknown) {
    try {
      await httpsCallable(getFunctions(undefined, "us-central1"), name)(input);
      return null;
    } catch (error) {
      const { code, details } = error as FunctionsError;
      return { code, details: details ?? null };
    }
  },
  /** A new project, written directly as README's data model allows member+ to; resolves with its id. */
  async createProject(orgId: string, name: string) {
    const uid = getAuth().currentUser?.uid;
    const ref = doc(collection(firestore(), "orgs", orgId, "projects"));
    await setDoc(ref, {
      name,
      description: "",
      status: "active",
      createdBy: uid,
      createdAt: serverTimestamp(),
      updatedAt: serverTimestamp(),
    });
    return ref.id;
  },
  async getDoc(path: string) {
    const snap = await getDoc(doc(firestore(), path));
    return snap.exists() ? data(snap.data()) : null;
  },
  async getDocs(path: string) {
    const snap = await getDocs(collection(firestore(), path));
    return snap.docs.map((d) => ({ id: d.id, data: data(d.data()) }));
  },
  async updateDoc(path: string, fields: Record<string, unknown>) {
    await updateDoc(doc(firestore(), path), fields);
  },
  /** onSnapshot on a document; its snapshots and error are kept under `id`. */
  listenDoc(id: string, path: string) {
    record(id, (next, fail) => onSnapshot(doc(firestore(), path), (snap) => next(documentEvent(snap)), fail));
  },
  /** onSnapshot on a collection (a live query); its snapshots and error are kept under `id`. */
  listenCollection(id: string, path: string) {
    record(id, (next, fail) =>
      onSnapshot(collection(firestore(), path), (snap) => next(queryEvent(snap)), fail),
    );
  },
  events(id: string) {
    return eventsOf(id);
  },
};

export type JourneySteps = typeof steps;

expose(steps);
