/** Decodes a WriteRequest of the Write stream (gRPC or WebChannel) into a WriteCommand. */
import type { WriteCommand } from "../service/write-stream.js";
import { parseDatabaseName } from "../shared/resource-path.js";
import { readArray, readObject, readString } from "./object.js";
import { decodeWrite } from "./write.js";

export function decodeWriteRequest(raw: unknown): WriteCommand {
  const req = readObject(raw, "A WriteRequest");
  const database = readString(req.database, "database");
  return {
    database: database ? parseDatabaseName(database) : null,
    // The stream's database is known only from its first request; the session checks each write's.
    writes: readArray(req.writes, "writes").map((w) => decodeWrite(w)),
  };
}
