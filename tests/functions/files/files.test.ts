import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { FileDoc } from "@hearth/schema";
import { doc, getDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../../functions/src/lib/clock.js";
import { type OrgsTestEnv, seedOrg, startOrgsTestEnv } from "../orgs/support.js";

// Storage triggers name the project's default bucket when they are defined, as in a deployed project.
process.env.FIREBASE_CONFIG = JSON.stringify({
  projectId: "demo-files",
  storageBucket: "demo-files.appspot.com",
});
const { forgetDeletedFile, onFileDeleted } = await import(
  "../../../functions/src/files/on-object-deleted.js"
);
const { onFileUploaded, recordUploadedFile } = await import(
  "../../../functions/src/files/on-object-finalized.js"
);

let env: OrgsTestEnv;
let orgId: string;
const clock: Clock = { now: () => new Date("2026-11-20T10:00:00Z") };

beforeAll(async () => {
  env = await startOrgsTestEnv();
  orgId = await seedOrg(env.db, { ann: "owner", val: "viewer" });
});
afterAll(() => env?.stop());

const upload = (fileId: string, generation: string, uploadedBy?: string) => ({
  name: `orgs/${orgId}/files/${fileId}`,
  size: 2048,
  contentType: "image/png",
  generation,
  metadata: uploadedBy ? { uploadedBy } : undefined,
});

describe("file records (storage triggers)", () => {
  it("finalize: records the upload in the shape of FileDoc; a redelivered event changes nothing", async () => {
    const deps = { db: env.db, clock };
    await expect(recordUploadedFile(deps, upload("logo.png", "1", "ann"))).resolves.toBe("recorded");
    const first = await env.db.doc(`orgs/${orgId}/files/logo.png`).get();
    expect(FileDoc.parse(first.data())).toMatchObject({
      storagePath: `orgs/${orgId}/files/logo.png`,
      size: 2048,
      contentType: "image/png",
      uploadedBy: "ann",
      generation: "1",
    });
    await expect(recordUploadedFile(deps, upload("logo.png", "1", "ann"))).resolves.toBe("duplicate");
    const again = await env.db.doc(`orgs/${orgId}/files/logo.png`).get();
    expect(again.updateTime?.isEqual(first.updateTime!)).toBe(true);
  });

  it("finalize: objects outside orgs/{orgId}/files/ are not recorded", async () => {
    const deps = { db: env.db, clock };
    for (const name of ["avatars/ann.png", `orgs/${orgId}/other/x`, `orgs/${orgId}/files/a/b`]) {
      await expect(recordUploadedFile(deps, { ...upload("x", "1"), name })).resolves.toBe("ignored");
    }
  });

  it("delete: removes the record of that generation only, so a late event spares a newer upload", async () => {
    const deps = { db: env.db, clock };
    await recordUploadedFile(deps, upload("report.pdf", "7", "ann"));
    await recordUploadedFile(deps, upload("report.pdf", "8", "ann"));
    await expect(
      forgetDeletedFile(deps, { name: `orgs/${orgId}/files/report.pdf`, generation: "7" }),
    ).resolves.toBe("kept");
    expect((await env.db.doc(`orgs/${orgId}/files/report.pdf`).get()).get("generation")).toBe("8");
    await expect(
      forgetDeletedFile(deps, { name: `orgs/${orgId}/files/report.pdf`, generation: "8" }),
    ).resolves.toBe("deleted");
    expect((await env.db.doc(`orgs/${orgId}/files/report.pdf`).get()).exists).toBe(false);
  });

  it("the deployed triggers take Storage's event and keep the record in step; members read it, others cannot", async () => {
    const object = {
      bucket: "demo.appspot.com",
      name: `orgs/${orgId}/files/deck.pdf`,
      size: 10,
      generation: 3,
    };
    await env.fft.wrap(onFileUploaded)({
      data: { ...object, contentType: "application/pdf", metadata: { uploadedBy: "ann" } },
    } as never);
    const ref = (uid: string) =>
      doc(env.rules.authenticatedContext(uid).firestore(), `orgs/${orgId}/files/deck.pdf`);
    const seen = await assertSucceeds(getDoc(ref("val")));
    expect(seen.get("contentType")).toBe("application/pdf");
    await assertFails(getDoc(ref("mallory")));
    expect((await env.db.doc(`orgs/${orgId}/files/deck.pdf`).get()).get("uploadedBy")).toBe("ann");

    await env.fft.wrap(onFileDeleted)({ data: object } as never);
    expect((await env.db.doc(`orgs/${orgId}/files/deck.pdf`).get()).exists).toBe(false);
  });
});
