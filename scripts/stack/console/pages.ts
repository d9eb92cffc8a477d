/** The console's pages: each reads what it shows from the services and renders it escaped. */
import { type Html, html, link, linksIn } from "./html.js";
import {
  type AuthUser,
  auth,
  type ConsoleTargets,
  firestore,
  type RestDocument,
  storage,
  stripe,
} from "./sources.js";
import { fieldsToJson } from "./values.js";

const segments = (path: string) => path.split("/").filter(Boolean);
export const isDocumentPath = (path: string) => segments(path).length > 0 && segments(path).length % 2 === 0;

function relative(docs: ReturnType<typeof firestore>, name: string): string {
  return name.startsWith(docs.documentsRoot) ? name.slice(docs.documentsRoot.length) : name;
}

const docLink = (path: string, base = "/firestore") =>
  html`<a href="${`${base}?${new URLSearchParams({ path })}`}">${path}</a>`;

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function documentJson(docs: ReturnType<typeof firestore>, doc: RestDocument) {
  return fieldsToJson(doc.fields ?? {}, docs.documentsRoot);
}

/** `a/b/c` as links to each level. */
function breadcrumbs(path: string, base: string): Html {
  const parts = segments(path);
  return html`<p><a href="${base}">(root)</a>${parts.map(
    (part, i) =>
      html` / <a href="${`${base}?${new URLSearchParams({ path: parts.slice(0, i + 1).join("/") })}`}">${part}</a>`,
  )}</p>`;
}

export async function overview(t: ConsoleTargets, origins: Record<string, string>): Promise<Html> {
  const docs = firestore(t);
  return html`<p>Project <code>${t.projectId}</code>. Everything here reads and writes the running local stack
  as an administrator (rules do not apply), except <a href="/view-as">View as</a>.</p>
  <table><tr><th>service</th><th>address</th></tr>${Object.entries(origins).map(
    ([name, origin]) => html`<tr><td>${name}</td><td><code>${origin}</code></td></tr>`,
  )}</table>
  <h2>Security Rules</h2>
  <p>${link(docs.coverageUrl, "Firestore rule coverage")}: every rule and expression with how often it was
  evaluated and what it returned since the emulator started (<a href="${docs.coverageUrl.replace(".html", "")}">as JSON</a>).</p>`;
}

export async function firestorePage(t: ConsoleTargets, path: string, editText?: string): Promise<Html> {
  const docs = firestore(t);
  const crumbs = breadcrumbs(path, "/firestore");
  if (path === "") {
    const ids = await docs.collections();
    return html`${crumbs}<h2>Collections</h2><ul>${ids.map((id) => html`<li>${docLink(id)}</li>`)}</ul>
    ${ids.length === 0 ? html`<p class="muted">No documents yet.</p>` : ""}${newDocumentForm("")}`;
  }
  if (!isDocumentPath(path)) {
    const listed = await docs.list(path);
    const rows = listed.documents ?? [];
    return html`${crumbs}<h2>Collection <code>${path}</code></h2>
    <table><tr><th>document</th><th>fields</th><th>updated</th></tr>${rows.map((doc) => {
      const rel = relative(docs, doc.name);
      const summary = doc.createTime
        ? JSON.stringify(documentJson(docs, doc))
        : "(no fields: a parent of subcollections only)";
      return html`<tr><td>${docLink(rel)}</td><td><code>${summary.length > 160 ? `${summary.slice(0, 160)}…` : summary}</code></td><td>${doc.updateTime ?? ""}</td></tr>`;
    })}</table>
    ${rows.length === 0 ? html`<p class="muted">No documents.</p>` : ""}
    ${listed.nextPageToken ? html`<p class="muted">Showing the first 100 documents.</p>` : ""}
    ${newDocumentForm(path)}`;
  }
  let doc: RestDocument | undefined;
  try {
    doc = await docs.get(path);
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err;
  }
  const subcollections = await docs.collections(path);
  const text = editText ?? (doc ? pretty(documentJson(docs, doc)) : "{}");
  const parent = segments(path).slice(0, -1).join("/");
  return html`${crumbs}<h2>Document <code>${path}</code></h2>
  ${doc ? html`<p class="muted">created ${doc.createTime}, updated ${doc.updateTime}</p>` : html`<p class="muted">This document does not exist; saving creates it.</p>`}
  ${subcollections.length ? html`<p>Subcollections: ${subcollections.map((id) => html`${docLink(`${path}/${id}`)} `)}</p>` : ""}
  <form method="post" action="/firestore/save"><input type="hidden" name="path" value="${path}">
  <label for="doc-json">Fields as JSON (types JSON lacks are tagged: <code>{"$timestamp": "…"}</code>,
  <code>{"$ref": "orgs/a"}</code>, <code>{"$geo": [lat, lng]}</code>, <code>{"$bytes": "…"}</code>,
  <code>{"$double": 2}</code>, <code>{"$int": "…"}</code>)</label>
  <textarea id="doc-json" name="json" rows="${Math.min(40, text.split("\n").length + 2)}">${text}</textarea>
  <p><button>Save document</button> <span class="muted">(replaces every field; the functions' triggers run as for any write)</span></p></form>
  ${doc ? html`<form method="post" action="/firestore/delete" data-confirm="Delete ${path}?"><input type="hidden" name="path" value="${path}"><input type="hidden" name="then" value="${parent}"><button>Delete document</button></form>` : ""}`;
}

