import type { Span } from "../source.js";

/** Every node carries a span; expression nodes also carry an id unique within one ruleset. */
interface Base {
  span: Span;
}

interface ExprBase extends Base {
  id: number;
}

export type Literal = null | boolean | bigint | number | string | Uint8Array;

export type Expr =
  | (ExprBase & { kind: "literal"; value: Literal })
  | (ExprBase & { kind: "ident"; name: string })
  | (ExprBase & { kind: "member"; object: Expr; name: string })
  | (ExprBase & { kind: "index"; object: Expr; index: Expr })
  | (ExprBase & { kind: "slice"; object: Expr; from: Expr | null; to: Expr | null })
  | (ExprBase & { kind: "call"; callee: Expr; args: Expr[] })
  | (ExprBase & { kind: "list"; items: Expr[] })
  | (ExprBase & { kind: "map"; entries: { key: Expr; value: Expr }[] })
  | (ExprBase & { kind: "unary"; op: "!" | "-"; operand: Expr })
  | (ExprBase & { kind: "binary"; op: BinaryOp; left: Expr; right: Expr })
  | (ExprBase & { kind: "logical"; op: "&&" | "||"; left: Expr; right: Expr })
  | (ExprBase & { kind: "ternary"; cond: Expr; then: Expr; else: Expr })
  | (ExprBase & { kind: "is"; operand: Expr; type: string })
  | (ExprBase & { kind: "path"; segments: PathSegment[] });

export type ExprKind = Expr["kind"];
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;

export type BinaryOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "+" | "-" | "*" | "/" | "%";

/** A path literal segment: raw text, or `$(expr)` interpolation. Adjacent parts concatenate. */
export type PathSegment = { parts: (string | Expr)[]; span: Span };

export type PatternSegment =
  | { kind: "literal"; value: string }
  | { kind: "var"; name: string }
  | { kind: "rest"; name: string };

export type Method = "get" | "list" | "create" | "update" | "delete";

export interface FunctionDecl extends Base {
  kind: "function";
  name: string;
  params: string[];
  lets: { name: string; value: Expr; span: Span }[];
  body: Expr;
}

export interface AllowDecl extends Base {
  kind: "allow";
  /** The methods as written (read and write kept, for messages) and expanded. */
  written: string[];
  methods: Method[];
  /** null for an unconditional `allow read;`. */
  condition: Expr | null;
}

export interface MatchDecl extends Base {
  kind: "match";
  pattern: PatternSegment[];
  functions: FunctionDecl[];
  allows: AllowDecl[];
  matches: MatchDecl[];
}

export interface ServiceDecl extends Base {
  kind: "service";
  name: string;
  functions: FunctionDecl[];
  matches: MatchDecl[];
}

export interface RulesFile {
  version: "1" | "2";
  /** Functions declared outside any service: visible in every service of the file. */
  functions: FunctionDecl[];
  services: ServiceDecl[];
  /** Number of expression ids handed out. */
  exprCount: number;
}
