import type { z } from "zod";
import { AppError } from "./errors.js";

/** Parses `input` with `schema`; a mismatch is `invalid-argument` with one message per field path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    fields[key] ??= issue.message;
  }
  throw new AppError("invalid-argument", "The request is not valid.", { reason: "validation", fields });
}
