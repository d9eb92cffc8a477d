import { createHash } from "node:crypto";
import { isKind, type Result, type RulesValue } from "../types/value.js";
import { bytes } from "./bytes.js";
import { type CallContext, entry, type MethodTable, noOverload } from "./overload.js";

function table(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
const CRC32 = table(0xedb88320);
const CRC32C = table(0x82f63b78);

function crc(t: Uint32Array, data: Uint8Array): Uint8Array {
  let c = 0xffffffff;
  for (const b of data) c = t[(c ^ b) & 0xff]! ^ (c >>> 8);
  c = (c ^ 0xffffffff) >>> 0;
  return Uint8Array.of(c >>> 24, (c >>> 16) & 0xff, (c >>> 8) & 0xff, c & 0xff);
}

function hash(name: string, fn: (data: Uint8Array) => Uint8Array) {
  return (_: null, [x]: RulesValue[], ctx: CallContext): Result => {
    if (typeof x === "string") return bytes(fn(new Uint8Array(Buffer.from(x, "utf8"))));
    if (isKind(x, "bytes")) return bytes(fn(x.value));
    return noOverload(ctx, name, [x!]);
  };
}

const digest = (algorithm: string) => (data: Uint8Array) =>
  new Uint8Array(createHash(algorithm).update(data).digest());

// biome-ignore format: one overload per line reads as a table
export const HASHING_FUNCTIONS: MethodTable<null> = {
  "hashing.crc32":  entry(1, hash("hashing.crc32", (d) => crc(CRC32, d))),
  "hashing.crc32c": entry(1, hash("hashing.crc32c", (d) => crc(CRC32C, d))),
  "hashing.md5":    entry(1, hash("hashing.md5", digest("md5"))),
  "hashing.sha256": entry(1, hash("hashing.sha256", digest("sha256"))),
};
