/**
 * Who is calling, from the `authorization` header: `Bearer owner` is the admin bypass; anything else is
 * an unsigned emulator ID token decoded into `request.auth`, or null when absent or unreadable. Tokens are
 * never verified (emulator tokens are unsigned and expired by design).
 */
import type { GateAuth } from "../shared/security.js";

export type Principal = { owner: true } | { owner: false; auth: GateAuth };

export const OWNER: Principal = { owner: true };

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8"));
}

export function decodeToken(token: string): GateAuth {
  const parts = token.split(".");
  if (parts.length < 2) return null;
  try {
    const payload = decodeSegment(parts[1]!);
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return null;
    const claims = payload as Record<string, unknown>;
    const uid = claims.sub ?? claims.user_id;
    if (typeof uid !== "string" || uid === "") return null;
    return { uid, token: claims };
  } catch {
    return null;
  }
}

export function principalFromHeader(header: string | undefined): Principal {
  if (!header) return { owner: false, auth: null };
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return { owner: false, auth: null };
  const token = m[1]!.trim();
  if (token === "owner") return OWNER;
  return { owner: false, auth: decodeToken(token) };
}
