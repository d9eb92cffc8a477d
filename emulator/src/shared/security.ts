/**
 * The seam between the data plane and the Security Rules engine. The data plane calls a SecurityGate
 * for every request that is not made with the admin token; the rules engine implements it. Values
 * cross the seam in the wire shape of `google.firestore.v1.Value` (as decoded by proto-loader with
 * `oneofs: true`, so a `valueType` discriminator may be present and must be ignored by readers).
 */

export type Timestamp = { seconds: string | number; nanos: number };

export type WireValue =
  | { nullValue: "NULL_VALUE" | 0 | null }
  | { booleanValue: boolean }
  | { integerValue: string | number }
  | { doubleValue: number }
  | { timestampValue: Timestamp }
  | { stringValue: string }
  | { bytesValue: Uint8Array }
  | { referenceValue: string }
  | { geoPointValue: { latitude: number; longitude: number } }
  | { arrayValue: { values?: WireValue[] } }
  | { mapValue: { fields?: Record<string, WireValue> } };

export type WireFields = Record<string, WireValue>;

/** A stored document as the rules engine sees it. `path` is relative to `…/documents`, e.g. `orgs/a`. */
export interface GateDocument {
  path: string;
  fields: WireFields;
  createTime: Timestamp;
  updateTime: Timestamp;
}

/** Synchronous read of one document by path (relative to `…/documents`), or null when it is missing. */
export interface DocumentLookup {
  get(path: string): GateDocument | null;
}

/** `request.auth`: null when no token was sent. */
export type GateAuth = { uid: string; token: Record<string, unknown> } | null;

export interface GateContext {
  project: string;
  database: string;
  auth: GateAuth;
  /** `request.time`: the commit or read time of the request. */
  time: Date;
  /** Documents as they are before the request (get/exists). */
  before: DocumentLookup;
  /** Documents as they would be after the whole batch (getAfter/existsAfter); equals `before` for reads. */
  after: DocumentLookup;
}

/** One write of a commit, already resolved against the current state. */
export interface GateWrite {
  path: string;
  method: "create" | "update" | "delete";
  /** The document before the write (null when it did not exist). */
  before: GateDocument | null;
  /** The document after the write (null for deletes). */
  after: GateDocument | null;
}

/** A query as sent on the wire. `parent` is relative to `…/documents` ("" for root collections). */
export interface GateQuery {
  parent: string;
  /** google.firestore.v1.StructuredQuery encoded from the decoded query. */
  structuredQuery: Record<string, unknown>;
}

export type GateDecision = { allowed: true } | { allowed: false; message: string };

export interface RulesLoadIssue {
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
}

export type RulesLoadResult =
  | { ok: true; issues: RulesLoadIssue[] }
  | { ok: false; issues: RulesLoadIssue[] };

export interface SecurityGate {
  /** Compiles and installs rules for one project; on failure the previous rules stay in force. */
  setRules(project: string, source: string, fileName?: string): RulesLoadResult;
  /** A single-document read (`get`). */
  checkGet(path: string, ctx: GateContext): GateDecision;
  /** A query or aggregation (`list`), judged from its constraints, not from the stored documents. */
  checkQuery(query: GateQuery, ctx: GateContext): GateDecision;
  /** Every write of one commit; all must be allowed. */
  checkWrites(writes: GateWrite[], ctx: GateContext): GateDecision;
  /** The `:ruleCoverage` JSON report for a project's current rules; null when it has none. */
  coverage?(project: string): RuleCoverageReport | null;
}

/** One outcome of an expression and how often it occurred. */
export interface CoverageValue {
  value?: { boolValue: boolean } | { nullValue: null } | { otherValue: string };
  error?: string;
  count: number;
}

/** An expression of the rules with its outcomes, and its sub-expressions below it. */
export interface CoverageNode {
  sourcePosition: {
    fileName: string;
    line: number;
    column: number;
    currentOffset: number;
    endOffset: number;
  };
  values: CoverageValue[];
  children: CoverageNode[];
}

/** The `:ruleCoverage` report: the rules as loaded, and every condition and function body's tree. */
export interface RuleCoverageReport {
  rules: { files: { name: string; content: string }[] };
  report: CoverageNode[];
}
