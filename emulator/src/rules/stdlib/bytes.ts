import type { RulesBytes } from "../types/value.js";
import { entry, type MethodTable } from "./overload.js";

export const bytes = (value: Uint8Array): RulesBytes => ({ type: "bytes", value });

// biome-ignore format: one overload per line reads as a table
export const BYTES_METHODS: MethodTable<RulesBytes> = {
  size:        entry(0, (b) => BigInt(b.value.length)),
  toBase64:    entry(0, (b) => Buffer.from(b.value).toString("base64")),
  toHexString: entry(0, (b) => Buffer.from(b.value).toString("hex").toUpperCase()),
};
