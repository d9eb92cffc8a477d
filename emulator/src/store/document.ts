/** A stored document version. Versions are immutable: a write stores a new object. */
import { type DatabaseId, documentName } from "../shared/resource-path.js";
import type { Timestamp as WireTimestamp } from "../shared/security.js";
import { type FieldPath, projectFields } from "./field-path.js";
import { microsToTimestamp } from "./timestamp.js";
import type { Fields } from "./value.js";

export interface StoredDoc {
  /** Path relative to `…/documents`, e.g. `users/alice`. */
  readonly path: string;
  readonly segments: readonly string[];
  readonly fields: Fields;
  /** Microseconds since the epoch. */
  readonly createTime: number;
  readonly updateTime: number;
}

export interface WireDocument {
  name: string;
  fields: Fields;
  createTime: WireTimestamp;
  updateTime: WireTimestamp;
}

export function makeDoc(path: string, fields: Fields, createTime: number, updateTime: number): StoredDoc {
  return { path, segments: path.split("/"), fields, createTime, updateTime };
}

export function toWireDocument(db: DatabaseId, doc: StoredDoc, mask?: readonly FieldPath[]): WireDocument {
  return {
    name: documentName(db, doc.path),
    fields: mask ? projectFields(doc.fields, mask) : doc.fields,
    createTime: microsToTimestamp(doc.createTime),
    updateTime: microsToTimestamp(doc.updateTime),
  };
}
