import { z } from "zod";
import { LIMITS } from "./limits.js";
import { jsPattern, nameText, PHOTO_URL_PATTERN } from "./text.js";
import { FirestoreTimestamp } from "./timestamp.js";

export const DisplayName = nameText(LIMITS.displayNameMax);
export const PhotoUrl = z
  .string()
  .max(LIMITS.photoUrlMax)
  .regex(jsPattern(PHOTO_URL_PATTERN), "photoURL must be an https URL, without spaces or control characters");

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
