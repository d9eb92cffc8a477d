import { describe, expect, it } from "vitest";
import { Source } from "../source.js";
import { Lexer } from "./lexer.js";

/** `kind:text` of every token up to the end. */
function tokens(text: string): string[] {
  const lexer = new Lexer(new Source(text, "t"));
  const out: string[] = [];
  for (;;) {
    const t = lexer.next();
    if (t.kind === "eof") return out;
    out.push(
      `${t.kind}:${t.kind === "int" ? t.int : t.kind === "float" ? t.float : t.text}${t.error ? `!${t.error}` : ""}`,
    );
    if (t.kind === "invalid") return out;
  }
}

describe("lexer", () => {
  it.each([
    ["a && b", ["ident:a", "punct:&&", "ident:b"]],
    ["x<=1", ["ident:x", "punct:<=", "int:1"]],
    ["a!=b==c", ["ident:a", "punct:!=", "ident:b", "punct:==", "ident:c"]],
    ["1.5 .5 1e3 2E-2 7", ["float:1.5", "float:0.5", "float:1000", "float:0.02", "int:7"]],
    ["0xff", ["int:255"]],
    ["1.foo", ["int:1", "punct:.", "ident:foo"]],
    ['\'a\\tb\' "q\\""', ["string:a\tb", 'string:q"']],
    ["'\\u00e9\\x41\\101'", ["string:éAA"]],
    ["r'\\d'", ["string:\\d"]],
    ["b'ab'", ["bytes:b'ab'"]],
    ["a // line\n b /* block\n */ c", ["ident:a", "ident:b", "ident:c"]],
    ["$(x)", ["punct:$", "punct:(", "ident:x", "punct:)"]],
    ["'open", ["string:open!Unterminated string literal"]],
    ["'a\nc'", ["string:a!Unterminated string literal", "ident:c", "string:!Unterminated string literal"]],
    ["'\\z'", ["string:!Invalid escape sequence '\\z'"]],
    ["a # b", ["ident:a", "invalid:Unexpected character '#'"]],
    ["a /* open", ["ident:a", "invalid:Unterminated block comment"]],
  ])("%j", (text, expected) => {
    expect(tokens(text)).toEqual(expected);
  });

  it("spans cover the token text", () => {
    const lexer = new Lexer(new Source("  foo 'bar'", "t"));
    expect(lexer.next().span).toEqual({ start: 2, end: 5 });
    expect(lexer.next().span).toEqual({ start: 6, end: 11 });
  });
});
