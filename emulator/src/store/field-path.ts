/**
 * Field paths (`a.b`, `` `odd.name`.c ``) and copy-on-write reads and updates of nested fields. Updates
 * copy only the maps along the path, so older document versions held by listeners never change.
 */
import { invalidArgument } from "../shared/errors.js";
import type { Fields, Value } from "./value.js";

export type FieldPath = readonly string[];

const SIMPLE = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

function badPath(text: string): never {
  throw invalidArgument(
    `Invalid property path "${text}". Unquoted property paths must match regex ([a-zA-Z_][a-zA-Z_0-9]*), and quoted property paths must match regex (\`(?:[^\`\\\\]|(?:\\\\.))+\`)`,
  );
}

export function parseFieldPath(text: string): FieldPath {
  if (typeof text !== "string" || text === "") badPath(String(text));
  const segments: string[] = [];
  let i = 0;
  while (i < text.length) {
    let segment = "";
    if (text[i] === "`") {
      i++;
      let closed = false;
      while (i < text.length) {
        const ch = text[i]!;
        if (ch === "\\" && i + 1 < text.length) {
          segment += text[i + 1];
          i += 2;
        } else if (ch === "`") {
          closed = true;
          i++;
          break;
        } else {
          segment += ch;
          i++;
        }
      }
      if (!closed || segment === "") badPath(text);
    } else {
      const end = text.indexOf(".", i);
      segment = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      if (!SIMPLE.test(segment)) badPath(text);
    }
    segments.push(segment);
    if (i < text.length) {
      if (text[i] !== "." || i === text.length - 1) badPath(text);
      i++;
    }
  }
  return segments;
}

export function formatFieldPath(path: FieldPath): string {
  return path.map((s) => (SIMPLE.test(s) ? s : `\`${s.replace(/[\\`]/g, (c) => `\\${c}`)}\``)).join(".");
}

export function getField(fields: Fields, path: FieldPath): Value | undefined {
  let current: Value | undefined = { mapValue: { fields } };
  for (const segment of path) {
    if (current === undefined || !("mapValue" in current)) return undefined;
    current = current.mapValue.fields?.[segment];
  }
  return current;
}

export function setField(fields: Fields, path: FieldPath, value: Value): Fields {
  const [head, ...rest] = path;
  if (head === undefined) return fields;
  if (rest.length === 0) return { ...fields, [head]: value };
  const child = fields[head];
  const childFields = child !== undefined && "mapValue" in child ? (child.mapValue.fields ?? {}) : {};
  return { ...fields, [head]: { mapValue: { fields: setField(childFields, rest, value) } } };
}

export function deleteField(fields: Fields, path: FieldPath): Fields {
  const [head, ...rest] = path;
  if (head === undefined || !(head in fields)) return fields;
  if (rest.length === 0) {
    const { [head]: _removed, ...others } = fields;
    return others;
  }
  const child = fields[head]!;
  if (!("mapValue" in child)) return fields;
  return { ...fields, [head]: { mapValue: { fields: deleteField(child.mapValue.fields ?? {}, rest) } } };
}

/** Keeps only the given paths (a field mask); missing paths are skipped. */
export function projectFields(fields: Fields, paths: readonly FieldPath[]): Fields {
  let out: Fields = {};
  for (const path of paths) {
    const value = getField(fields, path);
    if (value !== undefined) out = setField(out, path, value);
  }
  return out;
}
