/**
 * Security Rules figures (no assertions), all on the project's own firestore.rules:
 *
 * - end to end: the emulator in its own process, started by its CLI with `--rules firestore.rules`, and
 *   the web SDK in Node (through @firebase/rules-unit-testing, as the rules tests use it) making the
 *   requests a frontend makes: a member reading the org document and a project, creating a project
 *   (server timestamps, the create validation), listing the org's projects, and finding its own
 *   memberships with a collection-group query; a stranger refused. Each is timed over SAMPLES requests
 *   next to the same request with the rules bypassed (the owner token rules-unit-testing uses to seed),
 *   so the difference is what the rules cost;
 * - a 200-assertion suite through rules-unit-testing against that process, repeated;
 * - the engine alone, in this process: compile time of firestore.rules, and evaluations per second of
 *   the same get / create / list requests judged directly by the rules gate.
 *
 * Run: npm run bench -- rules
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  setLogLevel,
  where,
} from "firebase/firestore";
import { compileRuleset, createRulesGate } from "../../emulator/src/rules/index.js";
import type { GateContext, GateDocument, WireValue } from "../../emulator/src/shared/security.js";
import { type EmulatorProcess, root, spawnEmulator } from "./support/emulator.js";
import { ms, perSecond, spread, Table } from "./support/stats.js";

const RULES_FILE = path.join(root, "firestore.rules");
const SAMPLES = 100;
const WARMUP = 10;
const PROJECTS = 20;
const table = new Table(
  "Security Rules: the project's firestore.rules, emulator in its own process (CLI --rules firestore.rules)",
);

/** The org a member works in: the org, memberships of mia (member) and PROJECTS projects. */
async function seed(db: Firestore): Promise<void> {
  await setDoc(doc(db, "orgs/acme"), { name: "Acme", settings: {}, ownerUid: "olga", deletedAt: null });
  await setDoc(doc(db, "orgs/acme/members/mia"), { uid: "mia", role: "member" });
  await setDoc(doc(db, "orgs/acme/members/olga"), { uid: "olga", role: "owner" });
  for (let i = 0; i < PROJECTS; i++) {
    await setDoc(doc(db, `orgs/acme/projects/p${i}`), {
      name: `Project ${i}`,
      description: "",
      status: "active",
      createdBy: "mia",
    });
  }
}

/** The requests a member's frontend makes, by name; each takes the Firestore it runs through. */
const requests: [string, (db: Firestore, uid: string) => Promise<unknown>][] = [
  ["get the org document (membership get())", (db) => getDoc(doc(db, "orgs/acme"))],
  ["get a project", (db) => getDoc(doc(db, "orgs/acme/projects/p1"))],
  [
    "create a project (membership + org get(), validation)",
    (db, uid) =>
      setDoc(doc(db, `orgs/acme/projects/n${randomBytes(6).toString("hex")}`), {
        name: "New project",
        description: "Made by the bench",
        status: "active",
        createdBy: uid,
        createdAt: serverTimestamp(),
        updatedAt: serverTimestamp(),
      }),
  ],
  [`list the org's ${PROJECTS} projects`, (db) => getDocs(collection(db, "orgs/acme/projects"))],
  [
    "collection-group query for one's memberships",
    (db, uid) => getDocs(query(collectionGroup(db, "members"), where("uid", "==", uid))),
  ],
];

/** A context's Firestore for the modular API (rules-unit-testing types it as the compat one). */
const sdk = (ctx: RulesTestContext) => ctx.firestore() as unknown as Firestore;

async function time(run: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await run();
  return performance.now() - t;
}

async function endToEnd(emulator: EmulatorProcess): Promise<void> {
  const env = await initializeTestEnvironment({
    projectId: `demo-bench-${randomBytes(4).toString("hex")}`,
    firestore: { host: emulator.host, port: emulator.port },
  });
  try {
    const mia = sdk(env.authenticatedContext("mia"));
    const stranger = sdk(env.authenticatedContext("stranger"));
    await env.withSecurityRulesDisabled(async (ctx) => {
      const owner = sdk(ctx);
      await seed(owner);
      for (const [name, request] of requests) {
        const judged: number[] = [];
        const bypassed: number[] = [];
        // Interleaved, so load on the machine falls on both alike.
        for (let i = 0; i < WARMUP + SAMPLES; i++) {
          const withRules = await time(() => assertSucceeds(request(mia, "mia")));
          const without = await time(() => request(owner, "mia"));
          if (i < WARMUP) continue;
          judged.push(withRules);
          bypassed.push(without);
        }
        table.add({
          figure: `member: ${name}`,
          value: spread(judged, ms),
          reference: `rules bypassed: ${spread(bypassed, ms)}`,
        });
      }
      const refused: number[] = [];
      const allowed: number[] = [];
      for (let i = 0; i < WARMUP + SAMPLES; i++) {
        const no = await time(() => assertFails(getDoc(doc(stranger, "orgs/acme"))));
        const yes = await time(() => getDoc(doc(mia, "orgs/acme")));
        if (i < WARMUP) continue;
        refused.push(no);
        allowed.push(yes);
      }
      table.add({
        figure: "stranger: get the org document, refused",
        value: spread(refused, ms),
        reference: `the member, allowed: ${spread(allowed, ms)}`,
      });
    });
    await suite(env);
  } finally {
    await env.cleanup();
  }
}

