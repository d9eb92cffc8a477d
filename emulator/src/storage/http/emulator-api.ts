/**
 * The endpoints tools use: `PUT /internal/setRules` and `POST /internal/reset` (firebase-tools and
 * @firebase/rules-unit-testing), and storage trigger registration for the Functions emulator.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { invalid, StorageError } from "../errors.js";
import type { RulesOutcome } from "../security.js";
import type { StorageService } from "../service.js";
import { decodeTrigger, type StorageTriggers } from "../triggers.js";
import { readJson, sendEmpty, sendJson } from "./io.js";

export interface EmulatorApiDeps {
  service: StorageService;
  triggers: StorageTriggers;
  setRules(source: string, fileName: string): Promise<RulesOutcome>;
}

/** `{ rules: { files: [{ name, content }] } }`, one file. */
function decodeRulesBody(json: unknown): { name: string; content: string } {
  const files = (json as { rules?: { files?: unknown } } | undefined)?.rules?.files;
  if (!Array.isArray(files) || files.length !== 1) {
    throw invalid("Request body must include a 'rules.files' array with one file.");
  }
  const file = files[0] as { name?: unknown; content?: unknown };
  if (typeof file?.content !== "string") throw invalid("The rules file must have a string 'content'.");
  return { name: typeof file.name === "string" ? file.name : "storage.rules", content: file.content };
}

/** Serves an emulator endpoint; false when `path` is not one. */
export async function emulatorApi(
  deps: EmulatorApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const method = req.method ?? "GET";
  if (path === "/internal/setRules" && method === "PUT") {
    const file = decodeRulesBody(await readJson(req));
    const outcome = await deps.setRules(file.content, file.name);
    if (!outcome.result.ok) {
      sendJson(res, 400, { message: `Storage rules failed to compile:\n${outcome.errors}` });
      return true;
    }
    sendJson(res, 200, { message: "Rules updated successfully" });
    return true;
  }
  if (path === "/internal/reset" && method === "POST") {
    await deps.service.reset();
    sendEmpty(res, 200);
    return true;
  }
  const triggers = /^\/emulator\/v1\/projects\/([^/]+)\/storageTriggers$/.exec(path);
  if (triggers) {
    const project = decodeURIComponent(triggers[1]!);
    if (method === "POST") {
      deps.triggers.register(project, decodeTrigger(await readJson(req)));
      sendJson(res, 200, {});
      return true;
    }
    if (method === "DELETE") {
      deps.triggers.clear(project);
      sendJson(res, 200, {});
      return true;
    }
    throw new StorageError("not-found", `${method} is not served on storage triggers.`);
  }
  return false;
}