function newDocumentForm(collection: string): Html {
  return html`<form method="get" action="/firestore"><h3>Open or create a document</h3>
  <input name="path" size="60" value="${collection ? `${collection}/` : ""}" placeholder="collection/documentId">
  <button>Open</button></form>`;
}

export async function authPage(t: ConsoleTargets): Promise<Html> {
  const api = auth(t);
  const [users, codes] = await Promise.all([api.users(), api.oobCodes()]);
  const row = (
    u: AuthUser,
  ) => html`<tr><td><code>${u.localId}</code></td><td>${u.email ?? ""}</td><td>${u.displayName ?? ""}</td>
    <td>${u.emailVerified ? "yes" : html`no <form class="inline" method="post" action="/auth/verify"><input type="hidden" name="localId" value="${u.localId}"><button>Mark verified</button></form>`}</td>
    <td>${(u.providerUserInfo ?? []).map((p) => p.providerId).join(", ") || "anonymous"}</td>
    <td>${docLink(`users/${u.localId}`)}</td>
    <td><form method="post" action="/auth/delete" data-confirm="Delete user ${u.email ?? u.localId}?"><input type="hidden" name="localId" value="${u.localId}"><button>Delete</button></form></td></tr>`;
  return html`<table><tr><th>uid</th><th>email</th><th>name</th><th>email verified</th><th>providers</th><th>profile</th><th></th></tr>${users.map(row)}</table>
  ${users.length === 0 ? html`<p class="muted">No users.</p>` : ""}
  <h2>Create a user</h2><form method="post" action="/auth/create">
  <input name="email" type="email" required placeholder="email"> <input name="password" required minlength="6" placeholder="password">
  <input name="displayName" placeholder="display name"> <label><input type="checkbox" name="emailVerified" value="true"> email verified</label>
  <button>Create</button></form>
  ${emailActions(codes)}`;
}

function emailActions(codes: Awaited<ReturnType<ReturnType<typeof auth>["oobCodes"]>>): Html {
  return html`<h2>Email action links</h2><p class="muted">What the Auth emulator would have emailed (verify email, reset
  password, sign-in link). Opening a link performs the action.</p>
  <table><tr><th>to</th><th>action</th><th>link</th></tr>${[...codes]
    .reverse()
    .map(
      (c) => html`<tr><td>${c.email}</td><td>${c.requestType}</td><td>${link(c.oobLink)}</td></tr>`,
    )}</table>${codes.length === 0 ? html`<p class="muted">None yet.</p>` : ""}`;
}

const byNewest = (a: RestDocument, b: RestDocument) => (b.createTime ?? "").localeCompare(a.createTime ?? "");

export async function mailPage(t: ConsoleTargets): Promise<Html> {
  const docs = firestore(t);
  const [listed, codes] = await Promise.all([docs.listAll("mail"), auth(t).oobCodes()]);
  const mails = listed
    .filter((d) => d.createTime)
    .sort(byNewest)
    .slice(0, 200);
  return html`<p>The <code>mail</code> collection: what Hearth asked the Trigger Email extension to send. Nothing is
  sent locally; open the links from here (or from the terminal, where each new mail is printed).</p>
  ${mails.map((doc) => {
    const mail = documentJson(docs, doc) as {
      to?: unknown;
      message?: { subject?: string; text?: string; html?: string };
      delivery?: { state?: string };
    };
    const body = mail.message?.text ?? "";
    const links = linksIn(`${body} ${mail.message?.html ?? ""}`);
    return html`<article><h3>${mail.message?.subject ?? "(no subject)"}</h3>
    <p>to <b>${Array.isArray(mail.to) ? mail.to.join(", ") : String(mail.to ?? "")}</b> · queued ${doc.createTime}
    ${mail.delivery?.state ? html` · ${mail.delivery.state}` : ""} · ${docLink(relative(docs, doc.name))}</p>
    ${links.length ? html`<ul>${links.map((url) => html`<li>${link(url)}</li>`)}</ul>` : ""}
    ${body ? html`<pre>${body}</pre>` : ""}</article>`;
  })}
  ${mails.length === 0 ? html`<p class="muted">No mail yet.</p>` : ""}
  ${emailActions(codes)}`;
}

