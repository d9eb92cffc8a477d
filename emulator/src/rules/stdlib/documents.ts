import { isError, isKind, type Result, type RulesValue } from "../types/value.js";
import { type CallContext, entry, type MethodTable, noOverload } from "./overload.js";

function read(name: string, after: boolean, existence: boolean) {
  return (_: null, [p]: RulesValue[], ctx: CallContext): Result => {
    if (!isKind(p, "path")) {
      return noOverload(ctx, name, [p!]);
    }
    const doc = ctx.runtime.readDocument(p, after, ctx.span);
    if (!existence || isError(doc)) return doc;
    return doc !== null;
  };
}

// biome-ignore format: one overload per line reads as a table
export const DOCUMENT_FUNCTIONS: MethodTable<null> = {
  get:         entry(1, read("get", false, false)),
  exists:      entry(1, read("exists", false, true)),
  getAfter:    entry(1, read("getAfter", true, false)),
  existsAfter: entry(1, read("existsAfter", true, true)),
};

/** Storage rules reach Firestore through `firestore.get()` and `firestore.exists()`. */
// biome-ignore format: one overload per line reads as a table
export const CROSS_SERVICE_FUNCTIONS: MethodTable<null> = {
  "firestore.get":    entry(1, read("firestore.get", false, false)),
  "firestore.exists": entry(1, read("firestore.exists", false, true)),
};
