/**
 * A frontend in a folder of its own installs the packed @hearth/client (npm pack, then npm install of the
 * tarball, offline) and type-checks against it: a snippet that uses the contract compiles, and a misspelt
 * callable, a wrong input field, an output field that does not exist, an unknown error reason, a reason
 * the callable never answers and a detail of another reason each fail with TypeScript's message. The
 * package must not need the private @hearth/schema.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const ZOD = join(ROOT, "node_modules/zod");

let scratch: string;
/** tsc's diagnostics by snippet file. */
let diagnostics: Map<string, string[]>;

const HEADER = `import { initializeApp } from "firebase/app";
import { getFunctions } from "firebase/functions";
import { call, isCallError, isHearthError } from "@hearth/client";
const functions = getFunctions(initializeApp({ projectId: "demo-frontend" }));
`;

const SNIPPETS: Record<string, string> = {
  "ok.ts": `import { initializeApp } from "firebase/app";
import { getDoc, getDocs, getFirestore } from "firebase/firestore";
import { getFunctions } from "firebase/functions";
import {
  type AiGenerateOutput,
  CALLABLES,
  type CallOutput,
  call,
  can,
  isCallError,
  isHearthError,
  paths,
  ProjectInput,
  refs,
  type Role,
} from "@hearth/client";

const app = initializeApp({ projectId: "demo-frontend" });
const functions = getFunctions(app);
const db = getFirestore(app);

export async function startOrg(email: string): Promise<string> {
  const { orgId } = await call(functions, "createOrg", { name: "Acme", requestId: "req-12345678" });
  try {
    const { inviteId } = await call(functions, "inviteMember", { orgId, email, role: "member" });
    return inviteId;
  } catch (err) {
    if (isHearthError(err, "seat-limit")) {
      const code: "functions/resource-exhausted" = err.code;
      return \`\${code}: all \${err.details.seats} seats are taken\`;
    }
    if (isHearthError(err, "mail-limit")) return \`retry in \${err.details.retryAfterSeconds} s (\${err.details.scope})\`;
    if (isHearthError(err, "validation")) return Object.keys(err.details.fields).join(", ");
    if (isHearthError(err)) return err.code;
    throw err;
  }
}

export function inviteProblem(err: unknown): string {
  if (!isCallError(err, "inviteMember")) throw err;
  const details = err.details;
  if (!details) return err.code;
  switch (details.reason) {
    case "seat-limit":
      return \`all \${details.seats} seats are taken\`;
    case "mail-limit":
      return \`retry in \${details.retryAfterSeconds} s\`;
    default:
      return details.reason;
  }
}

export async function banner(orgId: string): Promise<string | null> {
  const r: AiGenerateOutput["remaining"] = (await call(functions, "aiGenerate", { orgId, prompt: "Hi" })).remaining;
  const out: CallOutput<"exportMyData"> = await call(functions, "exportMyData", {});
  return r.softCapReached ? \`\${r.calls} calls left for \${out.uid}\` : null;
}

export async function orgPage(orgId: string, uid: string, form: unknown) {
  const org = (await getDoc(refs.org(db, orgId))).data();
  const me = (await getDoc(refs.member(db, orgId, uid))).data();
  const role: Role | undefined = me?.role;
  const projects = (await getDocs(refs.projects(db, orgId))).docs.map((d) => d.data().name);
  return {
    name: org?.name,
    seats: org?.entitlements.seats,
    canInvite: can(role, "manageMembers"),
    projects,
    valid: ProjectInput.safeParse(form).success,
    path: paths.project(orgId, "p1"),
    callables: Object.keys(CALLABLES).length,
  };
}
`,
  "misspelt-callable.ts": `${HEADER}await call(functions, "createOgr", { name: "Acme" });\n`,
  "wrong-field.ts": `${HEADER}await call(functions, "createOrg", { name: "Acme", plan: "team" });\n`,
  "wrong-value.ts": `${HEADER}await call(functions, "inviteMember", { orgId: "o1", email: "a@b.co", role: "owner" });\n`,
  "wrong-output.ts": `${HEADER}const { url } = await call(functions, "createOrg", { name: "Acme" });\nexport { url };\n`,
  "wrong-reason.ts": `${HEADER}export const f = (err: unknown) => isHearthError(err, "plan-limit");\n`,
  "wrong-call-reason.ts": `${HEADER}export const f = (err: unknown) =>
  isCallError(err, "inviteMember") && err.details?.reason === "plan-unavailable";\n`,
  "wrong-details.ts": `${HEADER}export const f = (err: unknown) => isHearthError(err, "seat-limit") && err.details.retryAfterSeconds;\n`,
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "hearth-frontend-"));
  await run("npm", ["run", "build", "--workspace", "client"], { cwd: ROOT });
  const packs = join(scratch, "packs");
  await mkdir(packs);
  await run("npm", ["pack", "--pack-destination", packs], { cwd: join(ROOT, "client") });
  const [tarball] = await readdir(packs);
  // firebase (an optional peer) comes from a folder above the app, as a monorepo hoists it: this repo's
  // tested copy through a symlink that npm, working inside the app, never touches.
  await mkdir(join(scratch, "node_modules"));
  await symlink(join(ROOT, "node_modules/firebase"), join(scratch, "node_modules/firebase"), "dir");
  const app = join(scratch, "app");
  await mkdir(app);
  // zod, the package's one dependency, is this repo's copy as a file: link, so no registry is needed.
  const manifest = { name: "frontend", private: true, type: "module", dependencies: { zod: `file:${ZOD}` } };
  await writeFile(join(app, "package.json"), JSON.stringify(manifest));
  const install = [
    "install",
    "--offline",
    "--no-audit",
    "--no-fund",
    "--ignore-scripts",
    join(packs, tarball!),
  ];
  await run("npm", install, { cwd: app });
  await writeFile(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      include: Object.keys(SNIPPETS),
    }),
  );
  for (const [file, text] of Object.entries(SNIPPETS)) await writeFile(join(app, file), text);
  const result = await run(process.execPath, [TSC, "-p", "tsconfig.json", "--pretty", "false"], {
    cwd: app,
  }).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
  diagnostics = new Map();
  for (const line of result.stdout.split("\n").filter(Boolean)) {
    const file = /^(\S.*?)\(\d+,\d+\): error /.exec(line)?.[1];
    if (file === undefined) continue; // an elaboration of the diagnostic above
    // firebase's own declarations (outside the app, through the symlink) name `Temporal`, which TypeScript
    // 5.9's libs lack; frontends skip them with skipLibCheck. The package's declarations are checked.
    if (!file.startsWith("../")) diagnostics.set(file, [...(diagnostics.get(file) ?? []), line]);
  }
}, 600_000);

