import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger, startEmulator } from "@hearth/emulator";
import { describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator.js";
import { admin, adminFirestore } from "./helpers/admin.js";

const project = "demo-persist";

async function withEmulator<T>(
  options: { importDir?: string; exportOnExit?: string },
  run: (db: ReturnType<typeof adminFirestore>, emu: TestEmulator) => Promise<T>,
) {
  const emulator = await startEmulator({ port: 0, logger: silentLogger, ...options });
  const emu = { host: emulator.host, port: emulator.port, projectId: project, stop: () => emulator.stop() };
  // BigInt reads show that int64 values survive exactly.
  const db = adminFirestore(emu, project, { useBigInt: true });
  try {
    return await run(db, emu);
  } finally {
    await db.terminate();
    await emulator.stop();
  }
}

describe("import and export", () => {
  it("data written before a stop is there after a restart, with every value type and version", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-export-"));
    const written = await withEmulator({ exportOnExit: dir }, async (db) => {
      await db.doc("keep/a").set({
        nan: Number.NaN,
        negZero: -0,
        inf: Number.POSITIVE_INFINITY,
        big: 9007199254740993n,
        small: 1,
        bytes: Buffer.from([0, 255]),
        ts: admin.Timestamp.fromMillis(1_700_000_000_123),
        geo: new admin.GeoPoint(10, 20),
        ref: db.doc("x/y"),
        nested: { list: [1, "two", null] },
      });
      await db.doc("keep/a/sub/b").set({ v: 1 });
      return (await db.doc("keep/a").get()).updateTime!;
    });
    expect(JSON.parse(await readFile(join(dir, "hearth-firestore.json"), "utf8")).format).toBe(
      "hearth-firestore/1",
    );
    await withEmulator({ importDir: dir }, async (db) => {
      const snap = await db.doc("keep/a").get();
      const data = snap.data()!;
      expect(Number.isNaN(data.nan)).toBe(true);
      expect(Object.is(data.negZero, -0)).toBe(true);
      expect(data.inf).toBe(Number.POSITIVE_INFINITY);
      expect(data.big).toBe(9007199254740993n);
      expect(data.small).toBe(1n);
      expect(Buffer.from(data.bytes)).toEqual(Buffer.from([0, 255]));
      expect(data.ts.toMillis()).toBe(1_700_000_000_123);
      expect(data.geo.longitude).toBe(20);
      expect(data.ref.path).toBe("x/y");
      expect(data.nested).toEqual({ list: [1n, "two", null] });
      expect(snap.updateTime!.isEqual(written)).toBe(true);
      expect((await db.doc("keep/a/sub/b").get()).get("v")).toBe(1n);
    });
  });

  it("an import directory that does not exist yet starts empty", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "hearth-export-")), "never-written");
    await withEmulator({ importDir: dir }, async (db) => {
      expect((await db.collection("keep").get()).empty).toBe(true);
    });
  });

  it("POST :export writes a snapshot on demand", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-export-"));
    await withEmulator({}, async (db, emu) => {
      await db.doc("on/demand").set({ v: 1 });
      const res = await fetch(`http://${emu.host}:${emu.port}/emulator/v1/projects/${project}:export`, {
        method: "POST",
        body: JSON.stringify({ database: `projects/${project}/databases/(default)`, export_directory: dir }),
      });
      expect(res.status).toBe(200);
    });
    const snapshot = JSON.parse(await readFile(join(dir, "hearth-firestore.json"), "utf8"));
    expect(snapshot.databases[0].documents.map((d: { path: string }) => d.path)).toEqual(["on/demand"]);
  });
});
