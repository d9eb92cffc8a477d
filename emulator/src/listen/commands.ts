/**
 * ListenRequest as typed commands. Each transport decodes its own wire form into these: gRPC hands over
 * proto-loader objects (a `targetChange`/`targetType` oneof discriminator, bytes as Buffers), WebChannel
 * proto3 JSON (no discriminators, bytes as base64 text); the envelope has the same field names in both,
 * so one decoder serves both. Structured queries stay in their wire shape, which `planQuery` reads.
 */
import { invalidArgument } from "../shared/errors.js";

export type ListenTargetWire =
  | { kind: "documents"; names: string[] }
  | { kind: "query"; parent: string; structuredQuery: Record<string, unknown> }
  /** A malformed target: the session refuses it alone (REMOVE with an INVALID_ARGUMENT cause). */
  | { kind: "invalid"; message: string };

export type ListenCommand =
  | {
      kind: "add";
      database: string;
      targetId: number;
      target: ListenTargetWire;
      /** The client sent a resume token or read time (we start such targets over with RESET). */
      resumed: boolean;
    }
  | { kind: "remove"; database: string; targetId: number }
  | { kind: "none" };

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function hasToken(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length > 0;
  return typeof value === "string" && value.length > 0;
}

function decodeTarget(target: Raw): ListenTargetWire {
  if (isObject(target.documents)) {
    const names = target.documents.documents ?? [];
    if (!(Array.isArray(names) && names.every((n) => typeof n === "string")))
      return { kind: "invalid", message: "Listen documents targets must name documents as strings." };
    return { kind: "documents", names };
  }
  const query = target.query;
  if (!isObject(query) || !isObject(query.structuredQuery))
    return { kind: "invalid", message: "A Listen target needs documents or a structured query." };
  return { kind: "query", parent: String(query.parent ?? ""), structuredQuery: query.structuredQuery };
}

/** Decodes one ListenRequest; only a request that is not an object at all is refused here. */
export function decodeListenRequest(req: unknown): ListenCommand {
  if (!isObject(req)) throw invalidArgument("A ListenRequest must be an object.");
  const database = typeof req.database === "string" ? req.database : "";
  if (isObject(req.addTarget)) {
    const add = req.addTarget;
    return {
      kind: "add",
      database,
      targetId: Number(add.targetId ?? 0),
      target: decodeTarget(add),
      resumed: hasToken(add.resumeToken) || (add.readTime !== undefined && add.readTime !== null),
    };
  }
  if (req.removeTarget !== undefined && req.removeTarget !== null) {
    return { kind: "remove", database, targetId: Number(req.removeTarget) };
  }
  return { kind: "none" };
}
