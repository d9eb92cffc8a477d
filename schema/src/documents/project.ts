import { z } from "zod";
import { LIMITS } from "./limits.js";
import { longText, nameText } from "./text.js";
import { FirestoreTimestamp } from "./timestamp.js";

export const PROJECT_STATUSES = ["active", "archived"] as const;
export const ProjectStatus = z.enum(PROJECT_STATUSES);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const ProjectName = nameText(LIMITS.projectNameMax);
export const ProjectDescription = longText(LIMITS.projectDescriptionMax);

/**
 * `orgs/{orgId}/projects/{projectId}`: the example business resource, written by clients. On create
 * `createdBy` is the caller and both timestamps are the server time (serverTimestamp()); afterwards
 * `createdBy` and `createdAt` never change and `updatedAt` is the server time of each update.
 */
export const ProjectDoc = z.object({
  name: ProjectName,
  description: ProjectDescription,
  status: ProjectStatus,
  createdBy: z.string().min(1),
  createdAt: FirestoreTimestamp,
  updatedAt: FirestoreTimestamp,
});
export type ProjectDoc = z.infer<typeof ProjectDoc>;

/** The fields a client chooses when it creates a project (the rest is the caller and server time). */
export const ProjectInput = z.object({
  name: ProjectName,
  description: ProjectDescription,
  status: ProjectStatus,
});
export type ProjectInput = z.infer<typeof ProjectInput>;

/** The fields a client may change on update (plus `updatedAt`, which must be serverTimestamp()). */
export const ProjectUpdate = ProjectInput.partial();
export type ProjectUpdate = z.infer<typeof ProjectUpdate>;
