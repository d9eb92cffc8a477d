import { z } from "zod";
import { LIMITS } from "./limits.js";
import { nameText } from "./text.js";
import { FirestoreTimestamp } from "./timestamp.js";

export const DisplayName = nameText(LIMITS.displayNameMax);
export const PhotoUrl = z
  .string()
  .max(LIMITS.photoUrlMax)
  .regex(/^https:\/\/.+/, "photoURL must be an https URL");

/** The fields a signed-in user may write on their own `users/{uid}` document. */
export const UserProfileUpdate = z
  .object({
    displayName: DisplayName.nullable(),
    photoURL: PhotoUrl.nullable(),
  })
  .partial()
  .strict();
export type UserProfileUpdate = z.infer<typeof UserProfileUpdate>;

/** `users/{uid}`: the profile. `email` and `createdAt` are written by the server only. */
export const UserDoc = z.object({
  displayName: DisplayName.nullable(),
  photoURL: PhotoUrl.nullable(),
  email: z.string().nullable(),
  createdAt: FirestoreTimestamp,
});
export type UserDoc = z.infer<typeof UserDoc>;
