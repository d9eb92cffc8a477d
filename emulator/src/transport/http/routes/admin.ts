/** Emulator control endpoints used by firebase-tools and @firebase/rules-unit-testing. */
import { isWireObject, type WireObject } from "../../../wire/object.js";
import type { AdminApi } from "../api.js";
import { HttpError } from "../errors.js";
import type { Route, RouteResponse } from "../router.js";

function parseJson(body: string): WireObject {
  if (body.trim() === "") return {};
  try {
    const value = JSON.parse(body) as unknown;
    if (isWireObject(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new HttpError(400, "The request body must be a JSON object.");
}

function rulesSource(body: WireObject): { source: string; fileName?: string } {
  const files = isWireObject(body.rules) ? body.rules.files : undefined;
  const file = Array.isArray(files) ? (files[0] as unknown) : undefined;
  if (!isWireObject(file) || typeof file.content !== "string")
    throw new HttpError(400, "Expected {rules:{files:[{content}]}}.");
  return { source: file.content, fileName: typeof file.name === "string" ? file.name : undefined };
}

function registered(ok: boolean, eventType: string): RouteResponse {
  if (!ok) throw new HttpError(400, `Unsupported Firestore trigger event type "${eventType}".`);
  return { status: 200, json: {} };
}

export function adminRoutes(api: AdminApi): Route[] {
  return [
    { method: "GET", pattern: /^\/$/, handle: () => ({ status: 200, text: "Ok" }) },
    {
      method: "GET",
      pattern: /^\/emulator\/v1\/projects\/([^/:]+):ruleCoverage(\.html)?$/,
      handle: async (m) => {
        const project = decodeURIComponent(m[1]!);
        const report = await api.ruleCoverage(project, m[2] ? "html" : "json");
        if (report === null) throw new HttpError(404, `No Security Rules are loaded for project ${project}.`);
        return typeof report === "string" ? { status: 200, html: report } : { status: 200, json: report };
      },
    },
    {
      method: "DELETE",
      pattern: /^\/emulator\/v1\/projects\/([^/]+)\/databases\/([^/]+)\/documents\/?$/,
      handle: (m) => {
        api.clear(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
        return { status: 200, json: {} };
      },
    },
    {
      method: "PUT",
      pattern: /^\/emulator\/v1\/projects\/([^/:]+):securityRules$/,
      handle: async (m, body) => {
        const parsed = parseJson(body);
        const { source, fileName } = rulesSource(parsed);
        const result = await api.loadRules(decodeURIComponent(m[1]!), source, fileName);
        const issues = result.issues.map((i) => ({
          sourcePosition: { line: i.line, column: i.column, fileName: fileName ?? "firestore.rules" },
          severity: i.severity === "error" ? 3 : 2,
          description: i.message,
        }));
        if (result.ok || parsed.ignore_errors === true) return { status: 200, json: { issues } };
        const text = result.issues
          .map((i) => `${fileName ?? "firestore.rules"}:${i.line}:${i.column}: ${i.severity}: ${i.message}`)
          .join("\n");
        return {
          status: 400,
          json: {
            error: { code: 400, message: `Rules failed to compile:\n${text}`, status: "INVALID_ARGUMENT" },
            issues,
          },
        };
      },
    },
    {
      method: "POST",
      pattern: /^\/emulator\/v1\/projects\/([^/:]+):export$/,
      handle: async (_m, body) => {
        const parsed = parseJson(body);
        const dir = parsed.export_directory;
        if (typeof dir !== "string" || dir === "") throw new HttpError(400, "export_directory is required.");
        await api.exportData(dir);
        return { status: 200, json: {} };
      },
    },
    {
      method: "PUT",
      pattern: /^\/emulator\/v1\/projects\/([^/]+)\/triggers\/([^/]+)$/,
      handle: (m, body) => {
        const trigger = parseJson(body).eventTrigger;
        if (
          !isWireObject(trigger) ||
          typeof trigger.eventType !== "string" ||
          typeof trigger.resource !== "string"
        ) {
          throw new HttpError(400, "Expected {eventTrigger:{eventType, resource}}.");
        }
        const ok = api.registerTrigger(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), {
          kind: "v1",
          eventType: trigger.eventType,
          resource: trigger.resource,
        });
        return registered(ok, trigger.eventType);
      },
    },
    {
      method: "POST",
      pattern: /^\/emulator\/v1\/projects\/([^/]+)\/eventarcTrigger$/,
      handle: (m, body, query) => {
        const key = query.get("eventarcTriggerId");
        const parsed = parseJson(body);
        const document = parsed.document;
        if (
          !key ||
          typeof parsed.eventType !== "string" ||
          !isWireObject(document) ||
          typeof document.value !== "string"
        ) {
          throw new HttpError(400, "Expected eventarcTriggerId and {eventType, document:{value}}.");
        }
        const ok = api.registerTrigger(decodeURIComponent(m[1]!), key, {
          kind: "v2",
          eventType: parsed.eventType,
          database: typeof parsed.database === "string" ? parsed.database : "(default)",
          document: document.value,
          matchType: typeof document.matchType === "string" ? document.matchType : "EXACT",
        });
        return registered(ok, parsed.eventType);
      },
    },
  ];
}
