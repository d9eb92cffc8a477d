import type { Expr } from "./nodes.js";

/** The direct sub-expressions of a node, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case "literal":
    case "ident":
      return [];
    case "member":
      return [e.object];
    case "index":
      return [e.object, e.index];
    case "slice":
      return [e.object, ...(e.from ? [e.from] : []), ...(e.to ? [e.to] : [])];
    case "call":
      return [e.callee, ...e.args];
    case "list":
      return e.items;
    case "map":
      return e.entries.flatMap((x) => [x.key, x.value]);
    case "unary":
      return [e.operand];
    case "binary":
    case "logical":
      return [e.left, e.right];
    case "ternary":
      return [e.cond, e.then, e.else];
    case "is":
      return [e.operand];
    case "path":
      return e.segments.flatMap((s) => s.parts.filter((p): p is Expr => typeof p !== "string"));
  }
}
