/**
 * The LevelDB log format that Firestore export `output-N` files use: 32 KiB blocks of records, each
 * with a 7-byte header (masked CRC-32C of type and data, little-endian length, type). A record that
 * does not fit in the rest of a block is split into FIRST, MIDDLE… LAST fragments; a block tail shorter
 * than a header is zero-filled.
 */
import { Crc32c } from "../storage/crc32c.js";
import { ExportFormatError } from "./errors.js";

export const BLOCK_SIZE = 32 * 1024;
const HEADER_SIZE = 7;
const TYPE = { zero: 0, full: 1, first: 2, middle: 3, last: 4 } as const;

/** LevelDB stores a rotated, offset CRC so that a CRC of data containing CRCs stays well distributed. */
function maskedCrc(type: number, data: Uint8Array): number {
  const crc = new Crc32c().update(Uint8Array.of(type)).update(data).value();
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Encodes records as one log file. */
export function writeLog(records: Iterable<Uint8Array>): Uint8Array {
  const out: Uint8Array[] = [];
  let blockOffset = 0;
  let size = 0;
  const emit = (bytes: Uint8Array) => {
    out.push(bytes);
    size += bytes.length;
    blockOffset = (blockOffset + bytes.length) % BLOCK_SIZE;
  };
  for (const record of records) {
    let rest = record;
    let first = true;
    do {
      const left = BLOCK_SIZE - blockOffset;
      if (left < HEADER_SIZE) emit(new Uint8Array(left));
      const room = BLOCK_SIZE - blockOffset - HEADER_SIZE;
      const fragment = rest.subarray(0, room);
      const last = fragment.length === rest.length;
      const type = first ? (last ? TYPE.full : TYPE.first) : last ? TYPE.last : TYPE.middle;
      const header = new Uint8Array(HEADER_SIZE);
      const view = new DataView(header.buffer);
      view.setUint32(0, maskedCrc(type, fragment), true);
      view.setUint16(4, fragment.length, true);
      header[6] = type;
      emit(header);
      emit(fragment);
      rest = rest.subarray(fragment.length);
      first = false;
    } while (rest.length > 0);
  }
  const file = new Uint8Array(size);
  let offset = 0;
  for (const part of out) {
    file.set(part, offset);
    offset += part.length;
  }
  return file;
}

/** Decodes a log file into its records; any damage (checksum, truncation, fragment order) is an error. */
export function* readLog(file: Uint8Array, name: string): Generator<Uint8Array> {
  let pending: Uint8Array[] | null = null;
  let offset = 0;
  const fail = (problem: string): never => {
    throw new ExportFormatError(`${name}: ${problem} at byte ${offset}`);
  };
  while (offset < file.length) {
    const left = BLOCK_SIZE - (offset % BLOCK_SIZE);
    if (left < HEADER_SIZE) {
      offset += left;
      continue;
    }
    if (offset + HEADER_SIZE > file.length) fail("truncated record header");
    const view = new DataView(file.buffer, file.byteOffset + offset, HEADER_SIZE);
    const crc = view.getUint32(0, true);
    const length = view.getUint16(4, true);
    const type = file[offset + 6]!;
    if (type === TYPE.zero && length === 0 && crc === 0) {
      // Zero padding (a writer preallocated the block): the rest of the block holds nothing.
      offset += left;
      continue;
    }
    if (HEADER_SIZE + length > left) fail("record runs past its block");
    const data = file.subarray(offset + HEADER_SIZE, offset + HEADER_SIZE + length);
    if (data.length < length) fail("truncated record");
    if (maskedCrc(type, data) !== crc) fail("checksum mismatch (the file is damaged)");
    switch (type) {
      case TYPE.full:
        if (pending) fail("FULL record inside a fragmented one");
        yield data;
        break;
      case TYPE.first:
        if (pending) fail("FIRST record inside a fragmented one");
        pending = [data];
        break;
      case TYPE.middle:
        if (!pending) fail("MIDDLE record without FIRST");
        pending!.push(data);
        break;
      case TYPE.last: {
        if (!pending) fail("LAST record without FIRST");
        pending!.push(data);
        const whole = new Uint8Array(pending!.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const part of pending!) {
          whole.set(part, at);
          at += part.length;
        }
        pending = null;
        yield whole;
        break;
      }
      default:
        fail(`unknown record type ${type}`);
    }
    offset += HEADER_SIZE + length;
  }
  if (pending) fail("file ends inside a fragmented record");
}
