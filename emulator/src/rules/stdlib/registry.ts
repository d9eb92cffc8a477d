import { BYTES_METHODS } from "./bytes.js";
import { CONVERSION_FUNCTIONS } from "./conversions.js";
import { CROSS_SERVICE_FUNCTIONS, DOCUMENT_FUNCTIONS } from "./documents.js";
import { DURATION_FUNCTIONS, DURATION_METHODS } from "./duration.js";
import { HASHING_FUNCTIONS } from "./hashing.js";
import { LATLNG_FUNCTIONS, LATLNG_METHODS } from "./latlng.js";
import { LIST_METHODS } from "./list.js";
import { MAP_DIFF_METHODS, MAP_METHODS } from "./map.js";
import { MATH_FUNCTIONS } from "./math.js";
import type { Entry, MethodTable } from "./overload.js";
import { PATH_METHODS } from "./path.js";
import { SET_METHODS } from "./set.js";
import { STRING_METHODS } from "./string.js";
import { TIMESTAMP_FUNCTIONS, TIMESTAMP_METHODS } from "./timestamp.js";

/** Methods by receiver type name (as `typeName` reports it). */
export const METHODS: Record<string, MethodTable<never>> = {
  string: STRING_METHODS,
  list: LIST_METHODS,
  map: MAP_METHODS,
  map_diff: MAP_DIFF_METHODS,
  set: SET_METHODS,
  path: PATH_METHODS,
  timestamp: TIMESTAMP_METHODS,
  duration: DURATION_METHODS,
  latlng: LATLNG_METHODS,
  bytes: BYTES_METHODS,
};

/** Global and namespaced functions (`math.abs`) of every service. */
export const FUNCTIONS: Record<string, Entry<null>> = {
  ...CONVERSION_FUNCTIONS,
  ...DOCUMENT_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...TIMESTAMP_FUNCTIONS,
  ...DURATION_FUNCTIONS,
  ...HASHING_FUNCTIONS,
  ...LATLNG_FUNCTIONS,
};

/** Functions only storage rules can call. */
export const STORAGE_FUNCTIONS: Record<string, Entry<null>> = { ...CROSS_SERVICE_FUNCTIONS };

/** Namespaces whose members are functions: `math.abs(x)` is a call, not a member access. */
export const NAMESPACES = new Set(["math", "timestamp", "duration", "hashing", "latlng", "firestore"]);

export function lookupFunction(name: string, service: string): Entry<null> | undefined {
  return FUNCTIONS[name] ?? (service === "firebase.storage" ? STORAGE_FUNCTIONS[name] : undefined);
}
