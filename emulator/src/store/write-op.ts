/** A validated, canonical write (decoded from a `google.firestore.v1.Write` by wire/write.ts). */
import type { DatabaseId } from "../shared/resource-path.js";
import type { FieldPath } from "./field-path.js";
import type { Fields, Value } from "./value.js";

export type Precondition = { exists: boolean } | { updateTime: number };

export type Transform =
  | { path: FieldPath; kind: "serverTime" }
  | { path: FieldPath; kind: "increment" | "maximum" | "minimum"; operand: Value }
  | { path: FieldPath; kind: "append" | "remove"; elements: Value[] };

export interface WriteOp {
  kind: "set" | "delete" | "verify" | "transform";
  /** The document's full name, as sent. */
  name: string;
  /** The database the name is in, and the path relative to its `…/documents`. */
  database: DatabaseId;
  path: string;
  /** For `set`: the document's new fields, or, with a mask, the source of the masked paths. */
  fields: Fields;
  mask: FieldPath[] | null;
  transforms: Transform[];
  precondition: Precondition | null;
}
