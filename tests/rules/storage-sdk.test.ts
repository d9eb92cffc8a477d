import { readFileSync } from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { silentLogger, startEmulator } from "@hearth/emulator";
import { doc, type Firestore, setDoc } from "firebase/firestore";
import {
  deleteObject,
  type FirebaseStorage,
  getBytes,
  getMetadata,
  listAll,
  ref,
  uploadBytes,
} from "firebase/storage";
import { afterAll, beforeAll, describe, it } from "vitest";
import { FIRESTORE_RULES } from "./support/env.js";
import { type Actor, MEMBERSHIPS, type OrgId, uidOf } from "./support/world.js";

// storage.rules through the web SDK's firebase/storage, as rules-unit-testing's storage() contexts give it,
// against Hearth's Storage emulator: firestore.get() reads the same process's Firestore, seeded below. Every
// allow is shown next to a refusal for the role just below it or a neighbouring tenant.

const STORAGE_RULES = readFileSync(new URL("../../storage.rules", import.meta.url), "utf8");
const ROOMY = { storageBytes: 1_000_000, files: 100, fileMaxBytes: 100_000 };

let testEnv: RulesTestEnvironment;
let stopEmulator: () => Promise<void>;

/** Plan-limit orgs: `member` is a member of each; their entitlements and usage are set per test. */
const LIMIT_ORGS = ["sizecap", "bytecap", "countcap", "legacy"] as const;

beforeAll(async () => {
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    storage: { port: 0 },
  });
  stopEmulator = () => emulator.stop();
  testEnv = await initializeTestEnvironment({
    projectId: `demo-storage-${Date.now().toString(36)}`,
    firestore: { host: emulator.host, port: emulator.port, rules: FIRESTORE_RULES },
    storage: { host: emulator.host, port: emulator.storagePort!, rules: STORAGE_RULES },
  });
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore() as unknown as Firestore;
    const orgs: Record<string, Partial<Record<Actor, string>>> = { ...MEMBERSHIPS };
    for (const orgId of LIMIT_ORGS) orgs[orgId] = { member: "member" };
    for (const [orgId, members] of Object.entries(orgs)) {
      await setDoc(doc(db, `orgs/${orgId}`), {
        name: orgId,
        entitlements: ROOMY,
        deletedAt: orgId === "defunct" ? new Date() : null,
      });
      for (const [uid, role] of Object.entries(members)) {
        await setDoc(doc(db, `orgs/${orgId}/members/${uid}`), { uid, role });
      }
    }
    // One object per uploader in each of the three world orgs.
    const storage = context.storage() as unknown as FirebaseStorage;
    for (const orgId of ["acme", "globex", "defunct"]) {
      for (const uploader of ["owner", "member", "viewer", "rival"]) {
        await uploadBytes(ref(storage, `orgs/${orgId}/files/by-${uploader}`), new Uint8Array([1, 2, 3]), {
          contentType: "text/plain",
          customMetadata: { uploadedBy: uploader },
        });
      }
    }
  });
});
afterAll(async () => {
  await testEnv?.cleanup();
  await stopEmulator?.();
});

function storageOf(actor: Actor): FirebaseStorage {
  const uid = uidOf(actor);
  const context = uid ? testEnv.authenticatedContext(uid) : testEnv.unauthenticatedContext();
  return context.storage() as unknown as FirebaseStorage;
}

/** Uploads `size` bytes as `actor`, recording the actor as uploader unless told otherwise. */
function upload(
  actor: Actor,
  path: string,
  opts: { size?: number; contentType?: string; uploadedBy?: string | null } = {},
) {
  const uploadedBy = opts.uploadedBy === undefined ? uidOf(actor) : opts.uploadedBy;
  return uploadBytes(ref(storageOf(actor), path), new Uint8Array(opts.size ?? 16), {
    contentType: opts.contentType ?? "image/png",
    ...(uploadedBy ? { customMetadata: { uploadedBy } } : {}),
  });
}

const remove = (actor: Actor, path: string) => deleteObject(ref(storageOf(actor), path));

async function setPlan(
  orgId: OrgId | (typeof LIMIT_ORGS)[number],
  entitlements: object,
  usage: object | null,
) {
  await testEnv.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore() as unknown as Firestore;
    await setDoc(doc(db, `orgs/${orgId}`), { name: orgId, entitlements, deletedAt: null });
    const usageRef = doc(db, `orgs/${orgId}/usage/storage`);
    if (usage) await setDoc(usageRef, usage);
  });
}

