/** firebase-admin (the one the functions ship with), pointed at an emulator process. */
import { initializeApp } from "firebase-admin/app";
import { type Firestore, getFirestore } from "firebase-admin/firestore";

export type { Firestore };

/**
 * A Firestore client of its own app (`name`), so two clients of one project keep separate gRPC
 * channels, as two processes would.
 */
export function adminFirestore(port: number, projectId: string, name = projectId): Firestore {
  const db = getFirestore(initializeApp({ projectId }, name));
  db.settings({ host: `127.0.0.1:${port}`, ssl: false });
  return db;
}
