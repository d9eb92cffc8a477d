/**
 * Firestore documents as the records of an export: Datastore `EntityProto` messages (App Engine's
 * storage_onestore_v3 schema). A document is an entity whose key path alternates collection id (kind)
 * and document id (name); each field is a Property whose `meaning` tells the Firestore type apart where
 * the PropertyValue alone cannot (timestamp, bytes, map, geo point, empty array).
 */
import { ExportFormatError } from "./errors.js";
import { ProtoReader, ProtoWriter, type ProtoReader as Reader } from "./wire.js";

export type ExportValue =
  | { type: "null" }
  | { type: "boolean"; value: boolean }
  | { type: "integer"; value: bigint }
  | { type: "double"; value: number }
  /** Microseconds since the epoch: exports keep timestamps at microsecond precision. */
  | { type: "timestamp"; micros: bigint }
  | { type: "string"; value: string }
  | { type: "bytes"; value: Uint8Array }
  /** `path` is the document path (`orgs/o1`); project and database are the export's, kept as read. */
  | { type: "reference"; project: string; database: string; path: string }
  | { type: "geopoint"; latitude: number; longitude: number }
  | { type: "array"; values: ExportValue[] }
  | { type: "map"; fields: ExportFields };

/** Fields in the order the document holds them. */
export type ExportFields = Array<[name: string, value: ExportValue]>;

export interface ExportDocument {
  path: string;
  fields: ExportFields;
}

// Property.meaning values (entity.proto) that Firestore exports use.
const MEANING = {
  none: 0,
  blob: 14,
  text: 15,
  bytestring: 16,
  gdWhen: 7,
  georssPoint: 9,
  entityProto: 19,
  emptyList: 24,
} as const;

// Field numbers of storage_onestore_v3 messages. Groups (point, reference, path element) number their
// fields in the enclosing message's space.
const F = {
  entity: { key: 13, property: 14, rawProperty: 15, entityGroup: 16 },
  reference: { app: 13, path: 14, nameSpace: 20, databaseId: 23 },
  path: { element: 1, type: 2, id: 3, name: 4 },
  property: { meaning: 1, name: 3, multiple: 4, value: 5 },
  value: {
    int64: 1,
    boolean: 2,
    string: 3,
    double: 4,
    point: 5,
    x: 6,
    y: 7,
    user: 8,
    reference: 12,
    refApp: 13,
    refElement: 14,
    refType: 15,
    refId: 16,
    refName: 17,
    refNameSpace: 20,
    refDatabaseId: 23,
  },
} as const;

const DEFAULT_DATABASE = "(default)";

/** Path elements (kind, name) of a document path; Firestore's numeric-id form `__id7__` becomes an id. */
function elements(path: string): Array<{ type: string; id?: bigint; name?: string }> {
  const segments = path.split("/");
  if (segments.length % 2 !== 0 || segments.some((s) => s === "")) {
    throw new ExportFormatError(`"${path}" is not a document path`);
  }
  const out: Array<{ type: string; id?: bigint; name?: string }> = [];
  for (let i = 0; i < segments.length; i += 2) {
    const id = /^__id(-?\d+)__$/.exec(segments[i + 1]!);
    out.push(
      id ? { type: segments[i]!, id: BigInt(id[1]!) } : { type: segments[i]!, name: segments[i + 1]! },
    );
  }
  return out;
}

function writePath(w: ProtoWriter, path: string): void {
  for (const e of elements(path)) {
    w.group(F.path.element, (g) => {
      g.string(F.path.type, e.type);
      if (e.id !== undefined) g.varint(F.path.id, e.id);
      else g.string(F.path.name, e.name!);
    });
  }
}