describe("storage.rules through the SDK: reads", () => {
  it("a viewer reads (metadata, bytes, listing); a signed-in non-member and a signed-out user cannot", async () => {
    const path = "orgs/acme/files/by-member";
    await assertSucceeds(getMetadata(ref(storageOf("viewer"), path)));
    await assertSucceeds(getBytes(ref(storageOf("viewer"), path)));
    await assertSucceeds(listAll(ref(storageOf("viewer"), "orgs/acme/files")));
    for (const actor of ["stranger", "anonymous"] as Actor[]) {
      await assertFails(getMetadata(ref(storageOf(actor), path)));
      await assertFails(getBytes(ref(storageOf(actor), path)));
      await assertFails(listAll(ref(storageOf(actor), "orgs/acme/files")));
    }
  });

  it("another org's owner cannot read acme's files; acme's owner cannot read globex's", async () => {
    await assertFails(getBytes(ref(storageOf("rival"), "orgs/acme/files/by-member")));
    await assertSucceeds(getBytes(ref(storageOf("rival"), "orgs/globex/files/by-rival")));
    await assertFails(getBytes(ref(storageOf("owner"), "orgs/globex/files/by-rival")));
  });
});

describe("storage.rules through the SDK: uploads", () => {
  it("a member uploads; a viewer, a non-member, another org's owner and a signed-out user cannot", async () => {
    await assertSucceeds(upload("member", "orgs/acme/files/member-new"));
    await assertFails(upload("viewer", "orgs/acme/files/viewer-new"));
    await assertFails(upload("stranger", "orgs/acme/files/stranger-new"));
    await assertFails(upload("rival", "orgs/acme/files/rival-new"));
    await assertFails(upload("anonymous", "orgs/acme/files/anon-new", { uploadedBy: "member" }));
  });

  it("the uploader in the metadata must be the caller", async () => {
    await assertFails(upload("member", "orgs/acme/files/forged", { uploadedBy: "owner" }));
    await assertFails(upload("member", "orgs/acme/files/unsigned", { uploadedBy: null }));
  });

  it("only the allowed content types", async () => {
    await assertSucceeds(upload("member", "orgs/acme/files/doc.pdf", { contentType: "application/pdf" }));
    await assertFails(upload("member", "orgs/acme/files/page.html", { contentType: "text/html" }));
    await assertFails(upload("member", "orgs/acme/files/logo.svg", { contentType: "image/svg+xml" }));
  });

  it("objects are immutable: even the owner cannot overwrite one", async () => {
    await assertFails(upload("owner", "orgs/acme/files/by-owner"));
  });

  it("a soft-deleted org takes no uploads, even from its owner", async () => {
    await assertFails(upload("owner", "orgs/defunct/files/late"));
  });

  it("nothing outside orgs/{orgId}/files/{fileId}", async () => {
    for (const path of ["public/logo.png", "orgs/acme/logo.png", "orgs/acme/files/a/b", "users/owner/x"]) {
      await assertFails(upload("owner", path));
    }
  });
});

describe("storage.rules through the SDK: plan limits", () => {
  it("per-file size: the plan's fileMaxBytes exactly is accepted, one byte more refused", async () => {
    await setPlan("sizecap", { ...ROOMY, fileMaxBytes: 4_096 }, null);
    await assertSucceeds(upload("member", "orgs/sizecap/files/exact", { size: 4_096 }));
    await assertFails(upload("member", "orgs/sizecap/files/over", { size: 4_097 }));
  });

  it("stored bytes: an upload that fills the plan exactly is accepted, one byte more refused", async () => {
    await setPlan("bytecap", { ...ROOMY, storageBytes: 10_000 }, { storageBytes: 7_000, files: 2 });
    await assertFails(upload("member", "orgs/bytecap/files/over", { size: 3_001 }));
    await assertSucceeds(upload("member", "orgs/bytecap/files/exact", { size: 3_000 }));
  });

  it("file count: the plan's last file is accepted, the next refused", async () => {
    await setPlan("countcap", { ...ROOMY, files: 3 }, { storageBytes: 10, files: 2 });
    await assertSucceeds(upload("member", "orgs/countcap/files/third"));
    await setPlan("countcap", { ...ROOMY, files: 3 }, { storageBytes: 10, files: 3 });
    await assertFails(upload("member", "orgs/countcap/files/fourth"));
  });

  it("an org whose entitlements predate the file limits takes no uploads", async () => {
    await setPlan("legacy", { storageBytes: 1_000_000 }, null);
    await assertFails(upload("member", "orgs/legacy/files/x"));
  });
});

describe("storage.rules through the SDK: deletes", () => {
  it("a member deletes their own upload; a viewer cannot delete even theirs", async () => {
    await assertSucceeds(remove("member", "orgs/acme/files/by-member"));
    await assertFails(remove("viewer", "orgs/acme/files/by-viewer"));
  });

  it("an admin deletes anyone's; a member cannot delete another's", async () => {
    await assertFails(remove("member", "orgs/acme/files/by-owner"));
    await assertSucceeds(remove("admin", "orgs/acme/files/by-owner"));
  });

  it("another org's owner cannot delete acme's files; nobody deletes in a soft-deleted org", async () => {
    await assertFails(remove("rival", "orgs/acme/files/by-viewer"));
    await assertFails(remove("admin", "orgs/defunct/files/by-member"));
    await assertFails(remove("member", "orgs/defunct/files/by-member"));
  });
});
