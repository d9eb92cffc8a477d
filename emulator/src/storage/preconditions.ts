/**
 * Cloud Storage's generation preconditions (`ifGenerationMatch=0` creates only, `ifGenerationMatch=n`
 * replaces only version n, …), checked against the object at the moment a write is applied.
 */
import { invalid, StorageError } from "./errors.js";
import type { StoredObject } from "./object.js";

export interface Preconditions {
  ifGenerationMatch?: string;
  ifGenerationNotMatch?: string;
  ifMetagenerationMatch?: string;
  ifMetagenerationNotMatch?: string;
}

const KEYS = [
  "ifGenerationMatch",
  "ifGenerationNotMatch",
  "ifMetagenerationMatch",
  "ifMetagenerationNotMatch",
] as const;

export function decodePreconditions(query: URLSearchParams): Preconditions {
  const out: Preconditions = {};
  for (const key of KEYS) {
    const value = query.get(key);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) throw invalid(`${key} must be a non-negative integer.`);
    out[key] = value;
  }
  return out;
}

/** Throws precondition-failed (412) when the current object does not satisfy `p`. */
export function checkPreconditions(p: Preconditions, current: StoredObject | null): void {
  const generation = current?.generation ?? "0";
  const metageneration = current ? String(current.metageneration) : undefined;
  const failed =
    (p.ifGenerationMatch !== undefined && p.ifGenerationMatch !== generation) ||
    (p.ifGenerationNotMatch !== undefined && p.ifGenerationNotMatch === generation) ||
    (p.ifMetagenerationMatch !== undefined && p.ifMetagenerationMatch !== metageneration) ||
    (p.ifMetagenerationNotMatch !== undefined &&
      (metageneration === undefined || p.ifMetagenerationNotMatch === metageneration));
  if (failed)
    throw new StorageError(
      "precondition-failed",
      "At least one of the pre-conditions you specified did not hold.",
    );
}
