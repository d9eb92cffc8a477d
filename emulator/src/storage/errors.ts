/** Storage errors: a stable code from a closed set and a message; the HTTP edge maps codes to statuses. */

export const STORAGE_ERROR_STATUS = {
  "invalid-argument": 400,
  "permission-denied": 403,
  "not-found": 404,
  "precondition-failed": 412,
  "range-not-satisfiable": 416,
  "payload-too-large": 413,
  internal: 500,
  "not-implemented": 501,
} as const;

export type StorageErrorCode = keyof typeof STORAGE_ERROR_STATUS;

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StorageError";
  }

  get status(): number {
    return STORAGE_ERROR_STATUS[this.code];
  }
}

export const invalid = (message: string) => new StorageError("invalid-argument", message);

export const objectNotFound = (bucket: string, name: string) =>
  new StorageError("not-found", `Object ${bucket}/${name} does not exist.`);
