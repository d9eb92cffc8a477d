import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import {
  AiCacheDoc,
  AuditEntryDoc,
  FileDoc,
  InviteDoc,
  JobRunDoc,
  MailDoc,
  MemberDoc,
  OrgDoc,
  OrgUpdate,
  PrivateBillingDoc,
  ProjectDoc,
  ProjectInput,
  ProjectUpdate,
  RateLimitDoc,
  StorageUsageDoc,
  StripeEventDoc,
  UsageDoc,
  UserDoc,
  UserProfileUpdate,
} from "./documents/index.js";

/**
 * Every document shape (and the client-write shapes the rules accept) by the file name its JSON Schema
 * gets: `dist/json-schema/<Name>.json`. Add new documents here.
 */
export const DOCUMENT_JSON_SCHEMAS: Record<string, z.ZodType> = {
  User: UserDoc,
  UserProfileUpdate,
  Org: OrgDoc,
  OrgUpdate,
  Member: MemberDoc,
  Invite: InviteDoc,
  Project: ProjectDoc,
  ProjectInput,
  ProjectUpdate,
  Usage: UsageDoc,
  StorageUsage: StorageUsageDoc,
  AuditEntry: AuditEntryDoc,
  File: FileDoc,
  PrivateBilling: PrivateBillingDoc,
  StripeEvent: StripeEventDoc,
  AiCache: AiCacheDoc,
  RateLimit: RateLimitDoc,
  JobRun: JobRunDoc,
  Mail: MailDoc,
};

/** The zod schemas among a module's exports, by export name (callable inputs and outputs in api/). */
export function zodExports(moduleExports: Record<string, unknown>): Record<string, z.ZodType> {
  const found: Record<string, z.ZodType> = {};
  for (const [name, value] of Object.entries(moduleExports)) {
    if (value instanceof z.ZodType) found[name] = value;
  }
  return found;
}

/**
 * JSON Schema (draft 2020-12) of one zod schema, of what it accepts (`input`) or what it produces (`output`,
 * after trims and transforms). Parts JSON Schema cannot say (refinements, transforms) are left open rather
 * than failing the build; the zod schema stays the stricter check.
 */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output" = "output"): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
}

/** Callable inputs (`…Input` in api/) are described as a client sends them; the rest as stored or answered. */
const apiIo = (name: string) => (name.endsWith("Input") ? "input" : "output");

async function writeAll(
  dir: string,
  schemas: Record<string, z.ZodType>,
  io: (name: string) => "input" | "output",
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    const file = join(dir, `${name}.json`);
    await writeFile(file, `${JSON.stringify(toJsonSchema(schema, io(name)), null, 2)}\n`);
    written.push(file);
  }
  return written;
}

/** Loads every compiled module in `apiDir` (a missing folder means no API schemas yet). */
export async function loadApiModules(apiDir: string): Promise<Record<string, Record<string, unknown>>> {
  let names: string[];
  try {
    names = await readdir(apiDir);
  } catch {
    return {};
  }
  const modules: Record<string, Record<string, unknown>> = {};
  for (const name of names.filter((n) => /^[^.]+\.js$/.test(n) && n !== "index.js").sort()) {
    modules[name.replace(/\.js$/, "")] = await import(pathToFileURL(join(apiDir, name)).href);
  }
  return modules;
}

/**
 * Writes `<outDir>/<Document>.json` for each document and `<outDir>/api/<Export>.json` for each zod
 * schema the api modules export. Returns the files written.
 */
export async function writeJsonSchemas(
  outDir: string,
  apiModules: Record<string, Record<string, unknown>>,
): Promise<string[]> {
  const api: Record<string, z.ZodType> = {};
  for (const exports of Object.values(apiModules)) Object.assign(api, zodExports(exports));
  return [
    ...(await writeAll(outDir, DOCUMENT_JSON_SCHEMAS, () => "output")),
    ...(await writeAll(join(outDir, "api"), api, apiIo)),
  ];
}
