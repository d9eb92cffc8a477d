/**
 * The rules grammar as one recursive-descent parser. It is kept in one file (past the usual size) because the
 * grammar reads best top to bottom: file, service, match, allow, function, then expressions by precedence.
 */
import type {
  AllowDecl,
  BinaryOp,
  Expr,
  FunctionDecl,
  MatchDecl,
  Method,
  PathSegment,
  PatternSegment,
  RulesFile,
  ServiceDecl,
} from "../ast/nodes.js";
import { Lexer } from "../lexer/lexer.js";
import type { Token } from "../lexer/token.js";
import type { Source, Span } from "../source.js";

export interface SyntaxIssue {
  span: Span;
  message: string;
}

export type ParseResult = { ok: true; file: RulesFile } | { ok: false; issue: SyntaxIssue };

/** Thrown only inside this module and turned into a ParseResult at the entry point. */
class SyntaxFailure extends Error {
  constructor(
    readonly span: Span,
    message: string,
  ) {
    super(message);
  }
}

const METHOD_EXPANSION: Record<string, Method[]> = {
  read: ["get", "list"],
  write: ["create", "update", "delete"],
  get: ["get"],
  list: ["list"],
  create: ["create"],
  update: ["update"],
  delete: ["delete"],
};

export const TYPE_NAMES = new Set([
  "bool",
  "int",
  "float",
  "number",
  "string",
  "list",
  "map",
  "set",
  "timestamp",
  "duration",
  "path",
  "latlng",
  "bytes",
  "map_diff",
]);

const RELATIONAL = new Set(["==", "!=", "<", "<=", ">", ">="]);
const PATH_CHAR = /[A-Za-z0-9_\-.~%@:+]/;

/** A hand-written recursive-descent parser for rules files; it stops at the first syntax error. */
export function parseRules(source: Source): ParseResult {
  try {
    return { ok: true, file: new Parser(source).file() };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, issue: { span: e.span, message: e.message } };
    throw e;
  }
}

/** Parses one standalone expression (used by tests and tools). */
export function parseExpression(
  source: Source,
): { ok: true; expr: Expr } | { ok: false; issue: SyntaxIssue } {
  try {
    const p = new Parser(source);
    const expr = p.expression();
    p.expectEnd();
    return { ok: true, expr };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, issue: { span: e.span, message: e.message } };
    throw e;
  }
}

class Parser {
  private readonly lexer: Lexer;
  private tok: Token;
  private nextId = 1;

  constructor(private readonly source: Source) {
    this.lexer = new Lexer(source);
    this.tok = this.scan();
  }

  private scan(): Token {
    const t = this.lexer.next();
    if (t.kind === "invalid") throw new SyntaxFailure(t.span, t.text);
    if (t.error) throw new SyntaxFailure(t.span, t.error);
    return t;
  }

  private advance(): Token {
    const t = this.tok;
    this.tok = this.scan();
    return t;
  }

  private describe(t: Token): string {
    if (t.kind === "eof") return "end of file";
    if (t.kind === "string") return "string literal";
    return `'${this.source.text.slice(t.span.start, t.span.end)}'`;
  }

  private fail(message: string, span: Span = this.tok.span): never {
    throw new SyntaxFailure(span, message);
  }

  private isPunct(p: string): boolean {
    return this.tok.kind === "punct" && this.tok.text === p;
  }

  private isWord(w: string): boolean {
    return this.tok.kind === "ident" && this.tok.text === w;
  }

  private expectPunct(p: string, context?: string): Token {
    if (!this.isPunct(p)) {
      this.fail(`Expected '${p}'${context ? ` ${context}` : ""} but found ${this.describe(this.tok)}`);
    }
    return this.advance();
  }

  private expectIdent(what: string): Token {
    if (this.tok.kind !== "ident") this.fail(`Expected ${what} but found ${this.describe(this.tok)}`);
    return this.advance();
  }

  private optionalSemicolon(): void {
    if (this.isPunct(";")) this.advance();
  }

  expectEnd(): void {
    if (this.tok.kind !== "eof") this.fail(`Unexpected ${this.describe(this.tok)}`);
  }

  file(): RulesFile {
    let version: "1" | "2" = "1";
    if (this.isWord("rules_version")) {
      this.advance();
      this.expectPunct("=", "after rules_version");
      const v = this.tok;
      if (v.kind !== "string" || (v.text !== "1" && v.text !== "2")) {
        this.fail("rules_version must be '1' or '2'", v.span);
      }
      version = v.text as "1" | "2";
      this.advance();
      this.optionalSemicolon();
    }
    const services: ServiceDecl[] = [];
    const functions: FunctionDecl[] = [];
    // Google's tools accept functions at file scope, shared by every service; so does Hearth.
    while (this.tok.kind !== "eof") {
      if (this.isWord("function")) functions.push(this.functionDecl());
      else services.push(this.service());
    }
    if (services.length === 0) this.fail("Expected a 'service' declaration");
    return { version, functions, services, exprCount: this.nextId - 1 };
  }

