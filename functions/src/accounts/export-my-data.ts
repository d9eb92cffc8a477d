import { ExportMyDataInput, type ExportMyDataOutput } from "@hearth/schema";
import type { Timestamp } from "firebase-admin/firestore";
import { defineCallable } from "../lib/callable.js";
import { type Caller, requireAuth } from "../lib/guards.js";
import { liveDeps, type OrgDeps } from "../orgs/deps.js";
import { orgRef, userRef } from "../orgs/paths.js";
import { membershipsOf } from "./memberships.js";

function iso(value: unknown): string | null {
  return value && typeof (value as Timestamp).toDate === "function"
    ? (value as Timestamp).toDate().toISOString()
    : null;
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * The caller's own data as plain JSON: profile, memberships, and the projects they created in orgs they
 * belong to. Other members' data is not included.
 */
export async function exportMyDataHandler(
  deps: OrgDeps,
  caller: Caller,
  _input: ExportMyDataInput,
): Promise<ExportMyDataOutput> {
  const [profile, memberships] = await Promise.all([
    userRef(deps.db, caller.uid).get(),
    membershipsOf(deps.db, caller.uid),
  ]);
  const out: ExportMyDataOutput = {
    exportedAt: deps.clock.now().toISOString(),
    uid: caller.uid,
    profile: profile.exists
      ? {
          email: str(profile.get("email")),
          displayName: str(profile.get("displayName")),
          photoURL: str(profile.get("photoURL")),
          createdAt: iso(profile.get("createdAt")),
        }
      : null,
    memberships: [],
    projects: [],
  };
  for (const { orgId, role } of memberships) {
    const org = orgRef(deps.db, orgId);
    const [orgSnap, member, projects] = await Promise.all([
      org.get(),
      org.collection("members").doc(caller.uid).get(),
      org.collection("projects").where("createdBy", "==", caller.uid).get(),
    ]);
    out.memberships.push({
      orgId,
      orgName: str(orgSnap.get("name")),
      role,
      joinedAt: iso(member.get("joinedAt")),
    });
    for (const p of projects.docs) {
      out.projects.push({
        orgId,
        projectId: p.id,
        name: String(p.get("name") ?? ""),
        description: str(p.get("description")),
        status: str(p.get("status")),
        createdAt: iso(p.get("createdAt")),
        updatedAt: iso(p.get("updatedAt")),
      });
    }
  }
  return out;
}

export const exportMyData = defineCallable("exportMyData", {
  input: ExportMyDataInput,
  deps: liveDeps,
  handler: exportMyDataHandler,
});
