import type { Span } from "../source.js";

export type TokenKind = "ident" | "int" | "float" | "string" | "bytes" | "punct" | "eof" | "invalid";

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuation text, decoded string contents, or the invalid character. */
  text: string;
  span: Span;
  /** Set for int tokens. */
  int?: bigint;
  /** Set for float tokens. */
  float?: number;
  /** Set for bytes tokens. */
  bytes?: Uint8Array;
  /** Set when a string or bytes literal has a malformed escape or no closing quote. */
  error?: string;
}

/** Longest first, so the scanner can take the first prefix that matches. */
export const PUNCTUATION = [
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "<",
  ">",
  "!",
  "+",
  "-",
  "*",
  "/",
  "%",
  "?",
  ":",
  ";",
  ",",
  ".",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "=",
  "$",
] as const;
