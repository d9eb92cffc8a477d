/** A page using `firebase/storage` against the Storage emulator, as a frontend's file features do. */
import { initializeApp } from "firebase/app";
import {
  connectStorageEmulator,
  deleteObject,
  type FirebaseStorage,
  getDownloadURL,
  getMetadata,
  getStorage,
  listAll,
  ref,
  uploadBytes,
  uploadBytesResumable,
} from "firebase/storage";
import { expose } from "./runtime.js";

export interface StorageInit {
  host: string;
  port: number;
  projectId: string;
  bucket: string;
  /** Signed in as this user (an unsigned emulator token); anonymous without it. */
  uid?: string;
}

export interface UploadSpec {
  /** Content as text, or a size to fill with bytes generated in the page. */
  text?: string;
  size?: number;
  contentType: string;
  customMetadata?: Record<string, string>;
  /** Upload with uploadBytesResumable (progress events) instead of uploadBytes. */
  resumable?: boolean;
}

let storage: FirebaseStorage | undefined;

function current(): FirebaseStorage {
  if (!storage) throw new Error("init first");
  return storage;
}

const steps = {
  init(opts: StorageInit) {
    const app = initializeApp({
      projectId: opts.projectId,
      apiKey: "demo-api-key",
      storageBucket: opts.bucket,
    });
    storage = getStorage(app);
    connectStorageEmulator(
      storage,
      opts.host,
      opts.port,
      opts.uid ? { mockUserToken: { sub: opts.uid, user_id: opts.uid } } : {},
    );
    return true;
  },
  async upload(path: string, spec: UploadSpec) {
    const data =
      spec.text !== undefined ? new TextEncoder().encode(spec.text) : new Uint8Array(spec.size ?? 0).fill(42);
    const metadata = {
      contentType: spec.contentType,
      ...(spec.customMetadata && { customMetadata: spec.customMetadata }),
    };
    const r = ref(current(), path);
    if (!spec.resumable) {
      const { metadata: m } = await uploadBytes(r, data, metadata);
      return {
        fullPath: m.fullPath,
        size: m.size,
        contentType: m.contentType ?? null,
        progress: [] as number[],
      };
    }
    const task = uploadBytesResumable(r, data, metadata);
    const progress: number[] = [];
    task.on("state_changed", (s) => progress.push(s.bytesTransferred));
    const { metadata: m } = await task;
    return { fullPath: m.fullPath, size: m.size, contentType: m.contentType ?? null, progress };
  },
  /** getDownloadURL, then the URL fetched the way an <img> or a download link would (no credentials). */
  async download(path: string) {
    const url = await getDownloadURL(ref(current(), path));
    const res = await fetch(url);
    return { url, status: res.status, type: res.headers.get("content-type"), text: await res.text() };
  },
  async metadata(path: string) {
    const m = await getMetadata(ref(current(), path));
    return { size: m.size, contentType: m.contentType ?? null, customMetadata: m.customMetadata ?? null };
  },
  async listAll(path: string) {
    const result = await listAll(ref(current(), path));
    return { items: result.items.map((i) => i.fullPath), prefixes: result.prefixes.map((p) => p.fullPath) };
  },
  async remove(path: string) {
    await deleteObject(ref(current(), path));
    return true;
  },
};

export type StorageSteps = typeof steps;

expose(steps);