const STRIPE_ACTIONS: [string, string][] = [
  ["failPayment", "Fail renewal payment"],
  ["recoverPayment", "Pay open invoice"],
  ["confirmPayment", "Complete first payment"],
  ["cancelAtPeriodEnd", "Cancel at period end"],
  ["endPeriod", "End period (renew or end)"],
  ["cancelNow", "Cancel now"],
  ["markUnpaid", "Mark unpaid"],
  ["pause", "Pause"],
  ["resume", "Resume"],
];
export const STRIPE_ACTION_NAMES = STRIPE_ACTIONS.map(([name]) => name);

export async function stripePage(t: ConsoleTargets): Promise<Html> {
  const fake = stripe(t);
  const docs = firestore(t);
  const [subscriptions, events, received] = await Promise.all([
    fake.subscriptions(),
    fake.events(),
    docs.recent("stripeEvents", "receivedAt", 100),
  ]);
  return html`<h2>Subscriptions on the fake Stripe</h2>
  <table><tr><th>subscription</th><th>customer</th><th>status</th><th>org</th><th>plan</th><th>what Stripe does next</th></tr>${subscriptions.map(
    (s) => {
      const item = ((s.items as { data?: { price?: { id?: string }; quantity?: number }[] })?.data ?? [])[0];
      const metadata = (s.metadata ?? {}) as Record<string, string>;
      return html`<tr><td><code>${String(s.id)}</code></td><td><code>${String(s.customer)}</code></td><td><b>${String(s.status)}</b>${s.cancel_at_period_end ? " (cancels at period end)" : ""}</td>
    <td>${metadata.orgId ? docLink(`orgs/${metadata.orgId}`) : ""}</td><td>${item?.price?.id ?? ""} × ${item?.quantity ?? ""}</td>
    <td>${STRIPE_ACTIONS.map(([action, label]) => html`<form class="inline" method="post" action="/stripe/action"><input type="hidden" name="action" value="${action}"><input type="hidden" name="id" value="${String(s.id)}"><button>${label}</button></form> `)}</td></tr>`;
    },
  )}</table>${subscriptions.length === 0 ? html`<p class="muted">No subscriptions yet.</p>` : ""}
  <h2>Events the fake sent (newest first)</h2>
  <table><tr><th>event</th><th>type</th><th>object</th><th>created</th></tr>${[...events]
    .reverse()
    .slice(0, 200)
    .map((e) => {
      const object = ((e.data as { object?: { id?: string } })?.object ?? {}) as { id?: string };
      return html`<tr><td><code>${String(e.id)}</code></td><td>${String(e.type)}</td><td><code>${object.id ?? ""}</code></td><td>${new Date(Number(e.created) * 1000).toISOString()}</td></tr>`;
    })}</table>
  <h2>Events Hearth received (<code>stripeEvents</code>)</h2>
  <table><tr><th>event</th><th>type</th><th>status</th><th>attempts</th><th>outcome / error</th></tr>${received.map(
    (doc) => {
      const e = documentJson(docs, doc) as Record<string, unknown>;
      return html`<tr><td>${docLink(relative(docs, doc.name))}</td><td>${String(e.type ?? "")}</td><td>${String(e.status ?? "")}</td><td>${String(e.attempts ?? "")}</td><td>${e.error ? String(e.error) : JSON.stringify(e.outcome ?? "")}</td></tr>`;
    },
  )}</table>`;
}

export async function jobsPage(t: ConsoleTargets): Promise<Html> {
  const docs = firestore(t);
  const runs = await docs.recent("jobRuns", "startedAt", 200);
  return html`<p>Scheduled job runs, newest first. Run one now with <code>npm run job -- &lt;name&gt;</code>.</p>
  <table><tr><th>job</th><th>status</th><th>started</th><th>finished</th><th>result</th><th>error</th></tr>${runs.map(
    (doc) => {
      const r = documentJson(docs, doc) as Record<string, unknown>;
      const time = (v: unknown) => (v as { $timestamp?: string } | null)?.$timestamp ?? "";
      return html`<tr><td>${docLink(relative(docs, doc.name))} ${String(r.job ?? "")}</td><td>${String(r.status ?? "")}</td><td>${time(r.startedAt)}</td><td>${time(r.finishedAt)}</td><td><code>${JSON.stringify(r.result ?? null)}</code></td><td>${r.error ? String(r.error) : ""}</td></tr>`;
    },
  )}</table>${runs.length === 0 ? html`<p class="muted">No runs yet.</p>` : ""}`;
}