function encodeProperty(name: string, value: ExportValue, multiple: boolean): Uint8Array {
  const w = new ProtoWriter();
  const meaning = (m: number) => w.varint(F.property.meaning, m);
  const v = new ProtoWriter();
  switch (value.type) {
    case "null":
      break;
    case "boolean":
      v.varint(F.value.boolean, value.value);
      break;
    case "integer":
      v.varint(F.value.int64, value.value);
      break;
    case "double":
      v.double(F.value.double, value.value);
      break;
    case "timestamp":
      meaning(MEANING.gdWhen);
      v.varint(F.value.int64, value.micros);
      break;
    case "string":
      v.string(F.value.string, value.value);
      break;
    case "bytes":
      meaning(MEANING.blob);
      v.bytes(F.value.string, value.value);
      break;
    case "geopoint":
      meaning(MEANING.georssPoint);
      v.group(F.value.point, (g) => g.double(F.value.x, value.latitude).double(F.value.y, value.longitude));
      break;
    case "reference":
      v.group(F.value.reference, (g) => {
        g.string(F.value.refApp, value.project);
        for (const e of elements(value.path)) {
          g.group(F.value.refElement, (pe) => {
            pe.string(F.value.refType, e.type);
            if (e.id !== undefined) pe.varint(F.value.refId, e.id);
            else pe.string(F.value.refName, e.name!);
          });
        }
        if (value.database !== DEFAULT_DATABASE) g.string(F.value.refDatabaseId, value.database);
      });
      break;
    case "map":
      meaning(MEANING.entityProto);
      v.bytes(F.value.string, encodeEntityBody(value.fields));
      break;
    case "array":
      throw new ExportFormatError(`field "${name}": arrays cannot nest directly in arrays`);
  }
  w.string(F.property.name, name);
  w.varint(F.property.multiple, multiple);
  w.bytes(F.property.value, v.finish());
  return w.finish();
}

/** An entity's properties: arrays become one `multiple` property per element (or an EMPTY_LIST one). */
function encodeEntityBody(fields: ExportFields, key?: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  key?.(w);
  for (const [name, value] of fields) {
    if (value.type === "array") {
      if (value.values.length === 0) {
        const p = new ProtoWriter()
          .varint(F.property.meaning, MEANING.emptyList)
          .string(F.property.name, name)
          .varint(F.property.multiple, false)
          .bytes(F.property.value, new Uint8Array());
        w.bytes(F.entity.rawProperty, p.finish());
      }
      for (const element of value.values) w.bytes(F.entity.rawProperty, encodeProperty(name, element, true));
    } else {
      w.bytes(F.entity.rawProperty, encodeProperty(name, value, false));
    }
  }
  return w.finish();
}

function pathBytes(path: string): Uint8Array {
  const p = new ProtoWriter();
  writePath(p, path);
  return p.finish();
}

/** One export record: the document as an EntityProto keyed by its path in `project`'s default database. */
export function encodeEntity(doc: ExportDocument, project: string): Uint8Array {
  const key = new ProtoWriter().string(F.reference.app, project).bytes(F.reference.path, pathBytes(doc.path));
  // Fields in number order, as proto2 serializers write them: key (13), raw_property (15), entity_group (16).
  const body = encodeEntityBody(doc.fields, (w) => w.bytes(F.entity.key, key.finish()));
  const root = doc.path.split("/").slice(0, 2).join("/");
  const group = new ProtoWriter().bytes(F.entity.entityGroup, pathBytes(root)).finish();
  const out = new Uint8Array(body.length + group.length);
  out.set(body, 0);
  out.set(group, body.length);
  return out;
}

interface RawProperty {
  name: string;
  meaning: number;
  multiple: boolean;
  value: Uint8Array;
}

function readProperty(bytes: Uint8Array, where: string): RawProperty {
  const r = new ProtoReader(bytes, where);
  const p: RawProperty = { name: "", meaning: MEANING.none, multiple: false, value: new Uint8Array() };
  for (const f of r.fields()) {
    if (f.field === F.property.meaning) p.meaning = Number(r.int64());
    else if (f.field === F.property.name) p.name = r.string();
    else if (f.field === F.property.multiple) p.multiple = r.bool();
    else if (f.field === F.property.value) p.value = r.bytes();
    else r.skip(f);
  }
  return p;
}

/** One key path element (a proto2 group): its kind and id or name, as two path segments. */
function readPathElement(r: Reader, group: number, type: number, id: number, name: number): [string, string] {
  let kind = "";
  let docId: string | undefined;
  for (const f of r.fields(group)) {
    if (f.field === type) kind = r.string();
    else if (f.field === id) docId = `__id${r.int64()}__`;
    else if (f.field === name) docId = r.string();
    else r.skip(f);
  }
  if (!kind || docId === undefined) throw new ExportFormatError("key path element without kind or id");
  return [kind, docId];
}

