/** Reads the official emulator's recorded behaviour, kept in ./official-emulator (see its README). */
import { readFileSync } from "node:fs";

export function officialFixture<T>(name: string): T {
  const url = new URL(`./official-emulator/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as T;
}

/** gRPC codes for the REST status names the recordings carry. */
export const GRPC_CODE: Record<string, number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
};
