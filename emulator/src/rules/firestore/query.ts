import type { GateQuery, WireValue } from "../../shared/security.js";
import { partialKey } from "../eval/access.js";
import { MAX_QUERY_CASES } from "../eval/limits.js";
import { ANY_ID, GAP, type RequestSegment } from "../eval/match.js";
import { equals } from "../types/equals.js";
import { isKind, type RulesPartial, type RulesValue } from "../types/value.js";
import { fromWire } from "../wire.js";

/**
 * "Rules are not filters": a query is judged from its constraints. Its filter is put in disjunctive normal
 * form; every equality (and each `in` alternative) pins a field of `resource`, array-contains (and each
 * array-contains-any alternative) makes a list field known to hold a value, and each combination becomes
 * one case that the rules must allow on its own. Fields a case does not pin stay unknown.
 */

type Pins = Map<string, RulesValue[]>;

const FIELD_OPS: Record<number, string> = {
  1: "LESS_THAN",
  2: "LESS_THAN_OR_EQUAL",
  3: "GREATER_THAN",
  4: "GREATER_THAN_OR_EQUAL",
  5: "EQUAL",
  6: "NOT_EQUAL",
  7: "ARRAY_CONTAINS",
  8: "IN",
  9: "ARRAY_CONTAINS_ANY",
  10: "NOT_IN",
};
const UNARY_OPS: Record<number, string> = { 2: "IS_NAN", 3: "IS_NULL", 4: "IS_NOT_NAN", 5: "IS_NOT_NULL" };
const COMPOSITE_OPS: Record<number, string> = { 1: "AND", 2: "OR" };

const opName = (op: unknown, names: Record<number, string>): string =>
  typeof op === "number" ? (names[op] ?? "") : String(op ?? "");

