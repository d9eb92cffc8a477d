/**
 * ListenRequest as typed commands, and ListenResponse as typed messages. Each transport decodes its own
 * wire form into commands with wire/listen.ts and encodes the messages for its wire.
 */
import type { StructuredQuery } from "../query/structured-query.js";
import type { EmulatorError } from "../shared/errors.js";
import type { DatabaseId } from "../shared/resource-path.js";
import type { WireDocument } from "../store/document.js";
import type { Timestamp } from "../store/timestamp.js";

export type ListenTargetSpec =
  /** Paths relative to the database's `…/documents`. */
  | { kind: "documents"; paths: string[] }
  /** `parent` is relative to `…/documents` ("" for the root). */
  | { kind: "query"; parent: string; query: StructuredQuery };

export type ListenCommand =
  | {
      kind: "add";
      database: DatabaseId;
      targetId: number;
      target: ListenTargetSpec;
      /**
       * Null for a new target; for a resumed one the time the client's view is from (microseconds, from
       * its resume token or read time), or null when the token is not one of ours.
       */
      resume: { time: number | null } | null;
    }
  /** A malformed addTarget: the session refuses that target alone (REMOVE with the error as cause). */
  | { kind: "reject"; targetId: number; error: EmulatorError }
  | { kind: "remove"; targetId: number }
  | { kind: "none" };

export type TargetChangeType = "NO_CHANGE" | "ADD" | "REMOVE" | "CURRENT" | "RESET";

export type ListenResponse =
  | {
      targetChange: {
        targetChangeType: TargetChangeType;
        targetIds: number[];
        cause?: { code: number; message: string };
        resumeToken?: Buffer;
        readTime?: Timestamp;
      };
    }
  | { documentChange: { document: WireDocument; targetIds: number[] } }
  | { documentDelete: { document: string; removedTargetIds: number[]; readTime: Timestamp } }
  | { documentRemove: { document: string; removedTargetIds: number[]; readTime: Timestamp } };
