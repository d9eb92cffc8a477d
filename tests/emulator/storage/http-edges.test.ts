/**
 * The Storage HTTP edge with raw requests no SDK sends: CORS preflights, malformed input answered with a
 * clear 4xx that changes nothing, unknown routes and upload sessions, and resumable offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPEN_RULES, type StorageTestEmulator, startStorageEmulator } from "./helpers.js";

let emu: StorageTestEmulator;
let base: string;

beforeAll(async () => {
  emu = await startStorageEmulator({ rulesSource: OPEN_RULES });
  base = `http://${emu.host}:${emu.storagePort}`;
});

afterAll(async () => {
  await emu.stop();
});

const object = (name: string) => `${base}/v0/b/${emu.bucket}/o/${encodeURIComponent(name)}`;

async function put(name: string, body: string): Promise<Response> {
  return fetch(`${base}/v0/b/${emu.bucket}/o?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body,
  });
}

async function errorOf(res: Response): Promise<{ status: number; message: string }> {
  const body = (await res.json()) as { error: { code: number; message: string } };
  expect(body.error.code).toBe(res.status);
  return { status: res.status, message: body.error.message };
}

describe("Storage HTTP edge", () => {
  it("answers CORS preflights and exposes the upload headers browsers must read", async () => {
    const pre = await fetch(`${base}/v0/b/${emu.bucket}/o`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,x-goog-upload-protocol,x-goog-upload-command",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(pre.headers.get("access-control-allow-headers")).toContain("x-goog-upload-command");
    const res = await put("cors.txt", "c");
    expect(res.status).toBe(200);
    const get = await fetch(object("cors.txt"), { headers: { origin: "http://localhost:5173" } });
    expect(get.headers.get("access-control-expose-headers")).toContain("x-goog-upload-url");
  });

  it("a raw upload stores the body with the request's content type", async () => {
    const res = await put("raw.txt", "raw body");
    expect(await res.json()).toMatchObject({ name: "raw.txt", size: "8", contentType: "text/plain" });
    expect(await (await fetch(`${object("raw.txt")}?alt=media`)).text()).toBe("raw body");
  });

  it("malformed metadata is a 400 that leaves the object as it was", async () => {
    await put("patch.txt", "p");
    const bad = await fetch(object("patch.txt"), { method: "PATCH", body: "{not json" });
    expect(await errorOf(bad)).toEqual({ status: 400, message: "The request body is not valid JSON." });
    const wrong = await fetch(object("patch.txt"), {
      method: "PATCH",
      body: JSON.stringify({ metadata: [1] }),
    });
    expect((await errorOf(wrong)).message).toMatch(/Custom metadata must be an object/);
    const meta = (await (await fetch(object("patch.txt"))).json()) as Record<string, unknown>;
    expect(meta.metageneration).toBe("1");
  });

  it("bad names, buckets, list parameters and page tokens are 400s; unknown routes 404", async () => {
    expect((await errorOf(await put("", "x"))).message).toMatch(/1 to 1024 bytes/);
    expect((await errorOf(await put("a\nb", "x"))).message).toMatch(/line feeds/);
    expect((await fetch(`${base}/v0/b/bad%20bucket/o`)).status).toBe(400);
    expect((await fetch(`${base}/v0/b/${emu.bucket}/o?maxResults=0`)).status).toBe(400);
    expect((await fetch(`${base}/v0/b/${emu.bucket}/o?pageToken=%%%`)).status).toBe(400);
    expect((await fetch(`${base}/nothing/here`)).status).toBe(404);
    expect(await (await fetch(`${base}/`)).text()).toBe("Ok");
  });

  it("resumable: an unknown session is 404, a gap in offsets 400, a retried chunk is not stored twice", async () => {
    const start = await fetch(`${base}/v0/b/${emu.bucket}/o?name=resume.txt`, {
      method: "POST",
      headers: {
        "x-goog-upload-protocol": "resumable",
        "x-goog-upload-command": "start",
        "x-goog-upload-header-content-length": "6",
        "content-type": "application/json",
      },
      body: JSON.stringify({ contentType: "text/plain" }),
    });
    const url = start.headers.get("x-goog-upload-url")!;
    expect(url).toContain("upload_id=");
    const send = (command: string, offset: number, body?: string) =>
      fetch(url, {
        method: "POST",
        headers: { "x-goog-upload-command": command, "x-goog-upload-offset": String(offset) },
        ...(body !== undefined && { body }),
      });
    expect((await send("upload", 0, "abc")).headers.get("x-goog-upload-status")).toBe("active");
    expect((await send("upload", 1, "bc")).status).toBe(200);
    expect((await send("upload", 5, "zz")).status).toBe(400);
    const query = await send("query", 0);
    expect(query.headers.get("x-goog-upload-size-received")).toBe("3");
    const done = await send("upload, finalize", 3, "def");
    expect(done.headers.get("x-goog-upload-status")).toBe("final");
    expect(await done.json()).toMatchObject({ name: "resume.txt", size: "6" });
    expect(await (await fetch(`${object("resume.txt")}?alt=media`)).text()).toBe("abcdef");
    expect((await send("query", 0)).status).toBe(404);
  });

  it("a download range outside the object is 416", async () => {
    await put("short.txt", "abc");
    const res = await fetch(`${object("short.txt")}?alt=media`, { headers: { range: "bytes=10-20" } });
    expect(res.status).toBe(416);
  });
});
