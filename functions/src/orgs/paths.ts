import type { Firestore } from "firebase-admin/firestore";

/** References to the org documents this feature reads and writes (DESIGN.md data model). */
export function orgRef(firestore: Firestore, orgId: string) {
  return firestore.collection("orgs").doc(orgId);
}

export function memberRef(firestore: Firestore, orgId: string, uid: string) {
  return orgRef(firestore, orgId).collection("members").doc(uid);
}

export function inviteRef(firestore: Firestore, orgId: string, inviteId: string) {
  return orgRef(firestore, orgId).collection("invites").doc(inviteId);
}

export function userRef(firestore: Firestore, uid: string) {
  return firestore.collection("users").doc(uid);
}
