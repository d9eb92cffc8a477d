import { describe, expect, it } from "vitest";
import { decodeEntity, type ExportDocument, encodeEntity } from "../../emulator/src/export-format/entity.js";
import { ExportFormatError } from "../../emulator/src/export-format/errors.js";
import { BLOCK_SIZE, readLog, writeLog } from "../../emulator/src/export-format/leveldb-log.js";

// Bytes written out by hand from storage_onestore_v3's field numbers, independently of the encoder.
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte += 128;
    out.push(byte);
  } while (n > 0);
  return out;
};
const str = (s: string) => [...Buffer.from(s, "utf8")];
const ld = (tag: number[], bytes: number[]) => [...tag, ...varint(bytes.length), ...bytes];
const f64 = (x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [...b];
};
// EntityProto: key 13, raw_property 15, entity_group 16. Property: meaning 1, name 3, multiple 4, value 5.
const KEY = [0x6a];
const RAW_PROPERTY = [0x7a];
const ENTITY_GROUP = [0x82, 0x01];
const prop = (name: string, value: number[], opts: { meaning?: number; multiple?: boolean } = {}) =>
  ld(RAW_PROPERTY, [
    ...(opts.meaning ? [0x08, opts.meaning] : []),
    ...ld([0x1a], str(name)),
    0x20,
    opts.multiple ? 1 : 0,
    ...ld([0x2a], value),
  ]);
// Path: repeated group Element = 1 { type = 2; name = 4 }.
const element = (kind: string, id: string) => [0x0b, ...ld([0x12], str(kind)), ...ld([0x22], str(id)), 0x0c];
const path = [...element("orgs", "o1"), ...element("members", "u1")];
// ReferenceValue: group 12 { app 13; group PathElement 14 { type 15; name 17 } }.
const reference = [
  0x63,
  ...ld([0x6a], str("demo-p")),
  0x73,
  ...ld([0x7a], str("orgs")),
  ...ld([0x8a, 0x01], str("o2")),
  0x74,
  0x64,
];

const HAND_MADE = Uint8Array.from([
  ...ld(KEY, [...ld([0x6a], str("demo-p")), ...ld([0x72], path)]),
  ...prop("n", [0x08, ...varint(42)]),
  ...prop("t", [0x08, ...varint(1_500_000)], { meaning: 7 }),
  ...prop("g", [0x2b, 0x31, ...f64(1.5), 0x39, ...f64(-2.25), 0x2c], { meaning: 9 }),
  ...prop("tags", ld([0x1a], str("a")), { multiple: true }),
  ...prop("tags", ld([0x1a], str("b")), { multiple: true }),
  ...prop("ref", reference),
  ...prop("m", ld([0x1a], prop("x", [0x10, 0x01])), { meaning: 19 }),
  ...prop("e", [], { meaning: 24 }),
  ...prop("b", ld([0x1a], [0, 255]), { meaning: 14 }),
  ...prop("z", []),
  ...prop("d", [0x21, ...f64(-0)]),
  ...ld(ENTITY_GROUP, element("orgs", "o1")),
]);

const DOCUMENT: ExportDocument = {
  path: "orgs/o1/members/u1",
  fields: [
    ["n", { type: "integer", value: 42n }],
    ["t", { type: "timestamp", micros: 1_500_000n }],
    ["g", { type: "geopoint", latitude: 1.5, longitude: -2.25 }],
    [
      "tags",
      {
        type: "array",
        values: [
          { type: "string", value: "a" },
          { type: "string", value: "b" },
        ],
      },
    ],
    ["ref", { type: "reference", project: "demo-p", database: "(default)", path: "orgs/o2" }],
    ["m", { type: "map", fields: [["x", { type: "boolean", value: true }]] }],
    ["e", { type: "array", values: [] }],
    ["b", { type: "bytes", value: Uint8Array.from([0, 255]) }],
    ["z", { type: "null" }],
    ["d", { type: "double", value: -0 }],
  ],
};

describe("EntityProto records", () => {
  it("decode a record written by hand from the entity.proto field numbers", () => {
    expect(decodeEntity(HAND_MADE, "hand-made")).toEqual(DOCUMENT);
  });

  it("encode to exactly those bytes", () => {
    expect(Buffer.from(encodeEntity(DOCUMENT, "demo-p")).toString("hex")).toBe(
      Buffer.from(HAND_MADE).toString("hex"),
    );
  });

  it("read numeric ids as __id<n>__ and App Engine app ids without their partition prefix", () => {
    const numeric = Uint8Array.from([
      ...ld(KEY, [
        ...ld([0x6a], str("s~demo-p")),
        ...ld([0x72], [0x0b, ...ld([0x12], str("c")), 0x18, 7, 0x0c]),
      ]),
      ...prop("r", [
        0x63,
        ...ld([0x6a], str("s~demo-p")),
        0x73,
        ...ld([0x7a], str("c")),
        0x80,
        0x01,
        9,
        0x74,
        0x64,
      ]),
    ]);
    expect(decodeEntity(numeric, "numeric")).toEqual({
      path: "c/__id7__",
      fields: [["r", { type: "reference", project: "demo-p", database: "(default)", path: "c/__id9__" }]],
    });
  });

  it("refuse damaged records and Datastore-only values with ExportFormatError", () => {
    expect(() => decodeEntity(HAND_MADE.subarray(0, 40), "cut")).toThrow(ExportFormatError);
    const user = Uint8Array.from([...ld(KEY, ld([0x72], element("c", "d"))), ...prop("u", [0x43, 0x44])]);
    expect(() => decodeEntity(user, "user")).toThrow(/user values have no Firestore type/);
  });
});

describe("LevelDB log files", () => {
  it("split a record across blocks and pad a block tail shorter than a header", () => {
    const big = Uint8Array.from({ length: 80_000 }, (_, i) => i % 251);
    const fits = new Uint8Array(BLOCK_SIZE - 7 - 3); // leaves 3 bytes: too few for the next header
    const small = Uint8Array.of(1, 2, 3);
    const file = writeLog([fits, small, big]);
    expect(file[6]).toBe(1); // FULL
    expect([...file.subarray(BLOCK_SIZE - 3, BLOCK_SIZE)]).toEqual([0, 0, 0]);
    expect(file[BLOCK_SIZE + 6]).toBe(1); // the small record starts the next block
    expect(file[BLOCK_SIZE + 7 + 3 + 6]).toBe(2); // FIRST fragment of the big one
    expect(file[2 * BLOCK_SIZE + 6]).toBe(3); // MIDDLE
    expect(file[3 * BLOCK_SIZE + 6]).toBe(4); // LAST
    expect([...readLog(file, "log")]).toEqual([fits, small, big]);
  });

  it("refuse a damaged file", () => {
    const file = writeLog([Uint8Array.of(1, 2, 3, 4)]);
    file[8] = 9;
    expect(() => [...readLog(file, "output-0")]).toThrow(/output-0: checksum mismatch/);
    expect(() => [...readLog(file.subarray(0, 9), "output-0")]).toThrow(ExportFormatError);
  });
});
