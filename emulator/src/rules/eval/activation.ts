import type { Result } from "../types/value.js";

/** A chain of variable scopes: globals, match wildcards, function parameters and lets. */
export class Activation {
  constructor(
    private readonly vars: Map<string, Result>,
    private readonly parent: Activation | null = null,
  ) {}

  lookup(name: string): Result | undefined {
    const v = this.vars.get(name);
    if (v !== undefined || this.vars.has(name)) return v;
    return this.parent?.lookup(name);
  }

  child(vars: Map<string, Result>): Activation {
    return new Activation(vars, this);
  }
}
