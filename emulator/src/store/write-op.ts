/** Decodes a wire `google.firestore.v1.Write` into a validated, canonical write operation. */
import { invalidArgument } from "../shared/errors.js";
import { type DatabaseId, parseDocumentName } from "../shared/resource-path.js";
import { type FieldPath, parseFieldPath, parseMask } from "./field-path.js";
import { normalizeFields, normalizeValue } from "./normalize.js";
import { timestampToMicros } from "./timestamp.js";
import type { Fields, Value } from "./value.js";

export type Precondition = { exists: boolean } | { updateTime: number };

export type Transform =
  | { path: FieldPath; kind: "serverTime" }
  | { path: FieldPath; kind: "increment" | "maximum" | "minimum"; operand: Value }
  | { path: FieldPath; kind: "append" | "remove"; elements: Value[] };

export interface WriteOp {
  kind: "set" | "delete" | "verify" | "transform";
  name: string;
  path: string;
  /** For `set`: the document's new fields, or, with a mask, the source of the masked paths. */
  fields: Fields;
  mask: FieldPath[] | null;
  transforms: Transform[];
  precondition: Precondition | null;
}

type Raw = Record<string, unknown>;

export function parseWrite(raw: Raw, db: DatabaseId): WriteOp {
  const operation =
    (raw.operation as string | undefined) ??
    ["update", "delete", "verify", "transform"].find((k) => raw[k] != null);
  let name: string;
  let kind: WriteOp["kind"];
  let fields: Fields = {};
  let transformsRaw = (raw.updateTransforms as Raw[] | undefined) ?? [];
  switch (operation) {
    case "update": {
      const doc = raw.update as Raw;
      name = String(doc.name ?? "");
      kind = "set";
      fields = normalizeFields(doc.fields);
      break;
    }
    case "delete":
      name = String(raw.delete);
      kind = "delete";
      break;
    case "verify":
      name = String(raw.verify);
      kind = "verify";
      break;
    case "transform": {
      const t = raw.transform as Raw;
      name = String(t.document ?? "");
      kind = "transform";
      transformsRaw = (t.fieldTransforms as Raw[] | undefined) ?? [];
      break;
    }
    default:
      throw invalidArgument("A write must have an operation (update, delete, transform or verify).");
  }
  const { path } = parseDocumentName(name, db);
  const mask = parseMask(raw.updateMask) ?? null;
  if (mask && kind !== "set") throw invalidArgument("An update mask is only allowed on update writes.");
  if (transformsRaw.length > 0 && kind === "delete")
    throw invalidArgument("A delete cannot have transforms.");
  const transforms = transformsRaw.map(parseTransform);
  checkTransformPaths(transforms, mask);
  return {
    kind,
    name,
    path,
    fields,
    mask,
    transforms,
    precondition: parsePrecondition(raw.currentDocument as Raw),
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

function parsePrecondition(raw: Raw | undefined | null): Precondition | null {
  if (!raw) return null;
  const type =
    (raw.conditionType as string | undefined) ??
    (raw.exists != null ? "exists" : raw.updateTime != null ? "updateTime" : undefined);
  if (type === "exists") return { exists: Boolean(raw.exists) };
  if (type === "updateTime") return { updateTime: timestampToMicros(raw.updateTime as Raw) };
  return null;
}

function parseTransform(raw: Raw): Transform {
  const path = parseFieldPath(String(raw.fieldPath ?? ""));
  const type =
    (raw.transformType as string | undefined) ??
    [
      "setToServerValue",
      "increment",
      "maximum",
      "minimum",
      "appendMissingElements",
      "removeAllFromArray",
    ].find((k) => raw[k] != null);
  switch (type) {
    case "setToServerValue":
      if (raw.setToServerValue !== "REQUEST_TIME" && raw.setToServerValue !== 1) {
        throw invalidArgument(`Unknown server value for field ${path.join(".")}.`);
      }
      return { path, kind: "serverTime" };
    case "increment":
    case "maximum":
    case "minimum": {
      const operand = normalizeValue(raw[type]);
      if (!("integerValue" in operand) && !("doubleValue" in operand)) {
        throw invalidArgument(`The ${type} operand for field ${path.join(".")} must be a number.`);
      }
      return { path, kind: type, operand };
    }
    case "appendMissingElements":
    case "removeAllFromArray": {
      const value = normalizeValue({ arrayValue: raw[type] ?? {} });
      const elements = "arrayValue" in value ? (value.arrayValue.values ?? []) : [];
      return { path, kind: type === "appendMissingElements" ? "append" : "remove", elements };
    }
    default:
      throw invalidArgument(`Unknown transform for field ${path.join(".")}.`);
  }
}