/** SUITES runs of a 200-assertion suite mixing the requests above with refusals, as a rules test would. */
async function suite(env: RulesTestEnvironment): Promise<void> {
  const SUITES = 5;
  const mia = sdk(env.authenticatedContext("mia"));
  const stranger = sdk(env.authenticatedContext("stranger"));
  const anon = sdk(env.unauthenticatedContext());
  const assertions: (() => Promise<unknown>)[] = [
    ...requests.map(
      ([, request]) =>
        () =>
          assertSucceeds(request(mia, "mia")),
    ),
    () => assertFails(getDoc(doc(stranger, "orgs/acme/projects/p1"))),
    () => assertFails(getDocs(collection(anon, "orgs/acme/projects"))),
    () => assertFails(getDocs(collectionGroup(stranger, "members"))),
    () =>
      assertFails(
        setDoc(doc(mia, "orgs/acme/projects/bad"), {
          name: "Bad\u202Ename",
          description: "",
          status: "active",
          createdBy: "mia",
          createdAt: serverTimestamp(),
          updatedAt: serverTimestamp(),
        }),
      ),
  ];
  const walls: number[] = [];
  for (let run = 0; run < SUITES; run++) {
    walls.push(
      await time(async () => {
        for (let i = 0; i < 200; i++) await assertions[i % assertions.length]!();
      }),
    );
  }
  table.add({
    figure: `200-assertion suite through rules-unit-testing (${SUITES} runs)`,
    value: spread(walls, ms),
    reference: `${spread(
      walls.map((w) => w / 200),
      ms,
    )} per assertion`,
  });
}

const str = (s: string): WireValue => ({ stringValue: s });
const stamp = { seconds: 1, nanos: 0 };
const at = (p: string, fields: Record<string, WireValue>): GateDocument => ({
  path: p,
  fields,
  createTime: stamp,
  updateTime: stamp,
});

/** The rules engine alone, in this process: compile, and evaluations per second of judged requests. */
function engine(): void {
  const source = readFileSync(RULES_FILE, "utf8");
  const compiles: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    const result = compileRuleset(source, "firestore.rules");
    compiles.push(performance.now() - t);
    if (!result.ok) throw new Error(result.issues.map((x) => x.rendered).join("\n"));
  }
  table.add({
    figure: `engine only: compile firestore.rules (${source.length} chars)`,
    value: spread(compiles, ms),
  });

  const gate = createRulesGate();
  const loaded = gate.setRules("bench", source, "firestore.rules");
  if (!loaded.ok) throw new Error("firestore.rules did not load.");
  const now = new Date();
  const nowValue: WireValue = {
    timestampValue: { seconds: Math.floor(now.getTime() / 1000), nanos: (now.getTime() % 1000) * 1e6 },
  };
  const stored = new Map<string, GateDocument>(
    [
      at("orgs/acme", { name: str("Acme"), deletedAt: { nullValue: null } }),
      at("orgs/acme/members/mia", { uid: str("mia"), role: str("member") }),
      at("orgs/acme/projects/p1", {
        name: str("One"),
        description: str(""),
        status: str("active"),
        createdBy: str("mia"),
      }),
    ].map((d) => [d.path, d]),
  );
  const lookup = { get: (p: string) => stored.get(p) ?? null };
  const ctx: GateContext = {
    project: "bench",
    database: "(default)",
    auth: { uid: "mia", token: { sub: "mia" } },
    time: now,
    before: lookup,
    after: lookup,
  };
  const created = at("orgs/acme/projects/p2", {
    name: str("Two"),
    description: str("Made by the bench"),
    status: str("active"),
    createdBy: str("mia"),
    createdAt: nowValue,
    updatedAt: nowValue,
  });
  const list = { parent: "orgs/acme", structuredQuery: { from: [{ collectionId: "projects" }] } };
  const judged: [string, () => boolean][] = [
    ["get the org document", () => gate.checkGet("orgs/acme", ctx).allowed],
    [
      "create a project",
      () =>
        gate.checkWrites([{ path: created.path, method: "create", before: null, after: created }], ctx)
          .allowed,
    ],
    ["list the org's projects", () => gate.checkQuery(list, ctx).allowed],
  ];
  for (const [name, run] of judged) {
    if (!run()) throw new Error(`engine only: ${name} was refused.`);
    for (let i = 0; i < 2000; i++) run();
    const rates: number[] = [];
    for (let r = 0; r < 5; r++) {
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < 400) {
        for (let i = 0; i < 100; i++) run();
        n += 100;
      }
      rates.push(n / ((performance.now() - start) / 1000));
    }
    table.add({
      figure: `engine only: ${name}, judged by the gate`,
      value: spread(rates, perSecond("evals")),
    });
  }
}

async function main(): Promise<void> {
  // Refusals are expected here; the SDK would log each one.
  setLogLevel("silent");
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const emulator = await spawnEmulator({ rules: RULES_FILE });
    starts.push(emulator.startMs);
    await emulator.stop();
  }
  table.add({
    figure: "emulator start with --rules firestore.rules, spawn → accepting",
    value: spread(starts, ms),
  });

  const emulator = await spawnEmulator({ rules: RULES_FILE });
  const rssBefore = emulator.rss();
  try {
    await endToEnd(emulator);
    table.add({
      figure: "emulator RSS over the end-to-end figures",
      value: `${rssBefore.toFixed(0)} → ${emulator.rss().toFixed(0)} MiB`,
    });
  } finally {
    await emulator.stop();
  }
  engine();
  table.print();
}

await main();
