/**
 * Hearth's own storage.rules enforced by the Storage emulator, with `firestore.get()` reading membership
 * and org documents written through the Firestore emulator of the same process: members upload, viewers
 * only read, another org's member is refused, and size, type, uploader and soft-delete limits hold.
 */
import { readFile } from "node:fs/promises";
import { deleteObject, getBytes, listAll, ref, uploadBytesResumable, uploadString } from "firebase/storage";
import type { Firestore } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminFirestore } from "../helpers/admin.js";
import { type StorageTestEmulator, startStorageEmulator, type WebStorage, webStorage } from "./helpers.js";

const RULES_FILE = new URL("../../../storage.rules", import.meta.url);
const MiB = 1024 * 1024;
// Generous plan limits, so that only the rule under test refuses.
const ENTITLEMENTS = { fileMaxBytes: 25 * MiB, storageBytes: 1024 * MiB, files: 1000 };

let emu: StorageTestEmulator;
let db: Firestore;
const users: Record<string, WebStorage> = {};

beforeAll(async () => {
  emu = await startStorageEmulator({ rulesSource: await readFile(RULES_FILE, "utf8") });
  db = adminFirestore(emu);
  await db.doc("orgs/acme").set({ name: "Acme", deletedAt: null, entitlements: ENTITLEMENTS });
  await db.doc("orgs/globex").set({ name: "Globex", deletedAt: null, entitlements: ENTITLEMENTS });
  for (const [uid, org, role] of [
    ["adam", "acme", "admin"],
    ["mia", "acme", "member"],
    ["max", "acme", "member"],
    ["vic", "acme", "viewer"],
    ["gus", "globex", "member"],
  ] as const) {
    await db.doc(`orgs/${org}/members/${uid}`).set({ role });
    users[uid] = webStorage(emu, { uid });
  }
  users.anon = webStorage(emu);
});

afterAll(async () => {
  await Promise.all(Object.values(users).map((u) => u.close()));
  await db.terminate();
  await emu.stop();
});

const at = (uid: string, path: string) => ref(users[uid]!.storage, path);
const upload = (uid: string, path: string, contentType = "text/plain", uploadedBy = uid) =>
  uploadString(at(uid, path), "file body", "raw", { contentType, customMetadata: { uploadedBy } });

async function refused(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: "storage/unauthorized" });
}

describe("Hearth storage.rules", () => {
  it("a member uploads; the org's members read it; a neighbour org's member cannot read or write", async () => {
    await upload("mia", "orgs/acme/files/report.txt");
    for (const uid of ["mia", "adam", "vic"]) {
      expect(Buffer.from(await getBytes(at(uid, "orgs/acme/files/report.txt"))).toString()).toBe("file body");
    }
    expect((await listAll(at("vic", "orgs/acme/files"))).items.map((i) => i.name)).toEqual(["report.txt"]);
    await refused(getBytes(at("gus", "orgs/acme/files/report.txt")));
    await refused(listAll(at("gus", "orgs/acme/files")));
    await refused(upload("gus", "orgs/acme/files/intruder.txt"));
    await refused(getBytes(at("anon", "orgs/acme/files/report.txt")));
  });

  it("viewers cannot upload; uploads must name their uploader", async () => {
    await refused(upload("vic", "orgs/acme/files/v.txt"));
    await refused(upload("mia", "orgs/acme/files/spoof.txt", "text/plain", "adam"));
  });

  it("an upload of a type outside the list is refused, and so is one over 25 MiB", async () => {
    await refused(upload("mia", "orgs/acme/files/tool.exe", "application/x-msdownload"));
    const oversize = new Uint8Array(25 * MiB + 1);
    await refused(
      uploadBytesResumable(at("mia", "orgs/acme/files/huge.txt"), oversize, {
        contentType: "text/plain",
        customMetadata: { uploadedBy: "mia" },
      }).then(),
    );
    await expect(getBytes(at("adam", "orgs/acme/files/huge.txt"))).rejects.toMatchObject({
      code: "storage/object-not-found",
    });
  });

  it("deletes: the uploader or an admin, never another member or a viewer", async () => {
    await upload("mia", "orgs/acme/files/a.txt");
    await upload("mia", "orgs/acme/files/b.txt");
    await refused(deleteObject(at("max", "orgs/acme/files/a.txt")));
    await refused(deleteObject(at("vic", "orgs/acme/files/a.txt")));
    await deleteObject(at("mia", "orgs/acme/files/a.txt"));
    await deleteObject(at("adam", "orgs/acme/files/b.txt"));
  });

  it("rules read Firestore as it is now: a removed member and a soft-deleted org are refused at once", async () => {
    await upload("max", "orgs/acme/files/max.txt");
    await db.doc("orgs/acme/members/max").delete();
    await refused(getBytes(at("max", "orgs/acme/files/max.txt")));
    await db.doc("orgs/globex").update({ deletedAt: new Date() });
    await refused(upload("gus", "orgs/globex/files/late.txt"));
  });

  it("nothing outside orgs/{orgId}/files is reachable", async () => {
    await refused(upload("adam", "public/x.txt"));
    await refused(getBytes(at("adam", "orgs/acme/other/x.txt")));
  });
});
