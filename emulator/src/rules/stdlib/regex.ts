import { RE2JS } from "re2js";

const cache = new Map<string, RE2JS | string>();

/** Compiles an RE2 pattern once; returns the compile error message for a bad pattern. */
export function compileRegex(pattern: string): RE2JS | string {
  let re = cache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      // The pattern may come from stored data, so the message does not repeat it.
      re = "Invalid regular expression.";
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}
