import type { Span } from "../source.js";
import { equals } from "../types/equals.js";
import { type RulesError, rulesError, unknownInQuery } from "../types/error.js";
import { isError, type Result, type RulesPartial, type RulesValue, typeName } from "../types/value.js";

const KEY_SEP = "\u0000";

export function partialKey(segments: string[]): string {
  return segments.join(KEY_SEP);
}

function unknownField(p: RulesPartial, name: string, span: Span): RulesError {
  const field = [...p.prefix, name].join(".");
  return unknownInQuery(span, `${p.what}.${field} is not constrained by the query.`);
}

/** Whether a partial stands for a list known only by some of its elements. */
export function isPartialList(p: RulesPartial): boolean {
  return p.contains.has(partialKey(p.prefix));
}

/** One step into a partly known value: a pinned value, a deeper partial, or unknown. */
export function partialChild(p: RulesPartial, name: string, span: Span): Result {
  const segments = [...p.prefix, name];
  const key = partialKey(segments);
  const pinned = p.pinned.get(key);
  if (pinned !== undefined || p.pinned.has(key)) return pinned!;
  const deeper = (): RulesPartial => ({ ...p, prefix: segments });
  if (isPartialList(p)) return unknownField(p, name, span);
  // A document always has a data map, even when no field of it is pinned.
  if (p.prefix.length === 0 && name === "data" && p.what === "resource") return deeper();
  if (p.contains.has(key)) return deeper();
  const prefix = key + KEY_SEP;
  for (const k of [...p.pinned.keys(), ...p.contains.keys()]) {
    if (k.startsWith(prefix)) return deeper();
  }
  return unknownField(p, name, span);
}

/** Names of the fields directly below a partial map that every result is known to have. */
function presentChildren(p: RulesPartial): string[] {
  const prefix = p.prefix.length === 0 ? "" : partialKey(p.prefix) + KEY_SEP;
  const names = new Set<string>();
  for (const k of p.present) {
    if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split(KEY_SEP)[0]!);
  }
  return [...names];
}

/** `key in map` for a partly known map: true when the query guarantees the field, else unknown. */
export function partialMapHas(p: RulesPartial, key: RulesValue): boolean {
  return !isPartialList(p) && typeof key === "string" && presentChildren(p).includes(key);
}

/** `x in list` for a list known only to contain some values: true when x is one of them, else unknown. */
export function partialListHas(p: RulesPartial, x: RulesValue): boolean {
  const known = p.contains.get(partialKey(p.prefix)) ?? [];
  return known.some((k) => equals(k, x) === true);
}

/** `obj.name` */
export function memberOf(obj: RulesValue, name: string, span: Span): Result {
  if (obj === null) return rulesError("null-value", `Null value error: cannot read '${name}' of null.`, span);
  if (typeof obj === "object" && !Array.isArray(obj)) {
    if (obj.type === "map") {
      const v = obj.fields.get(name);
      if (v !== undefined) return v;
      return rulesError("undefined-property", `Property ${name} is undefined on object.`, span);
    }
    if (obj.type === "partial") return partialChild(obj, name, span);
  }
  return rulesError("no-such-overload", `Cannot read property '${name}' of a ${typeName(obj)}.`, span);
}

/** `obj[index]` */
export function indexOf(obj: RulesValue, index: RulesValue, span: Span): Result {
  if (obj === null) return rulesError("null-value", "Null value error: cannot index null.", span);
  if (typeof index === "string" && typeof obj === "object" && !Array.isArray(obj)) {
    if (obj.type === "map" && !obj.fields.has(index)) {
      // A computed key may be stored data; unlike `.name` it is not repeated back to the client.
      return rulesError("undefined-property", "Key is undefined on map.", span);
    }
    if (obj.type === "map" || obj.type === "partial") return memberOf(obj, index, span);
  }
  if (typeof index === "bigint") {
    const items = Array.isArray(obj)
      ? obj
      : typeof obj === "string"
        ? [...obj]
        : typeof obj === "object" && obj.type === "path"
          ? obj.segments
          : undefined;
    if (items) {
      if (index < 0n || index >= BigInt(items.length)) {
        return rulesError(
          "index-out-of-range",
          `Index ${index} is out of range for size ${items.length}.`,
          span,
        );
      }
      return items[Number(index)]!;
    }
  }
  return rulesError("no-such-overload", `Cannot index a ${typeName(obj)} with a ${typeName(index)}.`, span);
}

/**
 * Methods on a partly known value: `get(key, default)` of a pinned key, and hasAny/hasAll on a list whose
 * known elements settle the answer. Anything else is unknown.
 */
export function partialMethod(p: RulesValue, name: string, args: RulesValue[], span: Span): Result {
  const partial = p as RulesPartial;
  if (name === "keys" && args.length === 0 && !isPartialList(partial)) {
    // A list known to contain the guaranteed field names (and maybe others): hasAll/hasAny/in work on it.
    // A control character cannot clash with a field name a query could constrain.
    const prefix = [...partial.prefix, "\u0003keys"];
    return {
      ...partial,
      prefix,
      contains: new Map([[partialKey(prefix), presentChildren(partial)]]),
      what: `${partial.what}.${partial.prefix.join(".")}`,
    };
  }
  const items = Array.isArray(args[0]) ? args[0] : null;
  if (isPartialList(partial) && items && args.length === 1) {
    if (name === "hasAny" && items.some((x) => partialListHas(partial, x))) return true;
    if (name === "hasAll" && items.every((x) => partialListHas(partial, x))) return true;
  }
  if (name === "get" && args.length === 2 && !isPartialList(partial)) {
    const keys = Array.isArray(args[0]) ? args[0] : [args[0]!];
    let cur: Result = partial;
    for (const k of keys) {
      if (typeof k !== "string")
        return rulesError("no-such-overload", "map.get() keys must be strings.", span);
      if (isError(cur) || cur === null || typeof cur !== "object" || Array.isArray(cur)) return args[1]!;
      if (cur.type === "map") {
        // Below a pinned map the value is fully known: an absent key takes the default.
        if (!cur.fields.has(k)) return args[1]!;
        cur = cur.fields.get(k)!;
      } else if (cur.type === "partial") {
        cur = partialChild(cur, k, span);
        if (isError(cur)) return cur;
      } else {
        return args[1]!;
      }
    }
    return cur;
  }
  return unknownInQuery(
    span,
    `${partial.what}.${[...partial.prefix, name].join(".")}() is not known for a query.`,
  );
}