function decodeValue(p: RawProperty, where: string): ExportValue {
  if (p.meaning === MEANING.emptyList) return { type: "array", values: [] };
  const r = new ProtoReader(p.value, where);
  let value: ExportValue = { type: "null" };
  let raw: Uint8Array | undefined;
  for (const f of r.fields()) {
    switch (f.field) {
      case F.value.int64: {
        const n = r.int64();
        value =
          p.meaning === MEANING.gdWhen ? { type: "timestamp", micros: n } : { type: "integer", value: n };
        break;
      }
      case F.value.boolean:
        value = { type: "boolean", value: r.bool() };
        break;
      case F.value.double:
        value = { type: "double", value: r.double() };
        break;
      case F.value.string:
        raw = r.bytes();
        break;
      case F.value.point: {
        let latitude = 0;
        let longitude = 0;
        for (const g of r.fields(F.value.point)) {
          if (g.field === F.value.x) latitude = r.double();
          else if (g.field === F.value.y) longitude = r.double();
          else r.skip(g);
        }
        value = { type: "geopoint", latitude, longitude };
        break;
      }
      case F.value.reference: {
        let project = "";
        let database = DEFAULT_DATABASE;
        const segments: string[] = [];
        for (const g of r.fields(F.value.reference)) {
          if (g.field === F.value.refApp) project = r.string();
          else if (g.field === F.value.refDatabaseId) database = r.string() || DEFAULT_DATABASE;
          else if (g.field === F.value.refElement) {
            segments.push(
              ...readPathElement(r, F.value.refElement, F.value.refType, F.value.refId, F.value.refName),
            );
          } else r.skip(g);
        }
        // App Engine-era exports prefix the project with a partition (`s~my-project`).
        value = {
          type: "reference",
          project: project.replace(/^.*~/, ""),
          database,
          path: segments.join("/"),
        };
        break;
      }
      case F.value.user:
        throw new ExportFormatError(`${where}: Datastore user values have no Firestore type`);
      default:
        r.skip(f);
    }
  }
  if (raw !== undefined) {
    if (p.meaning === MEANING.entityProto)
      return { type: "map", fields: decodeBody(raw, `${where}.${p.name}`).fields };
    if (p.meaning === MEANING.blob || p.meaning === MEANING.bytestring) return { type: "bytes", value: raw };
    try {
      return { type: "string", value: new TextDecoder("utf-8", { fatal: true }).decode(raw) };
    } catch {
      // Datastore's own reading: a string property that is not UTF-8 holds bytes.
      return { type: "bytes", value: raw };
    }
  }
  return value;
}

function decodeBody(bytes: Uint8Array, where: string): { path: string | null; fields: ExportFields } {
  const r = new ProtoReader(bytes, where);
  let path: string | null = null;
  const fields: ExportFields = [];
  const arrays = new Map<string, ExportValue[]>();
  for (const f of r.fields()) {
    if (f.field === F.entity.key) {
      const key = new ProtoReader(r.bytes(), `${where} key`);
      for (const k of key.fields()) {
        if (k.field !== F.reference.path) {
          key.skip(k);
          continue;
        }
        const pathReader = new ProtoReader(key.bytes(), `${where} key path`);
        const segments: string[] = [];
        for (const e of pathReader.fields()) {
          if (e.field === F.path.element) {
            segments.push(
              ...readPathElement(pathReader, F.path.element, F.path.type, F.path.id, F.path.name),
            );
          } else pathReader.skip(e);
        }
        path = segments.join("/");
      }
    } else if (f.field === F.entity.property || f.field === F.entity.rawProperty) {
      const p = readProperty(r.bytes(), where);
      const value = decodeValue(p, `${where} field "${p.name}"`);
      if (p.multiple) {
        let list = arrays.get(p.name);
        if (!list) {
          list = [];
          arrays.set(p.name, list);
          fields.push([p.name, { type: "array", values: list }]);
        }
        list.push(value);
      } else {
        fields.push([p.name, value]);
      }
    } else {
      r.skip(f);
    }
  }
  return { path, fields };
}

/** One export record back into a document; `where` names the file and record for error messages. */
export function decodeEntity(bytes: Uint8Array, where: string): ExportDocument {
  const { path, fields } = decodeBody(bytes, where);
  if (!path) throw new ExportFormatError(`${where}: entity without a key`);
  return { path, fields };
}