  private service(): ServiceDecl {
    if (!this.isWord("service")) this.fail(`Expected 'service' but found ${this.describe(this.tok)}`);
    const start = this.advance().span.start;
    let name = this.expectIdent("a service name").text;
    while (this.isPunct(".")) {
      this.advance();
      name += `.${this.expectIdent("a service name").text}`;
    }
    if (name !== "cloud.firestore" && name !== "firebase.storage") {
      this.fail(`Unknown service '${name}'; expected cloud.firestore or firebase.storage`, {
        start,
        end: this.tok.span.start,
      });
    }
    this.expectPunct("{", "to open the service body");
    const functions: FunctionDecl[] = [];
    const matches: MatchDecl[] = [];
    while (!this.isPunct("}")) {
      if (this.isWord("function")) functions.push(this.functionDecl());
      else if (this.isWord("match")) matches.push(this.match());
      else this.fail(`Expected 'match' or 'function' but found ${this.describe(this.tok)}`);
    }
    const end = this.advance().span.end;
    return { kind: "service", name, functions, matches, span: { start, end } };
  }

  private match(): MatchDecl {
    const start = this.tok.span.start;
    // The pattern is scanned raw from just after the keyword, so `{id}` is not read as a block.
    this.lexer.pos = this.tok.span.end;
    this.lexer.skipTrivia();
    const pattern = this.pattern();
    this.tok = this.scan();
    this.expectPunct("{", "to open the match body");
    const decl: MatchDecl = {
      kind: "match",
      pattern,
      functions: [],
      allows: [],
      matches: [],
      span: { start, end: start },
    };
    while (!this.isPunct("}")) {
      if (this.isWord("function")) decl.functions.push(this.functionDecl());
      else if (this.isWord("match")) decl.matches.push(this.match());
      else if (this.isWord("allow")) decl.allows.push(this.allow());
      else this.fail(`Expected 'allow', 'match' or 'function' but found ${this.describe(this.tok)}`);
    }
    decl.span.end = this.advance().span.end;
    return decl;
  }

