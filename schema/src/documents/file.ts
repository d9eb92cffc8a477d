import { z } from "zod";
import { FirestoreTimestamp } from "./timestamp.js";

/**
 * `orgs/{orgId}/files/{fileId}`: the record of an uploaded object at the same path in the bucket, written
 * by the storage trigger only.
 */
export const FileDoc = z.object({
  /** Object path in the bucket: `orgs/{orgId}/files/{fileId}`. */
  storagePath: z.string().min(1),
  size: z.number().int().nonnegative(),
  contentType: z.string().min(1),
  uploadedBy: z.string().min(1),
  createdAt: FirestoreTimestamp,
  /** Storage's generation of the object this record describes (makes redelivered events no-ops). */
  generation: z.string().min(1).optional(),
});
export type FileDoc = z.infer<typeof FileDoc>;
