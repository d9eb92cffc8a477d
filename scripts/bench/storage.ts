/**
 * Storage emulator figures (no assertions):
 * 1. Upload and download throughput for 1 MiB and 50 MiB objects through the Firebase Storage REST API
 *    (`/v0/b/{bucket}/o`, what the web and mobile SDKs call), next to a plain Node HTTP server that streams
 *    request bodies to files and files to responses on the same machine: the same streaming without any
 *    of Firebase's protocol. A reference rather than a hard floor: on a loaded machine the emulator's
 *    50 MiB downloads have measured faster than it.
 * 2. The emulator's memory while a 500 MiB upload streams through it, three times: it must stream to
 *    disk, so its peak resident size should stay far below the object's size.
 *
 * The emulator runs as its own process, started by its CLI, so that its memory is read from /proc
 * without the client's; the client sends one reused buffer over and over.
 *
 * Run: npm run bench -- storage
 */
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { spawnEmulator } from "./support/emulator.js";
import { watchRss } from "./support/proc.js";
import { mib, perSecond, spread, Table } from "./support/stats.js";

const MiB = 1024 * 1024;
const bucket = "demo-bench.appspot.com";
const mibps = perSecond("MiB");

/** A body of `size` bytes made of one reused 1 MiB chunk, so the client itself holds almost nothing. */
function body(size: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(Math.min(MiB, size)).fill(0x61);
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) {
        controller.close();
        return;
      }
      const n = Math.min(chunk.length, size - sent);
      controller.enqueue(n === chunk.length ? chunk : chunk.subarray(0, n));
      sent += n;
    },
  });
}

interface Target {
  name: string;
  uploadUrl(object: string): string;
  downloadUrl(object: string): string;
}

async function upload(target: Target, object: string, size: number): Promise<void> {
  const res = await fetch(target.uploadUrl(object), {
    method: "POST",
    headers: { "content-type": "application/octet-stream", authorization: "Bearer owner" },
    body: body(size),
    duplex: "half",
  } as RequestInit);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${target.name} upload answered ${res.status}`);
}

async function download(target: Target, object: string, size: number): Promise<void> {
  const res = await fetch(target.downloadUrl(object), { headers: { authorization: "Bearer owner" } });
  if (!res.ok || !res.body) throw new Error(`${target.name} download answered ${res.status}`);
  let received = 0;
  for await (const chunk of res.body) received += chunk.length;
  if (received !== size) throw new Error(`${target.name} download gave ${received} bytes, not ${size}`);
}

/** The floor: a plain HTTP server that streams uploads to files and files back. */
function fileServer(dir: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const file = path.join(dir, encodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (req.method === "POST") {
      pipeline(req, createWriteStream(file)).then(
        () => res.end("{}"),
        () => res.writeHead(500).end(),
      );
      return;
    }
    pipeline(createReadStream(file), res).catch(() => res.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    ),
  );
}

function mibPerSecond(size: number, msTaken: number): number {
  return size / MiB / (msTaken / 1000);
}

interface Throughput {
  up: number[];
  down: number[];
}

/** One upload and one download of `size` bytes, as MiB/s each, added to `into`. */
async function roundTrip(target: Target, size: number, into: Throughput): Promise<void> {
  const object = `bench/${size}.bin`;
  let t = performance.now();
  await upload(target, object, size);
  into.up.push(mibPerSecond(size, performance.now() - t));
  t = performance.now();
  await download(target, object, size);
  into.down.push(mibPerSecond(size, performance.now() - t));
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), "hearth-storage-bench-"));
  const floorDir = path.join(work, "floor");
  const emulatorDir = path.join(work, "emulator");
  mkdirSync(floorDir);
  mkdirSync(emulatorDir);

  const floor = await fileServer(floorDir);
  const emulator = await spawnEmulator({ storageDir: emulatorDir });
  const floorTarget: Target = {
    name: "plain Node HTTP file server",
    uploadUrl: (o) => `http://127.0.0.1:${floor.port}/${encodeURIComponent(o)}`,
    downloadUrl: (o) => `http://127.0.0.1:${floor.port}/${encodeURIComponent(o)}`,
  };
  const emulatorTarget: Target = {
    name: "Hearth Storage emulator",
    uploadUrl: (o) =>
      `http://127.0.0.1:${emulator.storagePort}/v0/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(o)}`,
    downloadUrl: (o) =>
      `http://127.0.0.1:${emulator.storagePort}/v0/b/${bucket}/o/${encodeURIComponent(o)}?alt=media`,
  };
  const table = new Table(
    "Storage emulator: its own process (node emulator/bin/hearth-emulator.js --storage-port), /v0 REST API",
  );

  try {
    for (const [size, runs] of [
      [1 * MiB, 30],
      [50 * MiB, 5],
    ] as const) {
      const warmUp: Throughput = { up: [], down: [] };
      for (const target of [floorTarget, emulatorTarget]) await roundTrip(target, size, warmUp);
      const onFloor: Throughput = { up: [], down: [] };
      const onEmulator: Throughput = { up: [], down: [] };
      // Interleaved, so load on the shared machine falls on both alike.
      for (let run = 0; run < runs; run++) {
        for (const [target, into] of [
          [floorTarget, onFloor],
          [emulatorTarget, onEmulator],
        ] as const) {
          await roundTrip(target, size, into);
        }
      }
      table.add({
        figure: `${size / MiB} MiB upload`,
        value: spread(onEmulator.up, mibps),
        reference: `plain Node file server: ${spread(onFloor.up, mibps)}`,
      });
      table.add({
        figure: `${size / MiB} MiB download`,
        value: spread(onEmulator.down, mibps),
        reference: `plain Node file server: ${spread(onFloor.down, mibps)}`,
      });
    }

    const rates: number[] = [];
    const before: number[] = [];
    const peaks: number[] = [];
    for (let run = 0; run < 3; run++) {
      const watch = watchRss(emulator.pid);
      const t = performance.now();
      await upload(emulatorTarget, "bench/500MiB.bin", 500 * MiB);
      rates.push(mibPerSecond(500 * MiB, performance.now() - t));
      const r = watch.stop();
      before.push(r.before);
      peaks.push(r.peak - r.before);
    }
    table.add({ figure: "500 MiB upload (3 runs)", value: spread(rates, mibps) });
    table.add({
      figure: "emulator RSS rise during a 500 MiB upload (streamed to disk)",
      value: spread(peaks, (n) => `+${n.toFixed(1)} MiB`),
      reference: `from ${spread(before, mib)}`,
    });
    table.print();
  } finally {
    await emulator.stop();
    floor.server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
