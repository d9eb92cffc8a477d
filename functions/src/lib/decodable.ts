/**
 * What firebase-functions' callable decoding cannot take, checked before it runs: its decoder recurses once
 * per level (deep JSON overflows the stack) and throws on `@type` tags it does not know or whose value is
 * not a number, and either failure is answered as HTTP 500 `internal`. A `__proto__` key is refused too:
 * the decoder assigns it, which swaps the decoded object's prototype instead of adding a field.
 */

/** Deeper than any callable input (the deepest is two levels) and than a Firestore document (20). */
export const MAX_CALL_DEPTH = 32;

const NUMBER_TAGS = new Set([
  "type.googleapis.com/google.protobuf.Int64Value",
  "type.googleapis.com/google.protobuf.UInt64Value",
]);

export type UndecodableProblem = "too-deep" | "type-tag" | "reserved-key";

/** The first problem found in the call's `data`, or undefined when the decoder can take it. Iterative. */
export function undecodable(data: unknown): UndecodableProblem | undefined {
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_CALL_DEPTH) return "too-deep";
    if (!Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (Object.hasOwn(record, "__proto__")) return "reserved-key";
      // The decoder treats any truthy `@type` as a tag and replaces the whole object by its number.
      const tag = record["@type"];
      if (tag) {
        const number = record.value;
        const numeric = typeof number === "string" || typeof number === "number";
        if (
          typeof tag !== "string" ||
          !NUMBER_TAGS.has(tag) ||
          !numeric ||
          Number.isNaN(Number.parseFloat(String(number)))
        ) {
          return "type-tag";
        }
        continue;
      }
    }
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}
