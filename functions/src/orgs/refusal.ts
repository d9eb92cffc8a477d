import { AppError } from "../lib/errors.js";
import type { Refusal } from "./roles.js";

const MESSAGES: Record<Refusal, string> = {
  role: "Your role does not allow this action.",
  self: "You cannot do this to yourself.",
  "target-owner": "The owner cannot be changed or removed; transfer ownership first.",
  "target-admin": "Only the owner can change or remove an admin.",
  "grant-admin": "Only the owner can make someone an admin.",
  "owner-cannot-leave": "The owner cannot leave; transfer ownership or delete the organization.",
  "not-owner": "Only the owner can do this.",
};

/** The AppError a callable answers for a refusal from roles.ts; `reason` is the refusal itself. */
export function refusalError(reason: Refusal): AppError {
  const code = reason === "owner-cannot-leave" ? "failed-precondition" : "permission-denied";
  return new AppError(code, MESSAGES[reason], { reason });
}
