import type { DocumentLookup } from "../../shared/security.js";
import { MAX_DOCUMENT_ACCESS_BATCH, MAX_DOCUMENT_ACCESS_SINGLE } from "../eval/limits.js";
import type { Span } from "../source.js";
import type { Runtime } from "../stdlib/overload.js";
import { type RulesError, rulesError } from "../types/error.js";
import type { Result, RulesPath, RulesValue } from "../types/value.js";
import { documentResource } from "../wire.js";

/** Distinct documents read by a whole batch or transaction; each path counts once. */
export class AccessLedger {
  readonly seen = new Set<string>();
  constructor(readonly limit: number) {}
}

export interface DocumentSources {
  database: string;
  before: DocumentLookup;
  after: DocumentLookup;
  /** Receives the values passed to debug(); without it debug() only returns its argument. */
  debug?: ((value: RulesValue, span: Span) => void) | undefined;
}

/**
 * The document reads of one operation (one read, one query case, or one write of a batch), with
 * Firestore's access-call limits: 10 distinct documents per operation, and the ledger's limit across a batch.
 */
export class DocumentReader implements Runtime {
  /** Documents already read by this operation; values are never mutated, so they can be shared. */
  private readonly cache = new Map<string, RulesValue>();
  fatal: RulesError | undefined;

  constructor(
    private readonly sources: DocumentSources,
    private readonly ledger: AccessLedger = new AccessLedger(MAX_DOCUMENT_ACCESS_SINGLE),
  ) {}

  static forBatch(sources: DocumentSources, writes: number): () => DocumentReader {
    const ledger = new AccessLedger(writes > 1 ? MAX_DOCUMENT_ACCESS_BATCH : MAX_DOCUMENT_ACCESS_SINGLE);
    return () => new DocumentReader(sources, ledger);
  }

  readDocument(path: RulesPath, after: boolean, span: Span): Result {
    const s = path.segments;
    if (s.length < 5 || s[0] !== "databases" || s[2] !== "documents" || (s.length - 3) % 2 !== 0) {
      return rulesError("invalid-argument", `Path /${s.join("/")} is not a document path.`, span);
    }
    if (s[1] !== this.sources.database) {
      return rulesError("invalid-argument", `Path /${s.join("/")} is in another database.`, span);
    }
    const relative = s.slice(3).join("/");
    const key = `${after ? "after" : "before"}:${relative}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    if (this.cache.size >= MAX_DOCUMENT_ACCESS_SINGLE) return this.exceeded(MAX_DOCUMENT_ACCESS_SINGLE, span);
    if (!this.ledger.seen.has(key) && this.ledger.seen.size >= this.ledger.limit) {
      return this.exceeded(this.ledger.limit, span);
    }
    this.ledger.seen.add(key);
    const doc = (after ? this.sources.after : this.sources.before).get(relative);
    const value = doc ? documentResource(doc, this.sources.database) : null;
    this.cache.set(key, value);
    return value;
  }

  private exceeded(limit: number, span: Span): RulesError {
    this.fatal ??= rulesError(
      "document-access-limit",
      `Exceeded maximum of ${limit} document access calls.`,
      span,
    );
    return this.fatal;
  }

  debug(value: RulesValue, span: Span): void {
    this.sources.debug?.(value, span);
  }
}
