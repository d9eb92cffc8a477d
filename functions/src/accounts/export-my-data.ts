import { ExportMyDataInput, type ExportMyDataOutput } from "@hearth/schema";
import type { Timestamp } from "firebase-admin/firestore";
import { refs } from "../db/refs.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import type { Caller } from "../lib/guards.js";
import { membershipsOf } from "./memberships.js";

const iso = (value: Timestamp | undefined) => value?.toDate().toISOString() ?? null;

/**
 * The caller's own data as plain JSON: profile, memberships, and the projects they created in orgs they
 * belong to. Other members' data is not included.
 */
export async function exportMyDataHandler(
  deps: Deps,
  caller: Caller,
  _input: ExportMyDataInput,
): Promise<ExportMyDataOutput> {
  const [profile, memberships] = await Promise.all([
    refs.profile(deps.db, caller.uid).get(),
    membershipsOf(deps.db, caller.uid),
  ]);
  const me = profile.data();
  const out: ExportMyDataOutput = {
    exportedAt: deps.clock.now().toISOString(),
    uid: caller.uid,
    profile: me
      ? {
          email: me.email ?? null,
          displayName: me.displayName ?? null,
          photoURL: me.photoURL ?? null,
          createdAt: iso(me.createdAt),
        }
      : null,
    memberships: [],
    projects: [],
  };
  for (const { orgId, role } of memberships) {
    const [org, member, projects] = await Promise.all([
      refs.org(deps.db, orgId).get(),
      refs.member(deps.db, orgId, caller.uid).get(),
      refs.projects(deps.db, orgId).where("createdBy", "==", caller.uid).get(),
    ]);
    out.memberships.push({
      orgId,
      orgName: org.data()?.name ?? null,
      role,
      joinedAt: iso(member.data()?.joinedAt),
    });
    for (const p of projects.docs) {
      const project = p.data();
      out.projects.push({
        orgId,
        projectId: p.id,
        name: project.name,
        description: project.description,
        status: project.status,
        createdAt: iso(project.createdAt),
        updatedAt: iso(project.updatedAt),
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
