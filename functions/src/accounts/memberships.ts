import type { Role } from "@hearth/schema";
import type { Firestore } from "firebase-admin/firestore";
import { groups } from "../db/refs.js";

export interface MembershipRef {
  orgId: string;
  role: Role;
}

/**
 * Every org `uid` belongs to, found through the members collection group (member documents carry
 * their uid; the collection-group index on members.uid serves this query).
 */
export async function membershipsOf(firestore: Firestore, uid: string): Promise<MembershipRef[]> {
  const snap = await groups.members(firestore).where("uid", "==", uid).get();
  return snap.docs
    .filter((d) => d.ref.parent.parent?.parent.id === "orgs")
    .map((d) => ({ orgId: d.ref.parent.parent!.id, role: d.data().role }));
}