/** Splits `a.b.\`c.d\`` into field names. */
export function fieldSegments(fieldPath: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < fieldPath.length; i++) {
    const c = fieldPath[i]!;
    if (c === "\\" && quoted) {
      cur += fieldPath[++i] ?? "";
    } else if (c === "`") {
      quoted = !quoted;
    } else if (c === "." && !quoted) {
      out.push(cur);
      cur = "";
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

function keyOf(field: unknown): string[] | undefined {
  const path = (field as { fieldPath?: string } | undefined)?.fieldPath;
  if (typeof path !== "string") return undefined;
  return path === "__name__" ? ["__name__"] : ["data", ...fieldSegments(path)];
}

/** Marks a Pins key as "the list contains" rather than "the field equals". */
const CONTAINS = "\u0001";
/** Marks a Pins key as "the field exists" (any other filter on it); its one value is `true`. */
const EXISTS = "\u0002";

function pinsOf(field: unknown, values: RulesValue[], contains = false): Pins[] {
  const key = keyOf(field);
  return key ? [new Map([[(contains ? CONTAINS : "") + partialKey(key), values]])] : [new Map()];
}

function existsOf(field: unknown): Pins[] {
  const key = keyOf(field);
  return key ? [new Map([[EXISTS + partialKey(key), [true]]])] : [new Map()];
}

function and(a: Pins[], b: Pins[]): Pins[] {
  const out: Pins[] = [];
  for (const x of a) {
    for (const y of b) {
      const merged: Pins = new Map(x);
      let satisfiable = true;
      for (const [k, vs] of y) {
        const prev = merged.get(k);
        const next = prev ? prev.filter((p) => vs.some((v) => equals(p, v) === true)) : vs;
        if (next.length === 0) satisfiable = false;
        merged.set(k, next);
      }
      if (satisfiable) out.push(merged);
      if (out.length > MAX_QUERY_CASES) return out;
    }
  }
  return out;
}

function dnf(filter: unknown): Pins[] {
  const f = (filter ?? {}) as Record<string, Record<string, unknown> | undefined>;
  if (f.fieldFilter) {
    const { field, op, value } = f.fieldFilter;
    const name = opName(op, FIELD_OPS);
    if (name === "EQUAL") return pinsOf(field, [fromWire(value as WireValue)]);
    if (name === "IN" || name === "ARRAY_CONTAINS_ANY") {
      const values = fromWire(value as WireValue);
      return pinsOf(field, Array.isArray(values) ? values : [], name === "ARRAY_CONTAINS_ANY");
    }
    if (name === "ARRAY_CONTAINS") return pinsOf(field, [fromWire(value as WireValue)], true);
    return existsOf(field);
  }
  if (f.unaryFilter) {
    const name = opName(f.unaryFilter.op, UNARY_OPS);
    if (name === "IS_NULL") return pinsOf(f.unaryFilter.field, [null]);
    if (name === "IS_NAN") return pinsOf(f.unaryFilter.field, [Number.NaN]);
    return existsOf(f.unaryFilter.field);
  }
  if (f.compositeFilter) {
    const parts = ((f.compositeFilter.filters as unknown[]) ?? []).map(dnf);
    if (opName(f.compositeFilter.op, COMPOSITE_OPS) === "OR") return parts.flat();
    return parts.reduce(and, [new Map()]);
  }
  return [new Map()];
}

export interface QueryShape {
  /** Path segments for matching, with the unnamed document id (and collection-group gap) symbolic. */
  segments: RequestSegment[];
  /** Segments of the queried collection, for `request.path`. */
  collection: string[];
  /** One `resource` per case; all must be allowed. */
  resources: RulesPartial[];
  /** `request.query`. */
  query: RulesValue;
}

export type QueryAnalysis = { ok: true; shape: QueryShape } | { ok: false; message: string };

function intOf(v: unknown): RulesValue {
  const n = typeof v === "object" && v !== null ? (v as { value?: unknown }).value : v;
  return typeof n === "number" || typeof n === "string" ? BigInt(n) : null;
}

export function analyzeQuery(q: GateQuery, database: string): QueryAnalysis {
  const sq = q.structuredQuery as Record<string, unknown>;
  const from =
    ((sq.from as { collectionId?: string; allDescendants?: boolean }[] | undefined) ?? [])[0] ?? {};
  const parent = q.parent.split("/").filter((s) => s !== "");
  const root = ["databases", database, "documents"];
  const collectionId = from.collectionId ?? "";
  let segments: RequestSegment[];
  if (from.allDescendants) {
    segments = collectionId ? [...root, ...parent, GAP, collectionId, ANY_ID] : [...root, ...parent, GAP];
  } else {
    segments = [...root, ...parent, collectionId, ANY_ID];
  }
  const orderBy = new Map<string, RulesValue>();
  const ordered: string[] = [];
  for (const o of (sq.orderBy as { field?: { fieldPath?: string }; direction?: unknown }[] | undefined) ??
    []) {
    const dir = o.direction === 2 || o.direction === "DESCENDING" ? "DESC" : "ASC";
    if (!o.field?.fieldPath) continue;
    orderBy.set(o.field.fieldPath, dir);
    const key = keyOf(o.field);
    if (key) ordered.push(partialKey(key));
  }
  // An unsatisfiable filter still gets judged once, with nothing pinned, rather than allowed outright.
  const satisfiable = dnf(sq.where);
  const cases: Pins[] = satisfiable.length > 0 ? satisfiable : [new Map()];
  const resources: RulesPartial[] = [];
  for (const pins of cases) {
    let combos: Map<string, RulesValue>[] = [new Map()];
    for (const [k, values] of pins) {
      combos = combos.flatMap((c) => values.map((v) => new Map(c).set(k, v)));
      if (combos.length > MAX_QUERY_CASES) break;
    }
    for (const combo of combos) {
      const pinned = new Map<string, RulesValue>();
      const contains = new Map<string, RulesValue[]>();
      const present = new Set<string>(ordered);
      for (const [k, v] of combo) {
        if (k.startsWith(EXISTS)) present.add(k.slice(EXISTS.length));
        else if (k.startsWith(CONTAINS)) contains.set(k.slice(CONTAINS.length), [v]);
        else pinned.set(k, v);
      }
      for (const k of [...pinned.keys(), ...contains.keys()]) present.add(k);
      const name = pinned.get("__name__");
      if (isKind(name, "path")) {
        const segs = name.segments;
        pinned.set("id", segs[segs.length - 1] ?? "");
      }
      resources.push({ type: "partial", prefix: [], pinned, contains, present, what: "resource" });
    }
    if (resources.length > MAX_QUERY_CASES) {
      return {
        ok: false,
        message: `The query's filters expand into more than ${MAX_QUERY_CASES} cases to judge.`,
      };
    }
  }
  const query: RulesValue = {
    type: "map",
    fields: new Map<string, RulesValue>([
      ["limit", intOf(sq.limit)],
      ["offset", intOf(sq.offset)],
      ["orderBy", { type: "map", fields: orderBy }],
    ]),
  };
  return { ok: true, shape: { segments, collection: [...parent, collectionId], resources, query } };
}