afterAll(async () => {
  await unlink(join(scratch, "node_modules/firebase")).catch(() => {});
  await rm(scratch, { recursive: true, force: true });
});

describe("the packed @hearth/client in a separate frontend", () => {
  it("ships built code, declarations and the contract, and depends on nothing private", async () => {
    const pkg = JSON.parse(
      await readFile(join(scratch, "app/node_modules/@hearth/client/package.json"), "utf8"),
    );
    expect(Object.keys(pkg.dependencies)).toEqual(["zod"]);
    const files = await readdir(join(scratch, "app/node_modules/@hearth/client"), { recursive: true });
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/client/src/index.d.ts",
        "dist/client/src/index.js",
        "contract/index.json",
      ]),
    );
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("compiles a frontend that calls, narrows errors, reads documents and gates UI by role", () => {
    expect(diagnostics.get("ok.ts") ?? []).toEqual([]);
    // Only the snippets below failed, so nothing in the package's own declarations did.
    expect([...diagnostics.keys()].sort()).toEqual(
      Object.keys(SNIPPETS)
        .filter((f) => f !== "ok.ts")
        .sort(),
    );
  });

  it("loads in Node: the JavaScript resolves its schema files, zod and firebase", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'const c = await import("@hearth/client"); console.log(JSON.stringify([Object.keys(c.CALLABLES).length, c.can("admin", "manageMembers"), c.can("member", "deleteOrg")]));',
      ],
      { cwd: join(scratch, "app") },
    );
    expect(JSON.parse(stdout)).toEqual([14, true, false]);
  });

  it.each([
    [
      "misspelt-callable.ts",
      /TS2345: Argument of type '"createOgr"' is not assignable to parameter of type '.*"createOrg"/,
    ],
    ["wrong-field.ts", /TS2353: Object literal may only specify known properties, and 'plan' does not exist/],
    ["wrong-value.ts", /TS2322: Type '"owner"' is not assignable to type '"admin" \| "member" \| "viewer"'/],
    ["wrong-output.ts", /TS2339: Property 'url' does not exist on type '\{ orgId: string; \}'/],
    [
      "wrong-reason.ts",
      /TS2345: Argument of type '"plan-limit"' is not assignable to parameter of type '.*"validation"/,
    ],
    ["wrong-details.ts", /TS2339: Property 'retryAfterSeconds' does not exist on type/],
    [
      "wrong-call-reason.ts",
      /TS2367: This comparison appears to be unintentional because the types '.*"seat-limit".*' and '"plan-unavailable"' have no overlap/,
    ],
  ])("%s fails to compile", (file, message) => {
    const errors = diagnostics.get(file) ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});
