/** Firestore's storage limits, measured the way Firestore documents its size calculation. */
import { EmulatorError } from "../shared/errors.js";
import { utf8Length } from "../shared/utf8.js";
import { arrayValues, type Fields, kindOf, mapFields, type Value } from "./value.js";

export const MAX_DOCUMENT_BYTES = 1_048_576;
export const MAX_REQUEST_BYTES = 10_485_760;

export function documentNameSize(path: string): number {
  let size = 16;
  for (const segment of path.split("/")) size += utf8Length(segment) + 1;
  return size;
}

function referenceSize(name: string): number {
  const i = name.indexOf("/documents/");
  return documentNameSize(i < 0 ? name : name.slice(i + "/documents/".length));
}

export function valueSize(v: Value): number {
  switch (kindOf(v)) {
    case "null":
    case "boolean":
      return 1;
    case "integer":
    case "double":
    case "timestamp":
      return 8;
    case "geo":
      return 16;
    case "string":
      return utf8Length((v as { stringValue: string }).stringValue) + 1;
    case "bytes":
      return (v as { bytesValue: Uint8Array }).bytesValue.byteLength;
    case "reference":
      return referenceSize((v as { referenceValue: string }).referenceValue);
    case "array":
      return arrayValues(v).reduce((sum, e) => sum + valueSize(e), 0);
    default:
      return fieldsSize(mapFields(v));
  }
}

export function fieldsSize(fields: Fields): number {
  let size = 0;
  for (const [name, value] of Object.entries(fields)) size += utf8Length(name) + 1 + valueSize(value);
  return size;
}

export function documentSize(path: string, fields: Fields): number {
  return documentNameSize(path) + fieldsSize(fields) + 32;
}

export function checkDocumentSize(name: string, path: string, fields: Fields): number {
  const size = documentSize(path, fields);
  if (size > MAX_DOCUMENT_BYTES) {
    throw new EmulatorError(
      "INVALID_ARGUMENT",
      `Document '${name}' cannot be written because its size (${size.toLocaleString("en-US")} bytes) exceeds the maximum allowed size of ${MAX_DOCUMENT_BYTES.toLocaleString("en-US")} bytes.`,
    );
  }
  return size;
}
