/**
 * Whether a Stripe event fits in a Firestore document. Firestore refuses a document over 1 MiB
 * (1,048,576 bytes, counted its own way) or with maps and arrays nested more than 20 levels; an event
 * that breaks either can never be stored, however often Stripe redelivers it.
 */

/** Firestore's largest document, in its own size units. */
export const MAX_DOCUMENT_BYTES = 1_048_576;
/** Firestore's deepest nesting of maps and arrays in a document. */
export const MAX_DOCUMENT_DEPTH = 20;
/** Room kept for the record's other fields and its name (type, status, timestamps...). */
const RECORD_OVERHEAD_BYTES = 4_096;

export type EventMisfit = "too-large" | "too-deep";

/**
 * Firestore's size of a parsed JSON value (strings and names: UTF-8 bytes + 1; numbers 8; booleans and
 * null 1; maps and arrays the sum of their parts) and its depth (a scalar 0, a map or array 1 + its
 * deepest child). Iterative, so a value nested thousands of levels deep cannot overflow the stack; it
 * stops counting once both limits are known to be exceeded.
 */
export function measureJson(value: unknown): { bytes: number; depth: number } {
  let bytes = 0;
  let depth = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number };
    const v = item.value;
    if (typeof v === "string") bytes += Buffer.byteLength(v, "utf8") + 1;
    else if (typeof v === "number") bytes += 8;
    else if (v === null || typeof v === "boolean") bytes += 1;
    else if (Array.isArray(v)) {
      depth = Math.max(depth, item.depth + 1);
      for (const child of v) stack.push({ value: child, depth: item.depth + 1 });
    } else if (typeof v === "object") {
      depth = Math.max(depth, item.depth + 1);
      for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
        bytes += Buffer.byteLength(key, "utf8") + 1;
        stack.push({ value: child, depth: item.depth + 1 });
      }
    }
    if (bytes > MAX_DOCUMENT_BYTES && depth > MAX_DOCUMENT_DEPTH) break;
  }
  return { bytes, depth };
}

/** Why `event`, stored as one field of a record, cannot be written; null when it fits. */
export function eventMisfit(measured: { bytes: number; depth: number }): EventMisfit | null {
  // The event is a map one level inside its record, so it may nest one level less than a document.
  if (measured.depth > MAX_DOCUMENT_DEPTH - 1) return "too-deep";
  if (measured.bytes > MAX_DOCUMENT_BYTES - RECORD_OVERHEAD_BYTES) return "too-large";
  return null;
}
