/** The one place that draws randomness: opaque tokens, transaction ids and event ids. */
import { randomBytes, randomUUID } from "node:crypto";

const AUTO_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomToken(bytes = 16): Buffer {
  return randomBytes(bytes);
}

export function eventId(): string {
  return randomUUID();
}

/** A 20-character document id like the SDKs generate. */
export function autoId(): string {
  const raw = randomBytes(20);
  let id = "";
  for (const byte of raw) id += AUTO_ID_ALPHABET[byte % AUTO_ID_ALPHABET.length];
  return id;
}