  private pattern(): PatternSegment[] {
    const text = this.source.text;
    const segments: PatternSegment[] = [];
    const names = new Set<string>();
    let pos = this.lexer.pos;
    if (text[pos] !== "/") this.fail("A match pattern must start with '/'", { start: pos, end: pos + 1 });
    while (text[pos] === "/") {
      pos++;
      const segStart = pos;
      if (text[pos] === "{") {
        const close = text.indexOf("}", pos);
        const inner = close < 0 ? "" : text.slice(pos + 1, close);
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(=\*\*)?$/.exec(inner);
        if (!m)
          this.fail("Invalid wildcard: expected {name} or {name=**}", {
            start: pos,
            end: Math.max(close + 1, pos + 1),
          });
        const name = m[1]!;
        if (names.has(name))
          this.fail(`Duplicate wildcard '${name}' in match pattern`, { start: pos, end: close + 1 });
        names.add(name);
        segments.push(m[2] ? { kind: "rest", name } : { kind: "var", name });
        pos = close + 1;
      } else {
        while (pos < text.length && !/[\s/{}]/.test(text[pos]!)) pos++;
        if (pos === segStart)
          this.fail("Empty segment in match pattern", { start: segStart - 1, end: segStart });
        segments.push({ kind: "literal", value: text.slice(segStart, pos) });
      }
    }
    if (text[pos] !== undefined && !/[\s{]/.test(text[pos]!)) {
      this.fail(`Unexpected '${text[pos]}' in match pattern`, { start: pos, end: pos + 1 });
    }
    this.lexer.pos = pos;
    return segments;
  }

  private allow(): AllowDecl {
    const start = this.advance().span.start;
    const written: string[] = [];
    const methods: Method[] = [];
    for (;;) {
      const t = this.expectIdent("a method (read, write, get, list, create, update, delete)");
      const expanded = METHOD_EXPANSION[t.text];
      if (!expanded) this.fail(`Unknown method '${t.text}'`, t.span);
      written.push(t.text);
      for (const m of expanded) if (!methods.includes(m)) methods.push(m);
      if (!this.isPunct(",")) break;
      this.advance();
    }
    let condition: Expr | null = null;
    if (this.isPunct(":")) {
      this.advance();
      if (!this.isWord("if")) this.fail(`Expected 'if' but found ${this.describe(this.tok)}`);
      this.advance();
      condition = this.expression();
    }
    const end = this.tok.span.start;
    // The `;` is optional, as in Google's parser: the next statement or the closing brace ends an allow.
    if (!this.isPunct("}") && !this.isWord("allow") && !this.isWord("match") && !this.isWord("function")) {
      this.expectPunct(";", "after the allow statement");
    }
    return { kind: "allow", written, methods, condition, span: { start, end } };
  }

  private functionDecl(): FunctionDecl {
    const start = this.advance().span.start;
    const name = this.expectIdent("a function name").text;
    this.expectPunct("(", "after the function name");
    const params: string[] = [];
    while (!this.isPunct(")")) {
      const p = this.expectIdent("a parameter name");
      if (params.includes(p.text)) this.fail(`Duplicate parameter '${p.text}'`, p.span);
      params.push(p.text);
      if (!this.isPunct(",")) break;
      this.advance();
    }
    this.expectPunct(")", "to close the parameter list");
    this.expectPunct("{", "to open the function body");
    const lets: FunctionDecl["lets"] = [];
    while (this.isWord("let")) {
      const letStart = this.advance().span.start;
      const n = this.expectIdent("a variable name");
      this.expectPunct("=", "in let binding");
      const value = this.expression();
      lets.push({ name: n.text, value, span: { start: letStart, end: value.span.end } });
      this.expectPunct(";", "after the let binding");
    }
    if (!this.isWord("return")) this.fail(`Expected 'return' or 'let' but found ${this.describe(this.tok)}`);
    this.advance();
    const body = this.expression();
    this.optionalSemicolon();
    const end = this.expectPunct("}", "to close the function body").span.end;
    return { kind: "function", name, params, lets, body, span: { start, end } };
  }

  private id(): number {
    return this.nextId++;
  }

  expression(): Expr {
    const cond = this.or();
    if (!this.isPunct("?")) return cond;
    this.advance();
    const then = this.expression();
    this.expectPunct(":", "in conditional expression");
    const otherwise = this.expression();
    return {
      kind: "ternary",
      id: this.id(),
      cond,
      then,
      else: otherwise,
      span: { start: cond.span.start, end: otherwise.span.end },
    };
  }

  /** A `&&` or `||` node spanning both operands. */
  private logical(op: "&&" | "||", left: Expr, right: Expr): Expr {
    return {
      kind: "logical",
      op,
      id: this.id(),
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
    };
  }

  /** A binary operator node spanning both operands. */
  private binary(op: BinaryOp, left: Expr, right: Expr): Expr {
    return {
      kind: "binary",
      op,
      id: this.id(),
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
    };
  }

  private or(): Expr {
    let left = this.and();
    while (this.isPunct("||")) {
      this.advance();
      const right = this.and();
      left = this.logical("||", left, right);
    }
    return left;
  }

  private and(): Expr {
    let left = this.relation();
    while (this.isPunct("&&")) {
      this.advance();
      const right = this.relation();
      left = this.logical("&&", left, right);
    }
    return left;
  }

  private relation(): Expr {
    let left = this.additive();
    for (;;) {
      if (this.tok.kind === "punct" && RELATIONAL.has(this.tok.text)) {
        const op = this.advance().text as BinaryOp;
        const right = this.additive();
        left = this.binary(op, left, right);
      } else if (this.isWord("in")) {
        this.advance();
        const right = this.additive();
        left = this.binary("in", left, right);
      } else if (this.isWord("is")) {
        this.advance();
        const t = this.expectIdent("a type name");
        if (!TYPE_NAMES.has(t.text)) this.fail(`Unknown type '${t.text}'`, t.span);
        left = {
          kind: "is",
          id: this.id(),
          operand: left,
          type: t.text,
          span: { start: left.span.start, end: t.span.end },
        };
      } else {
        return left;
      }
    }
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isPunct("+") || this.isPunct("-")) {
      const op = this.advance().text as BinaryOp;
      const right = this.multiplicative();
      left = this.binary(op, left, right);
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isPunct("*") || this.isPunct("/") || this.isPunct("%")) {
      const op = this.advance().text as BinaryOp;
      const right = this.unary();
      left = this.binary(op, left, right);
    }
    return left;
  }