/**
 * Each org's `usage/{yyyy-mm}` months. A month still open has no document of its own yet (its close job
 * writes the summary): its counters are the sum of its `shards`, shown as live.
 */
export async function usagePage(t: ConsoleTargets): Promise<Html> {
  const docs = firestore(t);
  const orgs = ((await docs.list("orgs")).documents ?? []).filter((d) => d.createTime);
  const sections = await Promise.all(
    orgs.map(async (org) => {
      const path = relative(docs, org.name);
      const o = documentJson(docs, org) as Record<string, unknown>;
      const periods = await docs.listAll(`${path}/usage`);
      const rows = await Promise.all(
        periods.map(async (p) => {
          const periodPath = relative(docs, p.name);
          if (p.createTime) return [periodPath, "summary", documentJson(docs, p)] as const;
          const shards = await docs.listAll(`${periodPath}/shards`);
          return [
            periodPath,
            `live, ${shards.length} shard(s)`,
            sumCounters(shards.map((s) => documentJson(docs, s))),
          ] as const;
        }),
      );
      return html`<h2>${String(o.name ?? path)} <small>${docLink(path)} · plan ${String(o.plan ?? "")}</small></h2>
      ${
        rows.length
          ? html`<table><tr><th>period</th><th>source</th><th>counters</th></tr>${rows.map(
              ([periodPath, source, counters]) =>
                html`<tr><td>${docLink(periodPath)}</td><td>${source}</td><td><code>${JSON.stringify(counters)}</code></td></tr>`,
            )}</table>`
          : html`<p class="muted">No usage recorded yet.</p>`
      }`;
    }),
  );
  return html`<p>Each org's <code>usage/{yyyy-mm}</code>: a closed month's summary, or the open month's shards added up.</p>${sections}${orgs.length === 0 ? html`<p class="muted">No orgs.</p>` : ""}`;
}

/** Numeric fields added up across documents; other fields are left out. */
function sumCounters(rows: Record<string, unknown>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (typeof value === "number") total[key] = (total[key] ?? 0) + value;
    }
  }
  return total;
}

export async function storagePage(t: ConsoleTargets): Promise<Html> {
  const objects = await storage(t).list();
  return html`<p>Bucket <code>${t.storageBucket}</code>.</p>
  <table><tr><th>object</th><th>size</th><th>type</th><th>updated</th><th></th></tr>${objects.map(
    (
      o,
    ) => html`<tr><td><a href="${`/storage/object?${new URLSearchParams({ name: o.name })}`}">${o.name}</a></td><td>${o.size}</td><td>${o.contentType ?? ""}</td><td>${o.updated ?? ""}</td>
    <td><form method="post" action="/storage/delete" data-confirm="Delete ${o.name}?"><input type="hidden" name="name" value="${o.name}"><button>Delete</button></form></td></tr>`,
  )}</table>${objects.length === 0 ? html`<p class="muted">No objects.</p>` : ""}`;
}

/** Reads as one user, through their ID token: what the rules let that user's app see. */
export async function viewAsPage(t: ConsoleTargets, uid: string, path: string): Promise<Html> {
  const users = await auth(t).users();
  const form = html`<form method="get" action="/view-as"><label>User <select name="uid">${users.map(
    (u) =>
      html`<option value="${u.localId}"${u.localId === uid ? html` selected` : ""}>${u.email ?? u.localId}</option>`,
  )}</select></label> <label>Path <input name="path" size="50" value="${path}" placeholder="orgs/ID/projects"></label> <button>Read</button></form>
  <p class="muted">Reads run through the REST API with the user's emulator ID token, so <code>firestore.rules</code>
  decide what comes back, as for the user's own app.</p>`;
  if (!uid || !path) return form;
  const docs = firestore(t, await auth(t).idToken(uid));
  let result: Html;
  try {
    if (isDocumentPath(path)) {
      const doc = await docs.get(path);
      result = html`<p>Allowed.</p><pre>${pretty(documentJson(docs, doc))}</pre>`;
    } else {
      const rows = (await docs.list(path)).documents ?? [];
      result = html`<p>Allowed: ${rows.length} document(s).</p>${rows.map(
        (doc) => html`<h3>${relative(docs, doc.name)}</h3><pre>${pretty(documentJson(docs, doc))}</pre>`,
      )}`;
    }
  } catch (err) {
    result = html`<p class="error">Denied or failed: ${(err as Error).message}</p>`;
  }
  return html`${form}<h2>${path}</h2>${result}`;
}
