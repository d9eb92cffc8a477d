import type { Expr, Literal, MatchDecl, RulesFile } from "./nodes.js";

/** A compact S-expression rendering of the AST, for parser goldens and debugging. */

function literal(v: Literal): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}`;
  if (typeof v === "number") return Number.isInteger(v) ? `${v}.0` : `${v}`;
  if (v instanceof Uint8Array) return `b[${[...v].join(",")}]`;
  return String(v);
}

export function printExpr(e: Expr, ids = false): string {
  const p = (x: Expr): string => printExpr(x, ids);
  const tag = (name: string): string => (ids ? `${name}#${e.id}` : name);
  switch (e.kind) {
    case "literal":
      return literal(e.value);
    case "ident":
      return e.name;
    case "member":
      return `(. ${p(e.object)} ${e.name})`;
    case "index":
      return `([] ${p(e.object)} ${p(e.index)})`;
    case "slice":
      return `([:] ${p(e.object)} ${e.from ? p(e.from) : "_"} ${e.to ? p(e.to) : "_"})`;
    case "call":
      return `(${tag("call")} ${p(e.callee)}${e.args.map((a) => ` ${p(a)}`).join("")})`;
    case "list":
      return `[${e.items.map(p).join(" ")}]`;
    case "map":
      return `{${e.entries.map((x) => `${p(x.key)}: ${p(x.value)}`).join(", ")}}`;
    case "unary":
      return `(${e.op} ${p(e.operand)})`;
    case "binary":
    case "logical":
      return `(${tag(e.op)} ${p(e.left)} ${p(e.right)})`;
    case "ternary":
      return `(? ${p(e.cond)} ${p(e.then)} ${p(e.else)})`;
    case "is":
      return `(is ${p(e.operand)} ${e.type})`;
    case "path":
      return `(path ${e.segments.map((s) => s.parts.map((x) => (typeof x === "string" ? x : `$(${p(x)})`)).join("")).join("/")})`;
  }
}

function printMatch(m: MatchDecl, indent: string): string[] {
  const pattern = m.pattern
    .map((s) => (s.kind === "literal" ? s.value : s.kind === "var" ? `{${s.name}}` : `{${s.name}=**}`))
    .join("/");
  return [
    `${indent}match /${pattern}`,
    ...m.functions.map((f) => `${indent}  function ${f.name}(${f.params.join(", ")}) = ${printExpr(f.body)}`),
    ...m.allows.map(
      (a) => `${indent}  allow ${a.methods.join(",")}: ${a.condition ? printExpr(a.condition) : "always"}`,
    ),
    ...m.matches.flatMap((c) => printMatch(c, `${indent}  `)),
  ];
}

export function printFile(f: RulesFile): string {
  return [
    `version ${f.version}`,
    ...f.functions.map((fn) => `function ${fn.name}(${fn.params.join(", ")}) = ${printExpr(fn.body)}`),
    ...f.services.flatMap((s) => [
      `service ${s.name}`,
      ...s.functions.map((fn) => `  function ${fn.name}(${fn.params.join(", ")}) = ${printExpr(fn.body)}`),
      ...s.matches.flatMap((m) => printMatch(m, "  ")),
    ]),
  ].join("\n");
}
