/**
 * Resolves a list of writes against the current state into one atomic commit: preconditions, update
 * masks, transforms and size limits are applied in order, each write seeing the ones before it. Nothing
 * is stored here; the caller checks rules on the plan and then hands `event` to the store.
 */
import { EmulatorError } from "../shared/errors.js";
import { makeDoc, type StoredDoc } from "./document.js";
import { deleteField, getField, setField } from "./field-path.js";
import { checkDocumentSize } from "./limits.js";
import type { CommitEvent, DocChange, MemoryStore } from "./memory-store.js";
import { applyTransform } from "./transforms.js";
import { type Fields, fieldsIdentical, type Value } from "./value.js";
import type { WriteOp } from "./write-op.js";

export interface WriteResult {
  /** Null for deletes and verifies. */
  updateTime: number | null;
  transformResults: Value[];
}

/**
 * One logical write, as rules judge it. Usually one op; a legacy pair (an update or set followed by a
 * `transform` write of the same document, as SDKs sent before `updateTransforms`) is one logical write
 * whose `after` is the state once both have applied, as production judges it.
 */
export interface ResolvedWrite {
  op: WriteOp;
  before: StoredDoc | null;
  after: StoredDoc | null;
}

export interface CommitPlan {
  commitTime: number;
  /** The logical writes, for rules. */
  writes: ResolvedWrite[];
  /** One per op. */
  results: WriteResult[];
  event: CommitEvent;
  /** Final state of every written path, for rules' getAfter. */
  overlay: Map<string, StoredDoc | null>;
}

function checkPrecondition(op: WriteOp, current: StoredDoc | null): void {
  const pre = op.precondition;
  if (!pre) return;
  if ("exists" in pre) {
    if (pre.exists && !current) throw new EmulatorError("NOT_FOUND", `No document to update: ${op.name}`);
    if (!pre.exists && current)
      throw new EmulatorError("ALREADY_EXISTS", `Document already exists: ${op.name}`);
    return;
  }
  const stored = current?.updateTime ?? 0;
  if (stored !== pre.updateTime) {
    throw new EmulatorError(
      "FAILED_PRECONDITION",
      `the stored version (${stored}) does not match the required base version (${pre.updateTime})`,
    );
  }
}

function applyOp(
  op: WriteOp,
  current: StoredDoc | null,
  commitTime: number,
  results: Value[],
): StoredDoc | null {
  if (op.kind === "delete") return null;
  if (op.kind === "verify") return current;
  let fields: Fields;
  if (op.kind === "set" && !op.mask) {
    fields = op.fields;
  } else {
    fields = current?.fields ?? {};
    for (const path of op.mask ?? []) {
      const value = getField(op.fields, path);
      fields = value === undefined ? deleteField(fields, path) : setField(fields, path, value);
    }
  }
  for (const t of op.transforms) {
    const value = applyTransform(t, getField(fields, t.path), commitTime);
    results.push(value);
    fields = setField(fields, t.path, value);
  }
  checkDocumentSize(op.name, op.path, fields);
  return makeDoc(op.path, fields, current?.createTime ?? commitTime, commitTime);
}

/** A `transform` write right after a set or update of the same document finishes that write. */
function completesLegacyPair(previous: WriteOp, op: WriteOp): boolean {
  return op.kind === "transform" && previous.kind === "set" && previous.path === op.path;
}

export function planCommit(store: MemoryStore, ops: WriteOp[], commitTime: number): CommitPlan {
  const overlay = new Map<string, StoredDoc | null>();
  const writes: ResolvedWrite[] = [];
  const transformResults: Value[][] = [];
  for (const [i, op] of ops.entries()) {
    const current = overlay.has(op.path) ? overlay.get(op.path)! : store.get(op.path);
    checkPrecondition(op, current);
    const results: Value[] = [];
    const after = applyOp(op, current, commitTime, results);
    overlay.set(op.path, after);
    const previous = writes.at(-1);
    if (previous && completesLegacyPair(ops[i - 1]!, op)) previous.after = after;
    else writes.push({ op, before: current, after });
    transformResults.push(results);
  }
  const changes: DocChange[] = [];
  for (const [path, written] of overlay) {
    const before = store.get(path);
    let after = written;
    // Writing identical data leaves the stored version (and its update time) untouched.
    if (before && after && fieldsIdentical(before.fields, after.fields)) after = before;
    overlay.set(path, after);
    if (before !== after) changes.push({ path, before, after });
  }
  // One result per op as sent: a legacy pair still answers for each of its two writes.
  const results = ops.map((op, i): WriteResult => {
    const final = overlay.get(op.path);
    const updateTime = op.kind === "delete" || op.kind === "verify" || !final ? null : final.updateTime;
    return { updateTime, transformResults: transformResults[i]! };
  });
  return { commitTime, writes, results, event: { commitTime, changes }, overlay };
}
