import { type Role, roleAtLeast } from "@hearth/schema";
import { type Actor, type OrgId, roleOf, uidOf } from "./world.js";

/** One client request of the randomized suite, in the terms of the data model. */
export type ModelRequest =
  | { kind: "getOrg" | "listMembers" | "listProjects" | "listInvites" | "readAudit"; org: OrgId }
  | { kind: "readUsage" | "listUsageShards" | "readFiles" | "readPrivate"; org: OrgId }
  | { kind: "writeUsage" | "writeAudit" | "writeFile" | "writePrivate" | "writeInvite"; org: OrgId }
  | { kind: "updateOrg"; org: OrgId; variant: "name" | "settings" | "serverField" | "emptyName" }
  | { kind: "getMember"; org: OrgId; target: string }
  | { kind: "writeMember"; org: OrgId; variant: "raiseSelf" | "addSelf" | "demoteOwner" }
  | { kind: "memberships"; target: string }
  | { kind: "getProject"; org: OrgId; projectId: string }
  | {
      kind: "createProject";
      org: OrgId;
      projectId: string;
      variant: "valid" | "forgedCreatedBy" | "otherOrgField" | "longName";
    }
  | {
      kind: "updateProject";
      org: OrgId;
      projectId: string;
      variant: "valid" | "changeCreatedBy" | "badStatus";
    }
  | { kind: "deleteProject"; org: OrgId; projectId: string }
  | { kind: "getUser"; target: string }
  | { kind: "updateUser"; variant: "profile" | "email" }
  | { kind: "bookkeeping"; path: string; write: boolean };

/** What the model remembers between requests: who created each project, by org. */
export type ModelState = Record<OrgId, Map<string, string>>;

/**
 * The role matrix of DESIGN.md as plain code, independent of firestore.rules: true when the request
 * must be allowed. Soft-deleted orgs (`defunct`) are read-only.
 */
export function expectedVerdict(request: ModelRequest, actor: Actor, state: ModelState): boolean {
  const uid = uidOf(actor);
  const org = "org" in request ? request.org : null;
  const role: Role | null = org ? roleOf(actor, org) : null;
  const atLeast = (min: Role) => role !== null && roleAtLeast(role, min);
  const live = org !== "defunct";
  switch (request.kind) {
    case "getOrg":
    case "listMembers":
    case "listProjects":
    case "getProject":
    case "readUsage":
    case "listUsageShards":
    case "readFiles":
      return atLeast("viewer");
    case "listInvites":
    case "readAudit":
      return atLeast("admin");
    case "getMember":
      return (uid !== null && uid === request.target) || atLeast("viewer");
    case "memberships":
      return uid !== null && uid === request.target;
    case "updateOrg":
      return live && atLeast("admin") && (request.variant === "name" || request.variant === "settings");
    case "createProject":
      return live && atLeast("member") && request.variant === "valid";
    case "updateProject":
    case "deleteProject": {
      if (request.kind === "updateProject" && request.variant !== "valid") return false;
      const creator = state[request.org].get(request.projectId);
      return live && (atLeast("admin") || (atLeast("member") && creator === uid));
    }
    case "getUser":
      return uid !== null && uid === request.target;
    case "updateUser":
      return uid !== null && request.variant === "profile";
    case "writeUsage":
    case "writeAudit":
    case "writeFile":
    case "writePrivate":
    case "writeInvite":
    case "writeMember":
    case "readPrivate":
    case "bookkeeping":
      return false;
  }
}

/** Applies an allowed request to the model. */
export function applyToModel(request: ModelRequest, actor: Actor, state: ModelState): void {
  if (request.kind === "createProject") state[request.org].set(request.projectId, uidOf(actor)!);
  if (request.kind === "deleteProject") state[request.org].delete(request.projectId);
}
