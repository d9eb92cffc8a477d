import type { DocumentLookup, GateAuth, GateDecision } from "../../shared/security.js";
import type { Method } from "../ast/nodes.js";
import { debugSink } from "../eval/debug.js";
import { denialMessage, judge } from "../eval/judge.js";
import type { Ruleset } from "../eval/ruleset.js";
import { DocumentReader } from "../firestore/documents.js";
import { authValue, timeValue } from "../firestore/request.js";
import type { Result, RulesValue } from "../types/value.js";
import { fromJs } from "../wire.js";

/** Object metadata as storage rules see it in `resource` and `request.resource`. */
export interface StorageObject {
  name?: string;
  bucket?: string;
  size?: number;
  contentType?: string;
  metadata?: Record<string, string>;
  timeCreated?: Date;
  updated?: Date;
  md5Hash?: string;
  crc32c?: string;
  etag?: string;
  generation?: string;
  metageneration?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  cacheControl?: string;
}

export interface StorageRequest {
  /** A ruleset from compileRuleset that declares `service firebase.storage`. */
  rules: Ruleset;
  method: Method;
  /** The object path inside the bucket, e.g. `orgs/a/files/logo.png`. */
  path: string;
  bucket: string;
  auth: GateAuth;
  /** The stored object, or null when there is none (create, or a read of a missing object). */
  resource: StorageObject | null;
  /** The incoming object for create and update. */
  requestResource?: StorageObject | null;
  time: Date;
  /** Firestore documents for `firestore.get()` and `firestore.exists()`. */
  firestore: DocumentLookup;
  /** The Firestore database those calls read; `(default)` unless given. */
  database?: string;
  /** Receives one line per debug() call in the rules. */
  debug?: (line: string) => void;
  /**
   * For `list`: judge the listing as a request for a child of `path` (an empty last segment), so that
   * `match /dir/{file}` rules govern listing `dir/`.
   */
  listChild?: boolean;
}

/** Judges one Cloud Storage request against `service firebase.storage` rules. */
export function evaluateStorageRequest(req: StorageRequest): GateDecision {
  const objectSegments = req.path.split("/").filter((s) => s !== "");
  if (req.listChild) objectSegments.push("");
  const segments = ["b", req.bucket, "o", ...objectSegments];
  const request = new Map<string, RulesValue>([
    ["auth", authValue(req.auth)],
    ["method", req.method],
    ["path", { type: "path", segments }],
    ["time", timeValue(req.time)],
  ]);
  if (req.requestResource) request.set("resource", objectValue(req.requestResource, req));
  const globals = new Map<string, Result>([
    ["request", { type: "map", fields: request }],
    ["resource", req.resource ? objectValue(req.resource, req) : null],
  ]);
  const verdict = judge({
    ruleset: req.rules,
    service: "firebase.storage",
    segments,
    method: req.method,
    globals,
    runtime: new DocumentReader({
      database: req.database ?? "(default)",
      before: req.firestore,
      after: req.firestore,
      debug: req.debug && debugSink(req.rules, req.debug),
    }),
  });
  return verdict.allowed ? { allowed: true } : { allowed: false, message: denialMessage(verdict.reasons) };
}

function objectValue(o: StorageObject, req: StorageRequest): RulesValue {
  return fromJs({ name: req.path, bucket: req.bucket, metadata: {}, ...o });
}
