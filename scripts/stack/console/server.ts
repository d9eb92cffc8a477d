/**
 * The local console (`npm start` prints its address): server-rendered pages over the running stack,
 * forms for the few changes a developer makes by hand. Changes are POSTs from the console's own pages
 * only (another site open in the same browser cannot post to it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Html, html } from "./html.js";
import { page, SCRIPT_HASH } from "./layout.js";
import {
  authPage,
  firestorePage,
  isDocumentPath,
  jobsPage,
  mailPage,
  overview,
  STRIPE_ACTION_NAMES,
  storagePage,
  stripePage,
  usagePage,
  viewAsPage,
} from "./pages.js";
import { auth, type ConsoleTargets, firestore, storage, stripe } from "./sources.js";
import { parseDocumentJson, ValueError } from "./values.js";

export interface ConsoleOptions extends ConsoleTargets {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Service name → address, listed on the overview page. */
  services: Record<string, string>;
}

export interface RunningConsole {
  url: string;
  stop(): Promise<void>;
}

type Flash = { error?: string; notice?: string };
type View = { title: string; path: string; body: () => Promise<Html> };

/** A bad form value: answered 400 with the page and the message, nothing changed. */
class BadInput extends Error {}

export async function startConsole(opts: ConsoleOptions): Promise<RunningConsole> {
  let origin = "";
  const views: Record<string, (q: URLSearchParams) => View> = {
    "/": () => ({ title: "Overview", path: "/", body: () => overview(opts, opts.services) }),
    "/firestore": (q) => ({
      title: "Firestore",
      path: "/firestore",
      body: () => firestorePage(opts, cleanPath(q.get("path") ?? "")),
    }),
    "/auth": () => ({ title: "Auth users", path: "/auth", body: () => authPage(opts) }),
    "/mail": () => ({ title: "Mail outbox", path: "/mail", body: () => mailPage(opts) }),
    "/stripe": () => ({ title: "Stripe", path: "/stripe", body: () => stripePage(opts) }),
    "/jobs": () => ({ title: "Job runs", path: "/jobs", body: () => jobsPage(opts) }),
    "/usage": () => ({ title: "Usage per org", path: "/usage", body: () => usagePage(opts) }),
    "/storage": () => ({ title: "Storage", path: "/storage", body: () => storagePage(opts) }),
    "/view-as": (q) => ({
      title: "View as a user",
      path: "/view-as",
      body: () => viewAsPage(opts, q.get("uid") ?? "", cleanPath(q.get("path") ?? "")),
    }),
  };

  const show = async (res: ServerResponse, view: View, flash: Flash = {}, status = 200) => {
    let body: Html;
    try {
      body = await view.body();
    } catch (err) {
      status = 502;
      flash = { error: `${view.title} could not be read: ${(err as Error).message}` };
      body = html``;
    }
    send(res, status, page(view.title, view.path, body, flash).text);
  };

  /** Each action changes something and names the page to go back to, with a notice. */
  const actions: Record<string, (form: URLSearchParams) => Promise<[string, string]>> = {
    "/firestore/save": async (form) => {
      const path = cleanPath(form.get("path") ?? "");
      if (!isDocumentPath(path)) throw new BadInput(`"${path}" is not a document path (collection/id)`);
      const fields = parseDocumentJson(form.get("json") ?? "", firestore(opts).documentsRoot);
      await firestore(opts).set(path, fields);
      return [`/firestore?${new URLSearchParams({ path })}`, `Saved ${path}.`];
    },
    "/firestore/delete": async (form) => {
      const path = cleanPath(form.get("path") ?? "");
      if (!isDocumentPath(path)) throw new BadInput(`"${path}" is not a document path`);
      await firestore(opts).remove(path);
      return [
        `/firestore?${new URLSearchParams({ path: cleanPath(form.get("then") ?? "") })}`,
        `Deleted ${path}.`,
      ];
    },
    "/auth/create": async (form) => {
      const email = (form.get("email") ?? "").trim();
      const password = form.get("password") ?? "";
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new BadInput("an email address is needed");
      if (password.length < 6) throw new BadInput("the password needs at least 6 characters");
      const displayName = (form.get("displayName") ?? "").trim();
      const user = await auth(opts).create({
        email,
        password,
        emailVerified: form.get("emailVerified") === "true",
        ...(displayName ? { displayName } : {}),
      });
      return ["/auth", `Created ${email} (uid ${user.localId}).`];
    },
    "/auth/verify": async (form) => {
      await auth(opts).setVerified(required(form, "localId"), true);
      return ["/auth", `Marked ${form.get("localId")}'s email verified.`];
    },
    "/auth/delete": async (form) => {
      await auth(opts).remove(required(form, "localId"));
      return ["/auth", `Deleted user ${form.get("localId")}.`];
    },
    "/stripe/action": async (form) => {
      const action = required(form, "action");
      if (!STRIPE_ACTION_NAMES.includes(action)) throw new BadInput(`unknown action ${action}`);
      const out = await stripe(opts).control(action, required(form, "id"));
      const sent = (out.events ?? []).map((e) => (e as { type?: string }).type).join(", ");
      return ["/stripe", `${action}: ${sent || "no events"} sent to stripeWebhook.`];
    },
    "/storage/delete": async (form) => {
      await storage(opts).remove(required(form, "name"));
      return ["/storage", `Deleted ${form.get("name")}.`];
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      const status = err instanceof BadInput ? 400 : 500;
      if (!res.headersSent) send(res, status, `Console error: ${(err as Error).message}`, "text/plain");
      else res.end();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    const q = url.searchParams;
    const flash: Flash = {};
    if (q.get("notice")) flash.notice = q.get("notice") ?? "";
    if (req.method === "GET" && url.pathname === "/storage/object") {
      const upstream = await storage(opts).download(q.get("name") ?? "");
      res.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "application/octet-stream",
        // Uploaded files are shown as downloads, never rendered in the console's origin.
        "content-disposition": "attachment",
        "x-content-type-options": "nosniff",
      });
      res.end(Buffer.from(await upstream.arrayBuffer()));
      return;
    }
    const view = views[url.pathname];
    if (req.method === "GET" && view) return show(res, view(q), flash);
    const action = actions[url.pathname];
    if (req.method === "POST" && action) {
      if (!sameOrigin(req, origin))
        return send(res, 403, "Forbidden: a form from another site", "text/plain");
      const form = new URLSearchParams(await readBody(req));
      try {
        const [to, notice] = await action(form);
        const target = new URL(to, origin);
        target.searchParams.set("notice", notice);
        res.writeHead(303, { location: `${target.pathname}${target.search}` }).end();
      } catch (err) {
        const back = url.pathname.split("/")[1] ?? "";
        const bad = err instanceof BadInput || err instanceof ValueError;
        const status = bad ? 400 : ((err as { status?: number }).status ?? 502);
        const path = form.get("path") ?? "";
        const again: View =
          url.pathname === "/firestore/save"
            ? {
                title: "Firestore",
                path: "/firestore",
                body: () => firestorePage(opts, cleanPath(path), form.get("json") ?? ""),
              }
            : (views[`/${back}`] ?? views["/"]!)(new URLSearchParams(path ? { path } : {}));
        await show(
          res,
          again,
          { error: `Nothing was changed: ${(err as Error).message}` },
          status >= 400 && status < 600 ? status : 502,
        );
      }
      return;
    }
    send(res, 404, "Not found", "text/plain");
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, resolve);
  });
  origin = `http://${opts.host}:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Paths as typed: no leading, trailing or doubled slashes. */
function cleanPath(path: string): string {
  return path.split("/").filter(Boolean).join("/");
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new BadInput(`${name} is missing`);
  return value;
}

/** Browsers send Origin with every form POST; a page on another site has another one. */
function sameOrigin(req: IncomingMessage, origin: string): boolean {
  const from = req.headers.origin;
  const host = req.headers.host ?? "";
  const port = new URL(origin).port;
  const localHost = host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  return localHost && (from === undefined || from === `http://${host}`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // A document is at most 1 MiB; the JSON shown for it is a little larger.
    if (size > 4 * 1024 * 1024) throw new BadInput("the form is too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: string, type = "text/html"): void {
  res.writeHead(status, {
    "content-type": `${type}; charset=utf-8`,
    "cache-control": "no-store",
    // Only the console's own script runs, should anything shown ever slip past escaping.
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; script-src '${SCRIPT_HASH}'; form-action 'self'`,
  });
  res.end(body);
}
