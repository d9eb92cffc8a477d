import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { RulesLoadError, silentLogger, startEmulator } from "@hearth/emulator";
import {
  collection,
  doc,
  getCountFromServer,
  getDoc,
  getDocs,
  query,
  runTransaction,
  setDoc,
  where,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /notes/{id} {
      allow read: if request.auth != null;
      allow create: if request.auth != null && request.resource.data.owner == request.auth.uid;
    }
    match /diaries/{id} {
      allow read: if request.auth != null && resource.data.owner == request.auth.uid;
      allow update: if request.auth != null && resource.data.owner == request.auth.uid;
    }
  }
}`;

const BROKEN = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    allow read: if ;
  }
}`;

let emu: TestEmulator;
let env: RulesTestEnvironment;

beforeAll(async () => {
  emu = await startTestEmulator();
  env = await initializeTestEnvironment({
    projectId: emu.projectId,
    firestore: { host: emu.host, port: emu.port, rules: RULES },
  });
});
afterAll(async () => {
  await env.cleanup();
  await emu.stop();
});

const rulesUrl = (project: string) =>
  `http://${emu.host}:${emu.port}/emulator/v1/projects/${project}:securityRules`;

describe("rules loaded through rules-unit-testing", () => {
  it("allows and denies per the loaded rules", async () => {
    const alice = env.authenticatedContext("alice").firestore();
    const anon = env.unauthenticatedContext().firestore();
    await assertSucceeds(setDoc(doc(alice, "notes/1"), { owner: "alice" }));
    await assertFails(setDoc(doc(alice, "notes/2"), { owner: "bob" }));
    await assertSucceeds(getDoc(doc(alice, "notes/1")));
    await assertFails(getDoc(doc(anon, "notes/1")));
    await assertFails(getDoc(doc(alice, "elsewhere/x")));
  });

  it("queries are judged by their constraints, over Listen (getDocs) and aggregations alike", async () => {
    await env.withSecurityRulesDisabled(async (ctx) => {
      await setDoc(doc(ctx.firestore(), "diaries/a"), { owner: "alice", n: 1 });
      await setDoc(doc(ctx.firestore(), "diaries/b"), { owner: "bob", n: 2 });
    });
    const alice = env.authenticatedContext("alice").firestore();
    const mine = query(collection(alice, "diaries"), where("owner", "==", "alice"));
    await assertSucceeds(getDocs(mine));
    expect((await getDocs(mine)).docs.map((d) => d.id)).toEqual(["a"]);
    await assertFails(getDocs(collection(alice, "diaries")));
    await assertSucceeds(getCountFromServer(mine));
    await assertFails(getCountFromServer(collection(alice, "diaries")));
  });

  it("a denied transaction commit is permission-denied and changes nothing", async () => {
    const alice = env.authenticatedContext("alice").firestore();
    const run = runTransaction(alice, async (tx) => {
      const own = await tx.get(doc(alice, "diaries/a"));
      tx.update(doc(alice, "diaries/a"), { n: own.get("n") + 1 });
      tx.set(doc(alice, "diaries/new"), { owner: "alice" });
    });
    await assertFails(run);
    await env.withSecurityRulesDisabled(async (ctx) => {
      expect((await getDoc(doc(ctx.firestore(), "diaries/a"))).get("n")).toBe(1);
    });
  });

  it("other projects keep the open default", async () => {
    const other = await initializeTestEnvironment({
      projectId: `${emu.projectId}-open`,
      firestore: { host: emu.host, port: emu.port },
    });
    await assertSucceeds(setDoc(doc(other.unauthenticatedContext().firestore(), "elsewhere/x"), { v: 1 }));
    await other.cleanup();
  });
});

describe("PUT :securityRules", () => {
  it("rejects rules that do not compile with a readable non-2xx answer, keeping the old rules", async () => {
    const res = await fetch(rulesUrl(emu.projectId), {
      method: "PUT",
      body: JSON.stringify({ rules: { files: [{ content: BROKEN }] } }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/4:\d+/);
    await assertFails(getDoc(doc(env.unauthenticatedContext().firestore(), "notes/1")));
  });

  it("answers firebase-tools' ignore_errors body with 200 and severity-3 issues", async () => {
    const res = await fetch(rulesUrl(emu.projectId), {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ignore_errors: true,
        rules: { files: [{ name: "security.rules", content: BROKEN }] },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      issues: Array<{ sourcePosition: { line: number }; severity: number; description: string }>;
    };
    expect(body.issues.length).toBeGreaterThan(0);
    expect(body.issues[0]).toMatchObject({ sourcePosition: { line: 4 }, severity: 3 });
  });

  it("rejects a body that is not JSON", async () => {
    const res = await fetch(rulesUrl(emu.projectId), { method: "PUT", body: "rules" });
    expect(res.status).toBe(400);
  });
});

describe("start-up rules", () => {
  it("programmatic: a syntax error refuses to start, naming file, line and column", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-rules-"));
    const file = join(dir, "firestore.rules");
    await writeFile(file, BROKEN);
    const start = startEmulator({ port: 0, rules: file, logger: silentLogger });
    await expect(start).rejects.toBeInstanceOf(RulesLoadError);
    await expect(start).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:\\d+`));
  });

  it("CLI: --rules with a syntax error exits non-zero with the position", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-rules-"));
    const file = join(dir, "bad.rules");
    await writeFile(file, BROKEN);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import("./emulator/src/cli/main.ts").then(async (m) => { process.exitCode = await m.main(["--port", "0", "--rules", ${JSON.stringify(file)}]); })`,
      ],
      {
        cwd: new URL("../../", import.meta.url),
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.rules:4:\d+/);
  });
});
