/**
 * Firestore resource names: `projects/{p}/databases/{d}/documents/{coll}/{id}/…`. Documents are kept by
 * their path relative to `…/documents` ("users/alice"); this module turns names into paths and back and
 * enforces the resource-id rules with Firestore's messages.
 */
import { invalidArgument } from "./errors.js";
import { compareUtf8, utf8Length } from "./utf8.js";

export interface DatabaseId {
  project: string;
  database: string;
}

const DB_RE = /^projects\/([^/]+)\/databases\/([^/]+)$/;
const LONG_ID_RE = /^__id(-?\d+)__$/;
const MAX_ID_BYTES = 1500;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function databaseName(db: DatabaseId): string {
  return `projects/${db.project}/databases/${db.database}`;
}

export function databaseKey(db: DatabaseId): string {
  return `${db.project}/${db.database}`;
}

export function parseDatabaseName(name: string): DatabaseId {
  const m = DB_RE.exec(name ?? "");
  if (!m) throw invalidArgument(`Invalid database name "${name}".`);
  return { project: m[1]!, database: m[2]! };
}

/** Splits `projects/p/databases/d/documents[/rest]` into the database and the relative path ("" for root). */
export function parseResourceName(name: string): { db: DatabaseId; path: string } {
  const parts = (name ?? "").split("/");
  if (parts.length < 5 || parts[0] !== "projects" || parts[2] !== "databases" || parts[4] !== "documents") {
    throw invalidArgument(`Invalid resource name "${name}".`);
  }
  const db = { project: parts[1]!, database: parts[3]! };
  if (!db.project || !db.database) throw invalidArgument(`Invalid resource name "${name}".`);
  const rest = parts.slice(5);
  const prefix = parts.slice(0, 5).join("/").length + 1;
  let offset = prefix;
  for (const segment of rest) {
    validateResourceId(segment, name, offset);
    offset += segment.length + 1;
  }
  return { db, path: rest.join("/") };
}

export function parseDocumentName(name: string, expected?: DatabaseId): { db: DatabaseId; path: string } {
  const parsed = parseResourceName(name);
  const segments = parsed.path === "" ? 0 : parsed.path.split("/").length;
  if (segments === 0 || segments % 2 !== 0) throw invalidArgument(`Document name "${name}" is invalid.`);
  if (expected) requireDatabase(name, parsed.db, expected);
  return parsed;
}

/** Refuses a document named in another database than the request's (or the stream's). */
export function requireDatabase(name: string, actual: DatabaseId, expected: DatabaseId): void {
  if (databaseKey(expected) !== databaseKey(actual)) {
    throw invalidArgument(`Document name "${name}" is not in database "${databaseName(expected)}".`);
  }
}

export function documentName(db: DatabaseId, path: string): string {
  return path === "" ? `${databaseName(db)}/documents` : `${databaseName(db)}/documents/${path}`;
}

function validateResourceId(segment: string, name: string, index: number): void {
  if (segment === "") throw invalidArgument(`Resource name "${name}" contains an empty resource id.`);
  if (segment === "." || segment === "..") {
    throw invalidArgument(`Document name "${name}" contains a resource id "${segment}" at index ${index}.`);
  }
  if (utf8Length(segment) > MAX_ID_BYTES) {
    throw invalidArgument(`Resource id "${segment.slice(0, 20)}…" is longer than ${MAX_ID_BYTES} bytes.`);
  }
  if (segment.startsWith("__id") && segment.endsWith("__") && segment.length > 5) {
    if (numericId(segment) === null) {
      throw invalidArgument(
        `A long document ID string must be formatted like '__id{LONG}__', where LONG is a 64-bit integer. Found: '${segment}'.`,
      );
    }
    return;
  }
  if (/^__.*__$/.test(segment))
    throw invalidArgument(`Resource id "${segment}" is invalid because it is reserved.`);
}

/** The numeric value of an `__id{LONG}__` id, or null for an ordinary string id. */
function numericId(segment: string): bigint | null {
  const m = LONG_ID_RE.exec(segment);
  if (!m) return null;
  const n = BigInt(m[1]!);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/** Firestore orders ids with numeric `__id{N}__` ids first (by value), then strings by UTF-8 bytes. */
export function compareSegment(a: string, b: string): number {
  if (a === b) return 0;
  const na = a.startsWith("__id") ? numericId(a) : null;
  const nb = b.startsWith("__id") ? numericId(b) : null;
  if (na !== null && nb !== null) return na < nb ? -1 : na > nb ? 1 : 0;
  if (na !== null) return -1;
  if (nb !== null) return 1;
  return compareUtf8(a, b);
}

export function compareSegments(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareSegment(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** A query or listing parent: the database root (`…/documents`) or a document. */
export function parseParentName(parent: string): { db: DatabaseId; path: string } {
  const parsed = parseResourceName(parent);
  if (parsed.path !== "" && parsed.path.split("/").length % 2 !== 0) {
    throw invalidArgument(`Invalid parent "${parent}": not a document.`);
  }
  return parsed;
}
