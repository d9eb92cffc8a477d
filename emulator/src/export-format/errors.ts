/** An export folder or file that is not a readable Firestore export; the message says where and why. */
export class ExportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportFormatError";
  }
}
