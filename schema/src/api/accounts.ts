import { z } from "zod";
import { Role } from "../roles.js";

/** Inputs and outputs of the account callables: a user's own data export and account deletion. */

export const ExportMyDataInput = z.strictObject({});
export type ExportMyDataInput = z.infer<typeof ExportMyDataInput>;

/** Timestamps in the export are ISO 8601 strings, so the export is plain JSON. */
const IsoTime = z.string().nullable();

export const ExportedMembership = z.object({
  orgId: z.string(),
  orgName: z.string().nullable(),
  role: Role,
  joinedAt: IsoTime,
});
export type ExportedMembership = z.infer<typeof ExportedMembership>;

export const ExportedProject = z.object({
  orgId: z.string(),
  projectId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type ExportedProject = z.infer<typeof ExportedProject>;

export const ExportMyDataOutput = z.object({
  exportedAt: z.string(),
  uid: z.string(),
  profile: z
    .object({
      email: z.string().nullable(),
      displayName: z.string().nullable(),
      photoURL: z.string().nullable(),
      createdAt: IsoTime,
    })
    .nullable(),
  memberships: z.array(ExportedMembership),
  /** Projects the user created, in every org they still belong to. */
  projects: z.array(ExportedProject),
});
export type ExportMyDataOutput = z.infer<typeof ExportMyDataOutput>;

export const DeleteMyAccountInput = z.strictObject({});
export type DeleteMyAccountInput = z.infer<typeof DeleteMyAccountInput>;
