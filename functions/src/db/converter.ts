import {
  type DocumentData,
  FieldValue,
  type FirestoreDataConverter,
  type PartialWithFieldValue,
  type QueryDocumentSnapshot,
  type SetOptions,
  type Timestamp,
  type WithFieldValue,
} from "firebase-admin/firestore";
import type { z } from "zod";

/**
 * A document as firebase-admin hands it out: the schemas describe timestamps structurally
 * (`{ seconds, nanoseconds }`, so one schema serves every SDK), and here they are the admin Timestamp
 * class, methods included.
 */
export type Stored<T> = T extends { seconds: number; nanoseconds: number }
  ? Timestamp
  : T extends readonly (infer E)[]
    ? Stored<E>[]
    : T extends object
      ? { [K in keyof T]: Stored<T[K]> }
      : T;

/** The stored shape of documents validated by `schema`. */
export type StoredOf<S extends z.ZodType> =
  Stored<z.input<S>> extends infer T extends DocumentData ? T : never;

/** One field that does not fit: its dotted path ("(root)" for the document as a whole) and why. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A document read or written through a typed handle does not fit its schema. `path` is the document's
 * path on reads and the handle's path pattern on writes (a converter is not told which document it
 * writes).
 */
export class DocumentShapeError extends Error {
  constructor(
    readonly path: string,
    readonly fields: readonly FieldProblem[],
    readonly operation: "read" | "write",
  ) {
    const where = fields.map((f) => `${f.field}: ${f.message}`).join("; ");
    super(`${operation === "read" ? "Read" : "Write"} of ${path} does not match its schema: ${where}`);
    this.name = "DocumentShapeError";
  }
}

/**
 * The failing fields of `issues`, dotted. A union (a document read as any of its versions) fails as one
 * root issue; it is reported as the fields of the version that came closest, which are the useful ones.
 */
function problems(issues: readonly z.core.$ZodIssue[], at: readonly PropertyKey[] = []): FieldProblem[] {
  return issues.flatMap((issue) => {
    const path = [...at, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      return problems(closest, path);
    }
    return [{ field: path.join(".") || "(root)", message: issue.message }];
  });
}

/**
 * `value` without its FieldValue sentinels (serverTimestamp, increment, delete, arrayUnion...), whose
 * stored result the schema cannot judge before the write, and the dotted paths they were at.
 */
function withoutSentinels(value: unknown, at: string[] = [], found: string[] = []): [unknown, string[]] {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !isPlain(value)) {
    return [value, found];
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child instanceof FieldValue) found.push([...at, key].join("."));
    else out[key] = withoutSentinels(child, [...at, key], found)[0];
  }
  return [out, found];
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let here = value;
  for (const key of path) {
    if (here === null || typeof here !== "object") return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

/**
 * Checks a write against `schema` as far as it can be judged: issues at a sentinel's path (or below it)
 * are the sentinel's, and for a merge write a field that is absent is one the write leaves alone.
 */
function checkWrite(schema: z.ZodType, label: string, value: unknown, merge: boolean): void {
  const [concrete, sentinels] = withoutSentinels(value);
  const result = schema.safeParse(concrete);
  if (result.success) return;
  const real = result.error.issues.filter((issue) => {
    const field = issue.path.join(".");
    if (sentinels.some((s) => field === s || field.startsWith(`${s}.`) || s.startsWith(`${field}.`))) {
      return false;
    }
    return !(merge && issue.path.length > 0 && valueAt(concrete, issue.path) === undefined);
  });
  if (real.length > 0) throw new DocumentShapeError(label, problems(real), "write");
}

/**
 * A converter that validates every document read against `read`, and every write against `write`
 * (the same schema unless a collection still holds older versions it reads but never writes). Reads answer
 * the data as stored, not as parsed, so Timestamps keep their methods; writes go out as given, sentinels
 * included. `label` is the path pattern named in write errors. `update()` does not pass through a
 * converter (firebase-admin), so updates are checked by their UpdateData type only.
 */
export function schemaConverter<S extends z.ZodType, W extends z.ZodType = S>(
  label: string,
  read: S,
  write?: W,
): FirestoreDataConverter<StoredOf<S>, StoredOf<S>> {
  const writeSchema: z.ZodType = write ?? read;
  return {
    toFirestore(
      value: WithFieldValue<StoredOf<S>> | PartialWithFieldValue<StoredOf<S>>,
      options?: SetOptions,
    ) {
      const merge = options !== undefined && ("merge" in options || "mergeFields" in options);
      checkWrite(writeSchema, label, value, merge);
      return value as WithFieldValue<StoredOf<S>>;
    },
    fromFirestore(snapshot: QueryDocumentSnapshot): StoredOf<S> {
      const data = snapshot.data();
      const parsed = read.safeParse(data);
      if (!parsed.success)
        throw new DocumentShapeError(snapshot.ref.path, problems(parsed.error.issues), "read");
      return data as StoredOf<S>;
    },
  };
}
