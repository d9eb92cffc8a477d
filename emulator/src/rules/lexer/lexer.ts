import type { Source } from "../source.js";
import { PUNCTUATION, type Token } from "./token.js";

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= "0" && c <= "9";

/**
 * An on-demand scanner: the parser asks for one token at a time and may move the cursor, because match
 * patterns and path literals (`/users/$(uid)`) are scanned in a raw mode the parser drives itself.
 */
export class Lexer {
  readonly source: Source;
  pos = 0;

  constructor(source: Source) {
    this.source = source;
  }

  private get text(): string {
    return this.source.text;
  }

  /** Skips whitespace and comments; returns the offset of an unterminated block comment. */
  skipTrivia(): number | undefined {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (c === " " || c === "\t" || c === "\n" || c === "\r") {
        this.pos++;
      } else if (c === "/" && text[this.pos + 1] === "/") {
        while (this.pos < text.length && text[this.pos] !== "\n") this.pos++;
      } else if (c === "/" && text[this.pos + 1] === "*") {
        const end = text.indexOf("*/", this.pos + 2);
        if (end < 0) return this.pos;
        this.pos = end + 2;
      } else {
        return undefined;
      }
    }
    return undefined;
  }

  next(): Token {
    const openComment = this.skipTrivia();
    if (openComment !== undefined) {
      this.pos = this.text.length;
      return {
        kind: "invalid",
        text: "Unterminated block comment",
        span: { start: openComment, end: openComment + 2 },
      };
    }
    const text = this.text;
    const start = this.pos;
    if (start >= text.length) return { kind: "eof", text: "", span: { start, end: start } };
    const c = text[start]!;
    const n = text[start + 1] ?? "";
    if ((c === "r" || c === "R" || c === "b" || c === "B") && (n === "'" || n === '"')) {
      return this.scanString(c.toLowerCase() === "b" ? "bytes" : "raw");
    }
    if (isIdentStart(c)) {
      let end = start + 1;
      while (end < text.length && isIdentPart(text[end]!)) end++;
      this.pos = end;
      return { kind: "ident", text: text.slice(start, end), span: { start, end } };
    }
    if (isDigit(c) || (c === "." && isDigit(n))) return this.scanNumber();
    if (c === "'" || c === '"') return this.scanString("plain");
    for (const p of PUNCTUATION) {
      if (text.startsWith(p, start)) {
        this.pos = start + p.length;
        return { kind: "punct", text: p, span: { start, end: this.pos } };
      }
    }
    this.pos = start + 1;
    return { kind: "invalid", text: `Unexpected character '${c}'`, span: { start, end: start + 1 } };
  }

  private scanNumber(): Token {
    const text = this.text;
    const start = this.pos;
    let end = start;
    if (text[end] === "0" && (text[end + 1] === "x" || text[end + 1] === "X")) {
      end += 2;
      while (end < text.length && /[0-9a-fA-F]/.test(text[end]!)) end++;
      this.pos = end;
      return {
        kind: "int",
        text: text.slice(start, end),
        span: { start, end },
        int: BigInt(text.slice(start, end)),
      };
    }
    let isFloat = false;
    while (end < text.length && isDigit(text[end]!)) end++;
    if (text[end] === "." && isDigit(text[end + 1] ?? "")) {
      isFloat = true;
      end++;
      while (end < text.length && isDigit(text[end]!)) end++;
    }
    if (text[end] === "e" || text[end] === "E") {
      let k = end + 1;
      if (text[k] === "+" || text[k] === "-") k++;
      if (isDigit(text[k] ?? "")) {
        isFloat = true;
        end = k;
        while (end < text.length && isDigit(text[end]!)) end++;
      }
    }
    this.pos = end;
    const raw = text.slice(start, end);
    const span = { start, end };
    return isFloat
      ? { kind: "float", text: raw, span, float: Number(raw) }
      : { kind: "int", text: raw, span, int: BigInt(raw) };
  }

  private scanString(mode: "plain" | "raw" | "bytes"): Token {
    const text = this.text;
    const start = this.pos;
    let i = mode === "plain" ? start : start + 1;
    const quote = text[i]!;
    i++;
    let out = "";
    let error: string | undefined;
    const bytes: number[] = [];
    const push = (s: string): void => {
      if (mode === "bytes") for (const b of Buffer.from(s, "utf8")) bytes.push(b);
      else out += s;
    };
    for (;;) {
      if (i >= text.length || text[i] === "\n") {
        error = "Unterminated string literal";
        break;
      }
      const c = text[i]!;
      if (c === quote) {
        i++;
        break;
      }
      if (c === "\\" && mode !== "raw") {
        const e = text[i + 1] ?? "";
        i += 2;
        const simple: Record<string, string> = {
          n: "\n",
          t: "\t",
          r: "\r",
          b: "\b",
          f: "\f",
          v: "\v",
          a: "\x07",
          "\\": "\\",
          "'": "'",
          '"': '"',
          "`": "`",
          "?": "?",
        };
        if (e in simple) {
          push(simple[e]!);
        } else if (e === "x" || e === "X") {
          const hex = text.slice(i, i + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) error ??= "Invalid \\x escape";
          if (mode === "bytes") bytes.push(Number.parseInt(hex, 16));
          else out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 2;
        } else if (e === "u" || e === "U") {
          const len = e === "u" ? 4 : 8;
          const hex = text.slice(i, i + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) error ??= `Invalid \\${e} escape`;
          else push(String.fromCodePoint(Number.parseInt(hex, 16)));
          i += len;
        } else if (/[0-7]/.test(e)) {
          const oct = text.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(oct)) error ??= "Invalid octal escape";
          if (mode === "bytes") bytes.push(Number.parseInt(oct, 8));
          else out += String.fromCharCode(Number.parseInt(oct, 8));
          i += 2;
        } else {
          error ??= `Invalid escape sequence '\\${e}'`;
        }
        continue;
      }
      push(c);
      i++;
    }
    this.pos = i;
    const span = { start, end: i };
    const token: Token =
      mode === "bytes"
        ? { kind: "bytes", text: text.slice(start, i), span, bytes: Uint8Array.from(bytes) }
        : { kind: "string", text: out, span };
    if (error) token.error = error;
    return token;
  }
}
