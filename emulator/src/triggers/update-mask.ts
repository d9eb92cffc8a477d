/** The field paths that differ between two versions of a document (DocumentEventData.update_mask). */
import { type FieldPath, formatFieldPath } from "../store/field-path.js";
import { type Fields, valuesIdentical } from "../store/value.js";

export function changedPaths(before: Fields, after: Fields, prefix: FieldPath = []): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    const path = [...prefix, key];
    if (a && b && "mapValue" in a && "mapValue" in b) {
      out.push(...changedPaths(a.mapValue.fields ?? {}, b.mapValue.fields ?? {}, path));
    } else if (!a || !b || !valuesIdentical(a, b)) {
      out.push(formatFieldPath(path));
    }
  }
  return out;
}
