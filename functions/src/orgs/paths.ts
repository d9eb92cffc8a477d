import { paths } from "@hearth/schema";
import type { Firestore } from "firebase-admin/firestore";

/** Admin references to the documents this feature writes, built from the data model's paths. */
export function orgRef(firestore: Firestore, orgId: string) {
  return firestore.doc(paths.org(orgId));
}

export function memberRef(firestore: Firestore, orgId: string, uid: string) {
  return firestore.doc(paths.member(orgId, uid));
}

export function inviteRef(firestore: Firestore, orgId: string, inviteId: string) {
  return firestore.doc(paths.invite(orgId, inviteId));
}

export function userRef(firestore: Firestore, uid: string) {
  return firestore.doc(paths.user(uid));
}