  private unary(): Expr {
    if (this.isPunct("!") || this.isPunct("-")) {
      const t = this.advance();
      const operand = this.unary();
      const span = { start: t.span.start, end: operand.span.end };
      // Folding keeps -9223372036854775808 representable as an int literal.
      if (t.text === "-" && operand.kind === "literal" && typeof operand.value === "bigint") {
        return { kind: "literal", id: operand.id, value: -operand.value, span };
      }
      if (t.text === "-" && operand.kind === "literal" && typeof operand.value === "number") {
        return { kind: "literal", id: operand.id, value: -operand.value, span };
      }
      return { kind: "unary", op: t.text as "!" | "-", id: this.id(), operand, span };
    }
    return this.postfix(this.primary());
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      if (this.isPunct(".")) {
        this.advance();
        const name = this.expectIdent("a field or method name");
        expr = {
          kind: "member",
          id: this.id(),
          object: expr,
          name: name.text,
          span: { start: expr.span.start, end: name.span.end },
        };
      } else if (this.isPunct("[")) {
        this.advance();
        const from = this.isPunct(":") ? null : this.expression();
        if (this.isPunct(":")) {
          this.advance();
          const to = this.isPunct("]") ? null : this.expression();
          const end = this.expectPunct("]", "to close the range").span.end;
          expr = {
            kind: "slice",
            id: this.id(),
            object: expr,
            from,
            to,
            span: { start: expr.span.start, end },
          };
        } else {
          const end = this.expectPunct("]", "to close the index").span.end;
          expr = {
            kind: "index",
            id: this.id(),
            object: expr,
            index: from!,
            span: { start: expr.span.start, end },
          };
        }
      } else if (this.isPunct("(")) {
        this.advance();
        const args = this.commaList(")");
        const end = this.expectPunct(")", "to close the argument list").span.end;
        expr = { kind: "call", id: this.id(), callee: expr, args, span: { start: expr.span.start, end } };
      } else {
        return expr;
      }
    }
  }

  private commaList(close: string): Expr[] {
    const items: Expr[] = [];
    while (!this.isPunct(close)) {
      items.push(this.expression());
      if (!this.isPunct(",")) break;
      this.advance();
    }
    return items;
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case "int":
        this.advance();
        return { kind: "literal", id: this.id(), value: t.int!, span: t.span };
      case "float":
        this.advance();
        return { kind: "literal", id: this.id(), value: t.float!, span: t.span };
      case "string":
        this.advance();
        return { kind: "literal", id: this.id(), value: t.text, span: t.span };
      case "bytes":
        this.advance();
        return { kind: "literal", id: this.id(), value: t.bytes!, span: t.span };
      case "ident": {
        this.advance();
        if (t.text === "true" || t.text === "false") {
          return { kind: "literal", id: this.id(), value: t.text === "true", span: t.span };
        }
        if (t.text === "null") return { kind: "literal", id: this.id(), value: null, span: t.span };
        return { kind: "ident", id: this.id(), name: t.text, span: t.span };
      }
      case "punct":
        if (t.text === "(") {
          this.advance();
          const inner = this.expression();
          this.expectPunct(")", "to close the parenthesis");
          return inner;
        }
        if (t.text === "[") {
          this.advance();
          const items = this.commaList("]");
          const end = this.expectPunct("]", "to close the list").span.end;
          return { kind: "list", id: this.id(), items, span: { start: t.span.start, end } };
        }
        if (t.text === "{") return this.mapLiteral();
        if (t.text === "/") return this.pathLiteral();
        break;
    }
    return this.fail(`Unexpected ${this.describe(t)}`);
  }

  private mapLiteral(): Expr {
    const start = this.advance().span.start;
    const entries: { key: Expr; value: Expr }[] = [];
    while (!this.isPunct("}")) {
      const key = this.expression();
      this.expectPunct(":", "after the map key");
      const value = this.expression();
      entries.push({ key, value });
      if (!this.isPunct(",")) break;
      this.advance();
    }
    const end = this.expectPunct("}", "to close the map").span.end;
    return { kind: "map", id: this.id(), entries, span: { start, end } };
  }

  private pathLiteral(): Expr {
    const text = this.source.text;
    const start = this.tok.span.start;
    const segments: PathSegment[] = [];
    let pos = start;
    while (text[pos] === "/") {
      pos++;
      const segStart = pos;
      const parts: (string | Expr)[] = [];
      let raw = "";
      for (;;) {
        if (text[pos] === "$" && text[pos + 1] === "(") {
          if (raw) parts.push(raw);
          raw = "";
          this.lexer.pos = pos + 2;
          this.tok = this.scan();
          parts.push(this.expression());
          if (!this.isPunct(")"))
            this.fail(`Expected ')' to close the path interpolation but found ${this.describe(this.tok)}`);
          pos = this.tok.span.end;
        } else if (text[pos] === "(" && /^\([A-Za-z0-9_-]*\)/.test(text.slice(pos, pos + 64))) {
          // A literal parenthesised segment such as `(default)`.
          const close = text.indexOf(")", pos) + 1;
          raw += text.slice(pos, close);
          pos = close;
        } else if (pos < text.length && PATH_CHAR.test(text[pos]!)) {
          raw += text[pos];
          pos++;
        } else {
          break;
        }
      }
      if (raw) parts.push(raw);
      if (parts.length === 0) this.fail("Empty segment in path", { start: segStart - 1, end: segStart });
      segments.push({ parts, span: { start: segStart, end: pos } });
    }
    this.lexer.pos = pos;
    this.tok = this.scan();
    return { kind: "path", id: this.id(), segments, span: { start, end: pos } };
  }
}
