import { createHash } from "node:crypto";
import type { AiUsage } from "@hearth/schema";
import { type Firestore, Timestamp } from "firebase-admin/firestore";
import { validData } from "../db/read.js";
import { refs } from "../db/refs.js";

/**
 * The answer cache, `aiCache/{hash}`: an identical request (same org, model, output limit and normalized
 * prompt) within the TTL is answered for free. The org is part of the key, so answers never cross
 * tenants. `expiresAt` is the field Firestore's TTL policy deletes on; prune-ai-cache.ts does the same
 * on the local stack.
 */
/** Same meaning, same key: Unicode NFC, LF line ends, no trailing spaces per line, no outer blank space. */
export function normalizePrompt(prompt: string): string {
  return prompt
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .trim();
}

export function cacheKey(orgId: string, model: string, maxOutputTokens: number, prompt: string): string {
  const material = JSON.stringify(["v1", orgId, model, maxOutputTokens, normalizePrompt(prompt)]);
  return createHash("sha256").update(material).digest("hex");
}

export interface CachedAnswer {
  text: string;
  /** What the original call was charged; a hit is charged nothing. */
  usage: AiUsage;
}

/** The cached answer, if any and not expired; an entry that does not fit its schema is logged and missed. */
export async function readCache(db: Firestore, key: string, now: Date): Promise<CachedAnswer | undefined> {
  const entry = validData(await refs.aiCache(db, key).get(), "aiGenerate.cache");
  if (!entry || entry.expiresAt.toMillis() <= now.getTime()) return undefined;
  return { text: entry.text, usage: entry.usage };
}

export async function writeCache(
  db: Firestore,
  entry: { key: string; orgId: string; model: string; answer: CachedAnswer },
  now: Date,
  ttlSeconds: number,
): Promise<void> {
  await refs.aiCache(db, entry.key).set({
    orgId: entry.orgId,
    model: entry.model,
    text: entry.answer.text,
    usage: entry.answer.usage,
    createdAt: Timestamp.fromDate(now),
    expiresAt: Timestamp.fromMillis(now.getTime() + ttlSeconds * 1000),
  });
}
