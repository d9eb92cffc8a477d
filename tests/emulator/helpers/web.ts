/** The Firebase JS SDK (modular) connected to a test emulator, optionally as a signed-in user. */
import { deleteApp, initializeApp } from "firebase/app";
import { connectFirestoreEmulator, type Firestore, getFirestore } from "firebase/firestore";
import type { TestEmulator } from "../../support/emulator.js";

let counter = 0;

export interface WebClient {
  db: Firestore;
  close(): Promise<void>;
}

export function webFirestore(emu: TestEmulator, options: { uid?: string; owner?: boolean } = {}): WebClient {
  const app = initializeApp({ projectId: emu.projectId, apiKey: "fake-api-key" }, `web-${counter++}`);
  const db = getFirestore(app);
  const mockUserToken = options.owner
    ? "owner"
    : options.uid
      ? { sub: options.uid, user_id: options.uid }
      : undefined;
  connectFirestoreEmulator(db, emu.host, emu.port, mockUserToken ? { mockUserToken } : {});
  return { db, close: () => deleteApp(app) };
}
