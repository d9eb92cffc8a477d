import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Invitation secrets. Only the SHA-256 of a token is stored, so a leaked invites collection cannot be
 * used to join; the token itself travels only in the invitation email.
 */
export function newInviteToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of a presented token with a stored hash. */
export function inviteTokenMatches(token: string, storedHash: unknown): boolean {
  if (typeof storedHash !== "string") return false;
  const a = Buffer.from(hashInviteToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
