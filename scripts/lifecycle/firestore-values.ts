/**
 * firebase-admin document data <-> export values. Read with `useBigInt: true`, so that integers (BigInt)
 * and doubles (number) stay apart. Writing back goes through firebase-admin, which stores every
 * safe-integer number as an integer: a double with an integral value (3.0) comes back as the integer 3,
 * which Firestore compares equal to it.
 */
import {
  type DocumentData,
  DocumentReference,
  FieldValue,
  type Firestore,
  GeoPoint,
  Timestamp,
} from "firebase-admin/firestore";
import type { ExportFields, ExportValue } from "../../emulator/src/export-format/entity.js";
import { ExportFormatError } from "../../emulator/src/export-format/errors.js";

const VECTOR_TYPE = "__vector__";

/** firebase-admin's VectorValue is not exported; it is the value with `toArray()` a vector field reads as. */
function isVector(value: object): value is { toArray(): number[] } {
  return (
    value.constructor?.name === "VectorValue" &&
    typeof (value as { toArray?: unknown }).toArray === "function"
  );
}

export function toExportValue(value: unknown, where: string): ExportValue {
  if (value === null) return { type: "null" };
  if (typeof value === "boolean") return { type: "boolean", value };
  if (typeof value === "bigint") return { type: "integer", value };
  if (typeof value === "number") return { type: "double", value };
  if (typeof value === "string") return { type: "string", value };
  if (value instanceof Timestamp) {
    // Exports keep microseconds, as Firestore stores them.
    return {
      type: "timestamp",
      micros: BigInt(value.seconds) * 1_000_000n + BigInt(Math.floor(value.nanoseconds / 1000)),
    };
  }
  if (value instanceof Uint8Array) return { type: "bytes", value: new Uint8Array(value) };
  if (value instanceof GeoPoint)
    return { type: "geopoint", latitude: value.latitude, longitude: value.longitude };
  if (value instanceof DocumentReference) {
    return {
      type: "reference",
      project: projectOf(value),
      database: value.firestore.databaseId,
      path: value.path,
    };
  }
  if (Array.isArray(value))
    return { type: "array", values: value.map((v, i) => toExportValue(v, `${where}[${i}]`)) };
  if (typeof value === "object") {
    if (isVector(value)) {
      const values: ExportValue[] = value.toArray().map((n) => ({ type: "double", value: n }));
      return {
        type: "map",
        fields: [
          ["__type__", { type: "string", value: VECTOR_TYPE }],
          ["value", { type: "array", values }],
        ],
      };
    }
    return { type: "map", fields: toExportFields(value as DocumentData, where) };
  }
  throw new ExportFormatError(`${where}: a ${typeof value} is not a Firestore value`);
}

/** The project a reference names: its resource name is projects/{project}/databases/{database}/documents/… */
function projectOf(ref: DocumentReference): string {
  return (ref as unknown as { formattedName: string }).formattedName.split("/")[1] ?? "";
}

export function toExportFields(data: DocumentData, where: string): ExportFields {
  return Object.entries(data).map(([name, value]) => [name, toExportValue(value, `${where}.${name}`)]);
}

/** Back to what firebase-admin writes; references point into `db`, whatever project they were exported from. */
export function fromExportValue(value: ExportValue, db: Firestore): unknown {
  switch (value.type) {
    case "null":
      return null;
    case "boolean":
    case "string":
    case "double":
    case "integer":
      return value.value;
    case "timestamp": {
      const seconds = value.micros / 1_000_000n - (value.micros % 1_000_000n < 0n ? 1n : 0n);
      const micros = value.micros - seconds * 1_000_000n;
      return new Timestamp(Number(seconds), Number(micros) * 1000);
    }
    case "bytes":
      return Buffer.from(value.value);
    case "geopoint":
      return new GeoPoint(value.latitude, value.longitude);
    case "reference":
      return db.doc(value.path);
    case "array":
      return value.values.map((v) => fromExportValue(v, db));
    case "map": {
      const type = value.fields.find(([name]) => name === "__type__")?.[1];
      const values = value.fields.find(([name]) => name === "value")?.[1];
      if (type?.type === "string" && type.value === VECTOR_TYPE && values?.type === "array") {
        return FieldValue.vector(
          values.values.map((v) => (v.type === "double" ? v.value : Number(fromExportValue(v, db)))),
        );
      }
      return fromExportFields(value.fields, db);
    }
  }
}

export function fromExportFields(fields: ExportFields, db: Firestore): DocumentData {
  // fromEntries defines own properties, so a field named "__proto__" stays a field.
  return Object.fromEntries(fields.map(([name, value]) => [name, fromExportValue(value, db)]));
}
