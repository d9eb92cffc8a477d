import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  type Firestore,
  getDoc,
  getDocs,
  query,
  setDoc,
  updateDoc,
  where,
} from "firebase/firestore";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pick, prng } from "../support/prng.js";
import { type RulesEnv, startRulesEnv } from "./support/env.js";
import { applyToModel, expectedVerdict, type ModelRequest, type ModelState } from "./support/model.js";
import { newProject, projectChange } from "./support/payloads.js";
import {
  ACTORS,
  type Actor,
  dbFor,
  ORGS,
  ownerUidFor,
  seededProjectId,
  seedWorld,
  uidOf,
} from "./support/world.js";

// Many random requests across users, roles, orgs and operations, each judged by the emulator and by the
// role matrix written as plain code (support/model.ts). Replay a failure with RULES_FUZZ_SEED=<seed>;
// RULES_FUZZ_REQUESTS=<n> runs a longer sequence.

const REQUESTS = Number(process.env.RULES_FUZZ_REQUESTS ?? 300);
const SEED = Number(process.env.RULES_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const UIDS = ACTORS.filter((a) => a !== "anonymous") as string[];

let env: RulesEnv;
beforeAll(async () => {
  env = await startRulesEnv();
  await seedWorld(env.testEnv);
});
afterAll(() => env?.stop());

function initialState(): ModelState {
  const projects = () => new Map(UIDS.map((uid) => [seededProjectId(uid as Actor), uid]));
  return { acme: projects(), globex: projects(), defunct: projects() };
}

function randomRequest(random: () => number, state: ModelState, serial: number): ModelRequest {
  const org = pick(random, ORGS);
  const existing = [...state[org].keys()];
  const anyProject = () =>
    existing.length > 0 && random() < 0.9 ? pick(random, existing) : `missing-${serial}`;
  switch (Math.floor(random() * 22)) {
    case 0:
      return { kind: "getOrg", org };
    case 1:
      return {
        kind: "updateOrg",
        org,
        variant: pick(random, ["name", "settings", "serverField", "emptyName"]),
      };
    case 2:
      return { kind: "getMember", org, target: pick(random, UIDS) };
    case 3:
      return { kind: "listMembers", org };
    case 4:
      return { kind: "writeMember", org, variant: pick(random, ["raiseSelf", "addSelf", "demoteOwner"]) };
    case 5:
      return { kind: "memberships", target: pick(random, UIDS) };
    case 6:
      return { kind: "listInvites", org };
    case 7:
      return { kind: "writeInvite", org };
    case 8:
      return { kind: "getProject", org, projectId: anyProject() };
    case 9:
      return { kind: "listProjects", org };
    case 10:
    case 11:
      return {
        kind: "createProject",
        org,
        projectId: `new-${serial}`,
        variant: pick(random, ["valid", "valid", "forgedCreatedBy", "otherOrgField", "longName"]),
      };
    case 12:
    case 13:
      if (existing.length === 0) return { kind: "listProjects", org };
      return {
        kind: "updateProject",
        org,
        projectId: pick(random, existing),
        variant: pick(random, ["valid", "valid", "changeCreatedBy", "badStatus"]),
      };
    case 14:
      if (existing.length === 0) return { kind: "listProjects", org };
      return { kind: "deleteProject", org, projectId: pick(random, existing) };
    case 15:
      return { kind: pick(random, ["readUsage", "listUsageShards", "readFiles", "readAudit"] as const), org };
    case 16:
      return { kind: pick(random, ["writeUsage", "writeAudit", "writeFile"] as const), org };
    case 17:
      return { kind: pick(random, ["readPrivate", "writePrivate"] as const), org };
    case 18:
      return { kind: "getUser", target: pick(random, UIDS) };
    case 19:
      return { kind: "updateUser", variant: pick(random, ["profile", "email"]) };
    default:
      return {
        kind: "bookkeeping",
        path: pick(random, ["stripeEvents/evt_1", "aiCache/h1", "rateLimits/k1", "jobRuns/j1", "mail/m1"]),
        write: random() < 0.5,
      };
  }
}

function send(db: Firestore, actor: Actor, r: ModelRequest): Promise<unknown> {
  const me = ownerUidFor(actor);
  const org = "org" in r ? `orgs/${r.org}` : "";
  switch (r.kind) {
    case "getOrg":
      return getDoc(doc(db, org));
    case "updateOrg": {
      const fields =
        { name: { name: "Renamed" }, settings: { settings: { theme: "dark" } } }[
          r.variant as "name" | "settings"
        ] ?? (r.variant === "emptyName" ? { name: "" } : { plan: "team" });
      return updateDoc(doc(db, org), fields);
    }
    case "getMember":
      return getDoc(doc(db, `${org}/members/${r.target}`));
    case "listMembers":
      return getDocs(collection(db, `${org}/members`));
    case "writeMember":
      if (r.variant === "raiseSelf")
        return setDoc(doc(db, `${org}/members/${me}`), { uid: me, role: "owner" });
      if (r.variant === "addSelf")
        return setDoc(doc(db, `${org}/members/${me}`), { uid: me, role: "viewer" });
      return updateDoc(doc(db, `${org}/members/${r.org === "globex" ? "rival" : "owner"}`), {
        role: "viewer",
      });
    case "memberships":
      return getDocs(query(collectionGroup(db, "members"), where("uid", "==", r.target)));
    case "listInvites":
      return getDocs(collection(db, `${org}/invites`));
    case "writeInvite":
      return setDoc(doc(db, `${org}/invites/forged`), {
        email: "x@example.com",
        role: "admin",
        status: "pending",
      });
    case "getProject":
      return getDoc(doc(db, `${org}/projects/${r.projectId}`));
    case "listProjects":
      return getDocs(collection(db, `${org}/projects`));
    case "createProject": {
      const overrides = {
        valid: {},
        forgedCreatedBy: { createdBy: me === "owner" ? "admin" : "owner" },
        otherOrgField: { orgId: "globex" },
        longName: { name: "n".repeat(101) },
      }[r.variant];
      return setDoc(doc(db, `${org}/projects/${r.projectId}`), newProject(me, overrides));
    }
    case "updateProject": {
      const fields = {
        valid: { name: "Edited" },
        changeCreatedBy: { createdBy: "forger" },
        badStatus: { status: "x" },
      }[r.variant];
      return updateDoc(doc(db, `${org}/projects/${r.projectId}`), projectChange(fields));
    }
    case "deleteProject":
      return deleteDoc(doc(db, `${org}/projects/${r.projectId}`));
    case "readUsage":
      return getDoc(doc(db, `${org}/usage/2026-01`));
    case "listUsageShards":
      return getDocs(collection(db, `${org}/usage/2026-01/shards`));
    case "readFiles":
      return getDocs(collection(db, `${org}/files`));
    case "readAudit":
      return getDocs(collection(db, `${org}/auditLog`));
    case "readPrivate":
      return getDoc(doc(db, `${org}/private/billing`));
    case "writeUsage":
      return setDoc(doc(db, `${org}/usage/2026-01`), { aiCalls: 0 });
    case "writeAudit":
      return setDoc(doc(db, `${org}/auditLog/forged`), { actor: me, action: "x" });
    case "writeFile":
      return setDoc(doc(db, `${org}/files/forged`), { uploadedBy: me, size: 1 });
    case "writePrivate":
      return setDoc(doc(db, `${org}/private/billing`), { stripeCustomerId: "cus_forged" });
    case "getUser":
      return getDoc(doc(db, `users/${r.target}`));
    case "updateUser":
      return updateDoc(
        doc(db, `users/${me}`),
        r.variant === "profile" ? { displayName: `${me} again` } : { email: "spoof@example.com" },
      );
    case "bookkeeping":
      return r.write ? setDoc(doc(db, r.path), { forged: true }) : getDoc(doc(db, r.path));
  }
}

it(`${REQUESTS} random requests agree with the role matrix (seed ${SEED})`, async () => {
  const random = prng(SEED);
  const state = initialState();
  const mismatches: string[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const actor = pick(random, ACTORS);
    const request = randomRequest(random, state, i);
    const allowed = expectedVerdict(request, actor, state);
    try {
      await (allowed ? assertSucceeds : assertFails)(send(dbFor(env.testEnv, actor), actor, request));
      if (allowed) applyToModel(request, actor, state);
    } catch (err) {
      const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
      mismatches.push(
        `#${i} ${actor} (uid ${uidOf(actor)}) ${JSON.stringify(request)}: expected ${allowed ? "allowed" : "refused"}; ${detail}`,
      );
    }
  }
  expect(mismatches, `seed ${SEED} (replay with RULES_FUZZ_SEED=${SEED})\n${mismatches.join("\n")}`).toEqual(
    [],
  );
});
