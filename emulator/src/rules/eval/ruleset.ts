import type { FunctionDecl, MatchDecl } from "../ast/nodes.js";
import type { Source } from "../source.js";

/** Functions visible at one place in the rules: those declared there and in every enclosing block. */
export interface FunctionScope {
  functions: Map<string, FunctionDecl>;
  parent: FunctionScope | null;
}

export interface CompiledMatch {
  decl: MatchDecl;
  scope: FunctionScope;
  children: CompiledMatch[];
}

export interface CompiledService {
  name: "cloud.firestore" | "firebase.storage";
  scope: FunctionScope;
  matches: CompiledMatch[];
}

/** A checked rules file, ready to judge requests; immutable once built. */
export interface Ruleset {
  source: Source;
  version: "1" | "2";
  services: Map<string, CompiledService>;
  /** The scope each function was declared in, for resolving the calls in its body. */
  declaredIn: Map<FunctionDecl, FunctionScope>;
}

export function findFunction(scope: FunctionScope | null, name: string): FunctionDecl | undefined {
  for (let s = scope; s; s = s.parent) {
    const f = s.functions.get(name);
    if (f) return f;
  }
  return undefined;
}
