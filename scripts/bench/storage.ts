/**
 * Storage emulator figures (no assertions):
 * 1. Upload and download throughput for 1 MiB and 50 MiB objects through the Firebase Storage REST API
 *    (`/v0/b/{bucket}/o`, what the web and mobile SDKs call), next to a plain Node HTTP server that streams
 *    request bodies to files and files to responses on the same machine: the floor no emulator can beat.
 * 2. The emulator's memory while a 500 MiB upload streams through it: it must stream to disk, so its peak
 *    resident size should stay far below the object's size.
 *
 * The emulator runs as its own process (the CLI, from source, as `npm start` runs it) so that its memory
 * is read from /proc without the client's; the client sends one reused buffer over and over.
 *
 * Run: npm run bench -- storage
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

const MiB = 1024 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bucket = "demo-bench.appspot.com";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

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

function spread(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)]!;
  return `median ${median.toFixed(0)} MiB/s (min ${s[0]!.toFixed(0)}, max ${s.at(-1)!.toFixed(0)}, n=${s.length})`;
}

async function throughput(
  target: Target,
  size: number,
  runs: number,
): Promise<{ up: number[]; down: number[] }> {
  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < runs; i++) {
    const object = `bench/${size}-${i}.bin`;
    let t = performance.now();
    await upload(target, object, size);
    up.push(mibPerSecond(size, performance.now() - t));
    t = performance.now();
    await download(target, object, size);
    down.push(mibPerSecond(size, performance.now() - t));
  }
  return { up, down };
}

/** Resident set of a process, in MiB, from /proc (Linux). */
function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function startStorage(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const [firestorePort, storagePort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "scripts/stack/run-emulator.ts"),
      "--port",
      String(firestorePort),
      "--storage-port",
      String(storagePort),
      "--storage-dir",
      dataDir,
    ],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  await waitForPort(storagePort);
  return { child, port: storagePort };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), "hearth-storage-bench-"));
  const floorDir = path.join(work, "floor");
  const emulatorDir = path.join(work, "emulator");
  mkdirSync(floorDir);
  mkdirSync(emulatorDir);

  const floor = await fileServer(floorDir);
  const emulator = await startStorage(emulatorDir);
  const targets: Target[] = [
    {
      name: "plain Node HTTP file server (floor)",
      uploadUrl: (o) => `http://127.0.0.1:${floor.port}/${encodeURIComponent(o)}`,
      downloadUrl: (o) => `http://127.0.0.1:${floor.port}/${encodeURIComponent(o)}`,
    },
    {
      name: "Hearth Storage emulator (/v0 REST)",
      uploadUrl: (o) =>
        `http://127.0.0.1:${emulator.port}/v0/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(o)}`,
      downloadUrl: (o) =>
        `http://127.0.0.1:${emulator.port}/v0/b/${bucket}/o/${encodeURIComponent(o)}?alt=media`,
    },
  ];

  try {
    for (const [size, runs] of [
      [1 * MiB, 30],
      [50 * MiB, 5],
    ] as const) {
      for (const target of targets) {
        await throughput(target, size, 1); // warm-up
        const { up, down } = await throughput(target, size, runs);
        console.log(`${size / MiB} MiB, ${target.name}`);
        console.log(`  upload:   ${spread(up)}`);
        console.log(`  download: ${spread(down)}`);
      }
    }

    const pid = emulator.child.pid!;
    const before = residentMiB(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentMiB(pid));
    }, 25);
    const t = performance.now();
    await upload(targets[1]!, "bench/500MiB.bin", 500 * MiB);
    const taken = performance.now() - t;
    clearInterval(sampler);
    console.log(
      `500 MiB upload: ${mibPerSecond(500 * MiB, taken).toFixed(0)} MiB/s; emulator resident memory ` +
        `${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB during (+${(peak - before).toFixed(0)} MiB)`,
    );
  } finally {
    emulator.child.kill("SIGTERM");
    floor.server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
