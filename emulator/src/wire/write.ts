/** Decodes a `google.firestore.v1.Write` (and its masks, transforms and preconditions) into a WriteOp. */
import { invalidArgument } from "../shared/errors.js";
import { type DatabaseId, parseDocumentName } from "../shared/resource-path.js";
import { type FieldPath, parseFieldPath } from "../store/field-path.js";
import { timestampToMicros } from "../store/timestamp.js";
import type { Fields } from "../store/value.js";
import type { Precondition, Transform, WriteOp } from "../store/write-op.js";
import {
  oneofCase,
  optionalObject,
  readArray,
  readObject,
  readString,
  readStrings,
  readTimestamp,
} from "./object.js";
import { decodeFields, decodeValue } from "./value.js";

/** A `DocumentMask` as parsed paths; undefined when no mask was sent. */
export function decodeMask(raw: unknown, what: string): FieldPath[] | undefined {
  const mask = optionalObject(raw, what);
  if (!mask) return undefined;
  return readStrings(mask.fieldPaths, `${what}.fieldPaths`).map(parseFieldPath);
}

/**
 * Decodes one Write. With `db`, a document outside that database is refused here; without (the Write
 * stream, whose database comes from its first message), the caller checks `database`.
 */
export function decodeWrite(raw: unknown, db?: DatabaseId): WriteOp {
  const write = readObject(raw, "A write");
  const operation = oneofCase(write, "operation", ["update", "delete", "verify", "transform"] as const);
  let name: string;
  let kind: WriteOp["kind"];
  let fields: Fields = {};
  let transformsRaw = readArray(write.updateTransforms, "updateTransforms");
  switch (operation) {
    case "update": {
      const doc = readObject(write.update, "update");
      name = readString(doc.name, "update.name");
      kind = "set";
      fields = decodeFields(doc.fields);
      break;
    }
    case "delete":
      name = readString(write.delete, "delete");
      kind = "delete";
      break;
    case "verify":
      name = readString(write.verify, "verify");
      kind = "verify";
      break;
    case "transform": {
      const t = readObject(write.transform, "transform");
      name = readString(t.document, "transform.document");
      kind = "transform";
      transformsRaw = readArray(t.fieldTransforms, "transform.fieldTransforms");
      break;
    }
    default:
      throw invalidArgument("A write must have an operation (update, delete, transform or verify).");
  }
  const { db: database, path } = parseDocumentName(name, db);
  const mask = decodeMask(write.updateMask, "updateMask") ?? null;
  if (mask && kind !== "set") throw invalidArgument("An update mask is only allowed on update writes.");
  if (transformsRaw.length > 0 && kind === "delete")
    throw invalidArgument("A delete cannot have transforms.");
  const transforms = transformsRaw.map(decodeTransform);
  checkTransformPaths(transforms, mask);
  return {
    kind,
    name,
    database,
    path,
    fields,
    mask,
    transforms,
    precondition: decodePrecondition(write.currentDocument),
  };
}

function checkTransformPaths(transforms: Transform[], mask: FieldPath[] | null): void {
  const seen = new Set<string>();
  for (const t of transforms) {
    const key = t.path.join("\u0000");
    if (seen.has(key)) throw invalidArgument(`Field ${t.path.join(".")} was transformed more than once.`);
    seen.add(key);
    if (mask?.some((m) => m.join("\u0000") === key)) {
      throw invalidArgument(`Field ${t.path.join(".")} cannot be both updated and transformed.`);
    }
  }
}

export function decodePrecondition(raw: unknown): Precondition | null {
  const pre = optionalObject(raw, "currentDocument");
  if (!pre) return null;
  const type = oneofCase(pre, "conditionType", ["exists", "updateTime"] as const);
  if (type === "exists") return { exists: Boolean(pre.exists) };
  if (type === "updateTime")
    return { updateTime: timestampToMicros(readTimestamp(pre.updateTime, "currentDocument.updateTime")) };
  return null;
}

const TRANSFORM_TYPES = [
  "setToServerValue",
  "increment",
  "maximum",
  "minimum",
  "appendMissingElements",
  "removeAllFromArray",
] as const;

function decodeTransform(raw: unknown): Transform {
  const transform = readObject(raw, "A field transform");
  const path = parseFieldPath(readString(transform.fieldPath, "fieldTransforms.fieldPath"));
  const type = oneofCase(transform, "transformType", TRANSFORM_TYPES);
  switch (type) {
    case "setToServerValue":
      if (transform.setToServerValue !== "REQUEST_TIME" && transform.setToServerValue !== 1) {
        throw invalidArgument(`Unknown server value for field ${path.join(".")}.`);
      }
      return { path, kind: "serverTime" };
    case "increment":
    case "maximum":
    case "minimum": {
      const operand = decodeValue(transform[type]);
      if (!("integerValue" in operand) && !("doubleValue" in operand)) {
        throw invalidArgument(`The ${type} operand for field ${path.join(".")} must be a number.`);
      }
      return { path, kind: type, operand };
    }
    case "appendMissingElements":
    case "removeAllFromArray": {
      const value = decodeValue({ arrayValue: transform[type] ?? {} });
      const elements = "arrayValue" in value ? (value.arrayValue.values ?? []) : [];
      return { path, kind: type === "appendMissingElements" ? "append" : "remove", elements };
    }
    default:
      throw invalidArgument(`Unknown transform for field ${path.join(".")}.`);
  }
}
