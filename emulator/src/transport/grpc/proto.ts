/**
 * Loads `google.firestore.v1` from the protos shipped in the installed `@google-cloud/firestore`, adding
 * the `Write.verify` field the public descriptors lack (the JS SDK sends it in transactions), plus the
 * trigger event message `google.events.cloud.firestore.v1.DocumentEventData`, which reuses the v1
 * Document type (its wire format is identical).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as protoLoader from "@grpc/proto-loader";

/** The parts of a protobufjs JSON descriptor this module touches. */
interface JsonNode {
  nested?: Record<string, JsonNode>;
  fields?: Record<string, unknown>;
  oneofs?: Record<string, { oneof: string[] }>;
  [key: string]: unknown;
}

function child(node: JsonNode, ...names: string[]): JsonNode {
  let current = node;
  for (const name of names) {
    const next = current.nested?.[name];
    if (!next) throw new Error(`Firestore proto descriptor has no ${names.join(".")}.`);
    current = next;
  }
  return current;
}

export const DECODE_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
};

function loadDescriptor(): JsonNode {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("@google-cloud/firestore/package.json"));
  return JSON.parse(readFileSync(join(root, "build", "protos", "v1.json"), "utf8")) as JsonNode;
}

function patchVerify(descriptor: JsonNode): void {
  const write = child(descriptor, "google", "firestore", "v1", "Write");
  const operation = write.oneofs?.operation;
  if (!write.fields || !operation)
    throw new Error("Firestore proto descriptor has an unexpected Write message.");
  write.fields.verify = { type: "string", id: 5 };
  if (!operation.oneof.includes("verify")) operation.oneof.push("verify");
}

function addEventTypes(descriptor: JsonNode): void {
  const google = child(descriptor, "google");
  google.nested!.events = {
    nested: {
      cloud: {
        nested: {
          firestore: {
            nested: {
              v1: {
                nested: {
                  DocumentEventData: {
                    fields: {
                      value: { type: "google.firestore.v1.Document", id: 1 },
                      oldValue: { type: "google.firestore.v1.Document", id: 2 },
                      updateMask: { type: "google.firestore.v1.DocumentMask", id: 3 },
                    },
                  },
                  // A codec-only service: proto-loader exposes serializers only through methods.
                  EventCodec: {
                    methods: {
                      Encode: { requestType: "DocumentEventData", responseType: "DocumentEventData" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

let cached: protoLoader.PackageDefinition | null = null;

export function firestoreDefinition(): protoLoader.PackageDefinition {
  if (cached) return cached;
  const descriptor = loadDescriptor();
  patchVerify(descriptor);
  addEventTypes(descriptor);
  cached = protoLoader.fromJSON(descriptor as Parameters<typeof protoLoader.fromJSON>[0], DECODE_OPTIONS);
  return cached;
}

export function firestoreService(): protoLoader.ServiceDefinition {
  return firestoreDefinition()["google.firestore.v1.Firestore"] as protoLoader.ServiceDefinition;
}

/** Encodes a DocumentEventData object (camelCase, wire-shaped documents) to protobuf bytes. */
export function encodeDocumentEventData(data: Record<string, unknown>): Buffer {
  const codec = firestoreDefinition()[
    "google.events.cloud.firestore.v1.EventCodec"
  ] as protoLoader.ServiceDefinition;
  return codec.Encode!.requestSerialize(data);
}
