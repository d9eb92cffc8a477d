/**
 * Security Rules engine figures (no assertions): compile time of the repo's firestore.rules, rules
 * evaluations per second in-process (get, create and list requests judged through the gate), and the wall
 * time of a 200-assertion suite through @firebase/rules-unit-testing against a started Hearth emulator.
 *
 * Run: npx tsx scripts/bench/rules.ts
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { collection, doc, getDoc, getDocs, query, setDoc, setLogLevel, where } from "firebase/firestore";
import { silentLogger, startEmulator } from "../../emulator/src/index.js";
import { compileRuleset, createRulesGate } from "../../emulator/src/rules/index.js";
import type { GateContext, GateDocument, WireValue } from "../../emulator/src/shared/security.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function member(orgId) {
      return get(/databases/$(database)/documents/orgs/$(orgId)/members/$(request.auth.uid));
    }
    function isMember(orgId) {
      return request.auth != null
        && exists(/databases/$(database)/documents/orgs/$(orgId)/members/$(request.auth.uid));
    }
    function roleAtLeast(orgId, role) {
      let ranks = {'viewer': 0, 'member': 1, 'admin': 2, 'owner': 3};
      return isMember(orgId) && ranks[member(orgId).data.role] >= ranks[role];
    }
    match /orgs/{orgId} {
      allow read: if isMember(orgId);
      match /projects/{projectId} {
        allow read: if isMember(orgId);
        allow create: if roleAtLeast(orgId, 'member')
          && request.resource.data.keys().hasOnly(['name', 'createdBy', 'status'])
          && request.resource.data.name is string && request.resource.data.name.size() <= 100
          && request.resource.data.createdBy == request.auth.uid;
      }
    }
    match /posts/{postId} {
      allow read: if resource.data.visibility == 'public';
    }
  }
}
`;

const str = (s: string): WireValue => ({ stringValue: s });
const stamp = { seconds: 1, nanos: 0 };
const stored = new Map<string, GateDocument>();
const put = (path: string, fields: Record<string, WireValue>) =>
  stored.set(path, { path, fields, createTime: stamp, updateTime: stamp });

function compileFigure(): void {
  const source = readFileSync(new URL("../../firestore.rules", import.meta.url), "utf8");
  const runs = 200;
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const r = compileRuleset(source, "firestore.rules");
    if (!r.ok) throw new Error(r.issues.map((x) => x.rendered).join("\n"));
  }
  const each = (performance.now() - start) / runs;
  console.log(`compile firestore.rules (${source.length} chars): ${each.toFixed(3)} ms each`);
}

function evaluationFigure(): void {
  const gate = createRulesGate();
  gate.setRules("bench", RULES);
  put("orgs/acme/members/mia", { role: str("member") });
  put("orgs/acme/projects/p1", { name: str("One"), createdBy: str("mia"), status: str("active") });
  const lookup = { get: (p: string) => stored.get(p) ?? null };
  const ctx: GateContext = {
    project: "bench",
    database: "(default)",
    auth: { uid: "mia", token: { sub: "mia" } },
    time: new Date(),
    before: lookup,
    after: lookup,
  };
  const created: GateDocument = {
    path: "orgs/acme/projects/p2",
    fields: { name: str("Two"), createdBy: str("mia"), status: str("active") },
    createTime: stamp,
    updateTime: stamp,
  };
  const listQuery = {
    parent: "",
    structuredQuery: {
      from: [{ collectionId: "posts" }],
      where: { fieldFilter: { field: { fieldPath: "visibility" }, op: "EQUAL", value: str("public") } },
    },
  };
  const requests: [string, () => boolean][] = [
    ["get (membership exists())", () => gate.checkGet("orgs/acme/projects/p1", ctx).allowed],
    [
      "create (get() + validation)",
      () =>
        gate.checkWrites([{ path: created.path, method: "create", before: null, after: created }], ctx)
          .allowed,
    ],
    ["list (judged from the query)", () => gate.checkQuery(listQuery, ctx).allowed],
  ];
  for (const [name, run] of requests) {
    if (!run()) throw new Error(`${name} was denied`);
    for (let i = 0; i < 2000; i++) run();
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 1000) {
      for (let i = 0; i < 200; i++) run();
      n += 200;
    }
    const perSecond = n / ((performance.now() - start) / 1000);
    console.log(`${name}: ${Math.round(perSecond).toLocaleString("en-US")} rules evaluations/s`);
  }
}

async function suiteFigure(): Promise<void> {
  // Refused writes are expected here; the SDK would log each one.
  setLogLevel("silent");
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    gate: createRulesGate(),
  });
  const start = performance.now();
  let env: RulesTestEnvironment | undefined;
  try {
    env = await initializeTestEnvironment({
      projectId: `demo-${randomBytes(6).toString("hex")}`,
      firestore: { host: emulator.host, port: emulator.port, rules: RULES },
    });
    await env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore();
      await setDoc(doc(db, "orgs/acme/members/mia"), { role: "member" });
      await setDoc(doc(db, "orgs/acme/projects/p1"), { name: "One", createdBy: "mia", status: "active" });
      await setDoc(doc(db, "posts/pub"), { visibility: "public" });
    });
    const mia = env.authenticatedContext("mia").firestore();
    const stranger = env.authenticatedContext("stranger").firestore();
    const anon = env.unauthenticatedContext().firestore();
    const assertions: (() => Promise<unknown>)[] = [
      () => assertSucceeds(getDoc(doc(mia, "orgs/acme/projects/p1"))),
      () => assertFails(getDoc(doc(stranger, "orgs/acme/projects/p1"))),
      () => assertSucceeds(getDocs(collection(mia, "orgs/acme/projects"))),
      () => assertFails(getDocs(collection(anon, "orgs/acme/projects"))),
      () => assertSucceeds(getDocs(query(collection(anon, "posts"), where("visibility", "==", "public")))),
      () => assertFails(getDocs(collection(anon, "posts"))),
      () =>
        assertSucceeds(
          setDoc(doc(mia, `orgs/acme/projects/n${randomBytes(4).toString("hex")}`), {
            name: "N",
            createdBy: "mia",
            status: "x",
          }),
        ),
      () =>
        assertFails(
          setDoc(doc(stranger, "orgs/acme/projects/bad"), { name: "N", createdBy: "stranger", status: "x" }),
        ),
    ];
    const suiteStart = performance.now();
    for (let i = 0; i < 200; i++) await assertions[i % assertions.length]!();
    const suite = performance.now() - suiteStart;
    console.log(
      `200 assertions through rules-unit-testing: ${suite.toFixed(0)} ms (${(suite / 200).toFixed(2)} ms each)`,
    );
  } finally {
    await env?.cleanup();
    await emulator.stop();
  }
  console.log(
    `wall time including emulator start and rules load: ${(performance.now() - start).toFixed(0)} ms`,
  );
}

compileFigure();
evaluationFigure();
await suiteFigure();
