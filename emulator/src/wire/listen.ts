/**
 * Decodes a ListenRequest into a ListenCommand. gRPC hands over proto-loader objects (a `targetChange` /
 * `targetType` oneof discriminator, bytes as Buffers), WebChannel Proto3 JSON (bytes as base64 text). A
 * malformed target is not a stream error: it decodes to a `reject` that the session answers with a
 * REMOVE carrying the error, as Firestore does. Only a request that is not an object fails the stream.
 */
import type { ListenCommand, ListenTargetSpec } from "../listen/commands.js";
import { readResumeToken } from "../listen/resume-token.js";
import { invalidArgument, isEmulatorError } from "../shared/errors.js";
import {
  type DatabaseId,
  parseDatabaseName,
  parseDocumentName,
  parseParentName,
} from "../shared/resource-path.js";
import { timestampToMicros } from "../store/timestamp.js";
import { isWireObject, readBytes, readString, readTimestamp, type WireObject } from "./object.js";
import { decodeStructuredQuery } from "./query.js";

/** Where a re-added target's client view is from: its resume token, else its read time. */
function resumePoint(add: WireObject): { time: number | null } | null {
  const token = readBytes(add.resumeToken, "resumeToken");
  if (token) return { time: readResumeToken(token) };
  if (add.readTime === undefined || add.readTime === null) return null;
  return { time: timestampToMicros(readTimestamp(add.readTime, "readTime")) };
}

function decodeTarget(target: WireObject, db: DatabaseId): ListenTargetSpec {
  if (isWireObject(target.documents)) {
    const names = target.documents.documents ?? [];
    if (!(Array.isArray(names) && names.every((n) => typeof n === "string")))
      throw invalidArgument("Listen documents targets must name documents as strings.");
    return { kind: "documents", paths: names.map((n) => parseDocumentName(n, db).path) };
  }
  const query = target.query;
  if (!isWireObject(query) || !isWireObject(query.structuredQuery))
    throw invalidArgument("A Listen target needs documents or a structured query.");
  return {
    kind: "query",
    parent: parseParentName(readString(query.parent, "query.parent")).path,
    query: decodeStructuredQuery(query.structuredQuery),
  };
}

export function decodeListenRequest(raw: unknown): ListenCommand {
  if (!isWireObject(raw)) throw invalidArgument("A ListenRequest must be an object.");
  if (isWireObject(raw.addTarget)) {
    const add = raw.addTarget;
    const targetId = Number(add.targetId ?? 0);
    try {
      const database = parseDatabaseName(readString(raw.database, "database"));
      return {
        kind: "add",
        database,
        targetId,
        target: decodeTarget(add, database),
        resume: resumePoint(add),
      };
    } catch (error) {
      if (!isEmulatorError(error)) throw error;
      return { kind: "reject", targetId, error };
    }
  }
  if (raw.removeTarget !== undefined && raw.removeTarget !== null) {
    return { kind: "remove", targetId: Number(raw.removeTarget) };
  }
  return { kind: "none" };
}
