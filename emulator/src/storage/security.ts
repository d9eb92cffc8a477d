/**
 * Storage's seam to the rules engine, loaded on first use like Firestore's gate. Requests made with
 * the admin token or through the Cloud Storage JSON API (server SDKs) bypass rules; with no rules
 * loaded every request is allowed, with one warning.
 */
import type { Method } from "../rules/ast/nodes.js";
import type { StorageObject } from "../rules/index.js";
import type { StorageRulesGate } from "../rules/storage/gate.js";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
import type { DocumentLookup, GateAuth, RulesLoadResult } from "../shared/security.js";
import { StorageError } from "./errors.js";
import { DOWNLOAD_TOKENS_KEY, type StoredObject } from "./object.js";
import { etagOf } from "./resource.js";

export type Caller = { admin: true } | { admin: false; auth: GateAuth };

export const ADMIN: Caller = { admin: true };

/** The object as rules see it; fields of an upload not known yet are left out. */
export type RulesObject = Partial<StoredObject> & Pick<StoredObject, "bucket" | "name">;

export interface AccessRequest {
  caller: Caller;
  method: Method;
  bucket: string;
  /** The object name, or for `list` the listed prefix. */
  name: string;
  resource: StoredObject | null;
  incoming?: RulesObject;
}

export interface RulesOutcome {
  result: RulesLoadResult;
  /** Errors rendered for people (file:line:col, the line and a caret). */
  errors: string;
}

/** Firestore's current documents of a project's (default) database, for `firestore.get()`. */
export type FirestoreOf = (project: string) => DocumentLookup;

/** The project a bucket belongs to: `p.appspot.com` and `p.firebasestorage.app` → `p`, else the name. */
export function projectOfBucket(bucket: string): string {
  return bucket.replace(/\.(appspot\.com|firebasestorage\.app)$/, "");
}

function rulesObject(o: RulesObject): StorageObject {
  const { [DOWNLOAD_TOKENS_KEY]: _tokens, ...metadata } = o.metadata ?? {};
  const out: StorageObject = { name: o.name, bucket: o.bucket, metadata };
  if (o.size !== undefined) out.size = o.size;
  if (o.contentType !== undefined) out.contentType = o.contentType;
  if (o.timeCreated !== undefined) out.timeCreated = new Date(o.timeCreated);
  if (o.updated !== undefined) out.updated = new Date(o.updated);
  for (const key of [
    "md5Hash",
    "crc32c",
    "generation",
    "contentDisposition",
    "contentEncoding",
    "contentLanguage",
    "cacheControl",
  ] as const) {
    if (o[key] !== undefined) out[key] = o[key];
  }
  if (o.metageneration !== undefined) {
    out.metageneration = String(o.metageneration);
    if (o.generation !== undefined)
      out.etag = etagOf({ generation: o.generation, metageneration: o.metageneration });
  }
  return out;
}

/** Raised when start-up storage rules do not compile; the message lists each error with its place. */
export class StorageRulesError extends Error {
  constructor(readonly outcome: RulesOutcome) {
    super(`Storage rules failed to compile:\n${outcome.errors}`);
    this.name = "StorageRulesError";
  }
}

export class StorageSecurity {
  private warned = false;

  private constructor(
    private gate: StorageRulesGate | null,
    private readonly firestore: FirestoreOf,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Compiles start-up rules before the port opens; errors throw StorageRulesError. */
  static async create(
    rules: { source: string; fileName: string } | undefined,
    deps: { firestore: FirestoreOf; clock: Clock; log: Logger },
  ): Promise<StorageSecurity> {
    const security = new StorageSecurity(null, deps.firestore, deps.clock, deps.log);
    if (rules) {
      const outcome = await security.setRules(rules.source, rules.fileName);
      if (!outcome.result.ok) throw new StorageRulesError(outcome);
    }
    return security;
  }

  async setRules(source: string, fileName = "storage.rules"): Promise<RulesOutcome> {
    if (!this.gate) {
      const { createStorageRulesGate } = await import("../rules/index.js");
      this.gate = createStorageRulesGate();
    }
    const result = this.gate.setRules(source, fileName);
    return { result, errors: result.ok ? "" : this.gate.lastErrors() };
  }

  /** Throws permission-denied unless the rules allow the request. */
  authorize(req: AccessRequest): void {
    if (req.caller.admin) return;
    if (!this.gate?.loaded()) {
      if (!this.warned) {
        this.warned = true;
        this.log.warn(
          "no Storage rules loaded: every Storage request is allowed (the official emulator's open default).",
        );
      }
      return;
    }
    const decision = this.gate.check({
      method: req.method,
      path: req.name,
      bucket: req.bucket,
      auth: req.caller.auth,
      resource: req.resource ? rulesObject(req.resource) : null,
      requestResource: req.incoming ? rulesObject(req.incoming) : null,
      time: new Date(Math.floor(this.clock.now() / 1000)),
      firestore: this.firestore(projectOfBucket(req.bucket)),
    });
    if (!decision.allowed) throw new StorageError("permission-denied", decision.message);
  }
}
