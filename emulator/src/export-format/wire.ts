/**
 * The protobuf binary wire format, as much of it as Datastore's EntityProto needs: varints, 64-bit
 * doubles, length-delimited fields and proto2 groups (PointValue, ReferenceValue and Path elements are
 * groups, whose fields share the enclosing message's numbering).
 */
import { ExportFormatError } from "./errors.js";

export const WIRE = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  private push(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  private rawVarint(value: bigint): this {
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    return this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: number): this {
    return this.rawVarint(BigInt((field << 3) | wireType));
  }

  varint(field: number, value: bigint | number | boolean): this {
    const v = typeof value === "boolean" ? (value ? 1n : 0n) : BigInt(value);
    return this.tag(field, WIRE.varint).rawVarint(v);
  }

  double(field: number, value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    return this.tag(field, WIRE.fixed64).push(bytes);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, WIRE.bytes).rawVarint(BigInt(value.length)).push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A proto2 group: start tag, the fields the callback writes, end tag. */
  group(field: number, write: (w: ProtoWriter) => void): this {
    this.tag(field, WIRE.startGroup);
    write(this);
    return this.tag(field, WIRE.endGroup);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

export interface Field {
  field: number;
  wireType: number;
}

export class ProtoReader {
  private offset = 0;

  constructor(
    private readonly buf: Uint8Array,
    private readonly where: string,
  ) {}

  get done(): boolean {
    return this.offset >= this.buf.length;
  }

  private fail(problem: string): never {
    throw new ExportFormatError(`${this.where}: ${problem} at byte ${this.offset}`);
  }

  private rawVarint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.offset >= this.buf.length) this.fail("truncated varint");
      const byte = this.buf[this.offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    return this.fail("varint longer than 10 bytes");
  }

  private tag(): Field {
    const tag = Number(this.rawVarint());
    const field = tag >>> 3;
    if (field === 0) this.fail("field number 0");
    return { field, wireType: tag & 7 };
  }

  /**
   * The fields of the message being read, one at a time (the caller reads or skips each value): up to the
   * end of the buffer, or with `group`, up to that group's end tag.
   */
  *fields(group?: number): Generator<Field> {
    for (;;) {
      if (this.done) {
        if (group !== undefined) this.fail(`group ${group} has no end`);
        return;
      }
      const f = this.tag();
      if (f.wireType === WIRE.endGroup) {
        if (f.field !== group) this.fail(`unexpected end of group ${f.field}`);
        return;
      }
      yield f;
    }
  }

  /** A varint as a signed 64-bit integer (int64 fields are two's complement on the wire). */
  int64(): bigint {
    return BigInt.asIntN(64, this.rawVarint());
  }

  bool(): boolean {
    return this.rawVarint() !== 0n;
  }

  double(): number {
    if (this.offset + 8 > this.buf.length) this.fail("truncated double");
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.offset, 8);
    this.offset += 8;
    return view.getFloat64(0, true);
  }

  bytes(): Uint8Array {
    const length = Number(this.rawVarint());
    if (this.offset + length > this.buf.length) this.fail("length-delimited field past the end");
    const out = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  string(): string {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes());
    } catch (error) {
      if (error instanceof ExportFormatError) throw error;
      return this.fail("string field is not UTF-8");
    }
  }

  /** Skips a field's value; for a group, everything up to its matching end tag. */
  skip(f: Field): void {
    switch (f.wireType) {
      case WIRE.varint:
        this.rawVarint();
        return;
      case WIRE.fixed64:
        this.offset += 8;
        return;
      case WIRE.bytes:
        this.bytes();
        return;
      case WIRE.fixed32:
        this.offset += 4;
        return;
      case WIRE.startGroup:
        for (const inner of this.fields(f.field)) this.skip(inner);
        return;
      default:
        this.fail(`unexpected wire type ${f.wireType}`);
    }
  }
}
