import { z } from "zod";

/**
 * A Firestore timestamp as both SDKs hand it out (`Timestamp` from firebase-admin and from the JS SDK
 * expose `seconds` and `nanoseconds`). Checked structurally so one schema serves every client; in JSON
 * Schema it is the same two-field object.
 */
export const FirestoreTimestamp = z.object({
  seconds: z.number().int(),
  nanoseconds: z.number().int().min(0).max(999_999_999),
});
export type FirestoreTimestamp = z.infer<typeof FirestoreTimestamp>;
