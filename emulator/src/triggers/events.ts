/**
 * Builds the HTTP requests the Functions emulator expects for a document change: a v2 CloudEvent in
 * binary mode (protobuf DocumentEventData, base64 text body) or a v1 legacy JSON event.
 */
import { eventId } from "../shared/ids.js";
import { type DatabaseId, documentName } from "../shared/resource-path.js";
import { type StoredDoc, toWireDocument } from "../store/document.js";
import type { CommitOrigin, DocChange } from "../store/memory-store.js";
import { toProtoJsonDocument } from "../store/proto-json.js";
import { microsToRfc3339 } from "../store/timestamp.js";
import { encodeDocumentEventData } from "../transport/grpc/proto.js";
import type { Trigger } from "./registry.js";
import { changedPaths } from "./update-mask.js";

export interface EventRequest {
  headers: Record<string, string>;
  body: string;
}

function updateMask(change: DocChange): string[] {
  return change.before && change.after ? changedPaths(change.before.fields, change.after.fields) : [];
}

function wire(db: DatabaseId, doc: StoredDoc | null) {
  return doc ? toWireDocument(db, doc) : undefined;
}

export function cloudEvent(
  trigger: Trigger,
  db: DatabaseId,
  change: DocChange,
  commitTime: number,
  origin: CommitOrigin | undefined,
): EventRequest {
  const data = encodeDocumentEventData({
    value: wire(db, change.after),
    oldValue: wire(db, change.before),
    updateMask: change.before && change.after ? { fieldPaths: updateMask(change) } : undefined,
  });
  const headers: Record<string, string> = {
    "content-type": "application/protobuf",
    "ce-specversion": "1.0",
    "ce-type": trigger.eventType,
    "ce-id": eventId(),
    "ce-source": `//firestore.googleapis.com/projects/${db.project}/databases/${db.database}`,
    "ce-subject": `documents/${change.path}`,
    "ce-time": microsToRfc3339(commitTime),
    "ce-datacontenttype": "application/protobuf",
    "ce-dataschema":
      "https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/firestore/v1/data.proto",
    "ce-project": db.project,
    "ce-database": db.database,
    "ce-namespace": "(default)",
    "ce-document": change.path,
    "ce-location": "us-central1",
  };
  if (trigger.withAuthContext) {
    headers["ce-authtype"] = origin?.authType ?? "unknown";
    if (origin?.authId) headers["ce-authid"] = origin.authId;
  }
  return { headers, body: data.toString("base64") };
}

export function legacyEvent(
  trigger: Trigger,
  db: DatabaseId,
  change: DocChange,
  commitTime: number,
): EventRequest {
  const data: Record<string, unknown> = {};
  if (change.after) data.value = toProtoJsonDocument(db, change.after);
  if (change.before) data.oldValue = toProtoJsonDocument(db, change.before);
  data.updateMask = { fieldPaths: updateMask(change) };
  return {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      data,
      context: {
        eventId: eventId(),
        timestamp: microsToRfc3339(commitTime),
        eventType: trigger.eventType,
        resource: { name: documentName(db, change.path), service: "firestore.googleapis.com" },
      },
    }),
  };
}
