import { createHash } from "node:crypto";
import { Html, html } from "./html.js";

const NAV: [string, string][] = [
  ["/", "Overview"],
  ["/firestore", "Firestore"],
  ["/auth", "Auth users"],
  ["/mail", "Mail outbox"],
  ["/stripe", "Stripe"],
  ["/jobs", "Job runs"],
  ["/usage", "Usage"],
  ["/storage", "Storage"],
  ["/view-as", "View as"],
];

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#2b2118;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header b{color:#ffb061}header a{color:#f3e9dd;text-decoration:none}header a[aria-current]{text-decoration:underline}
main{padding:16px;max-width:1200px}table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0ebe5}
pre{background:#fff;border:1px solid #ddd;padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-word}
textarea{width:100%;font:13px monospace;box-sizing:border-box}.error{background:#fde8e8;border:1px solid #e0a0a0;padding:8px}
.notice{background:#e8f6e8;border:1px solid #9c9;padding:8px}form.inline{display:inline}.muted{color:#777}
code{background:#f0ebe5;padding:0 3px}`;

/** Delete buttons ask first; the only script the console needs. */
const SCRIPT = `document.addEventListener("submit",e=>{const m=e.target.dataset.confirm;if(m&&!confirm(m))e.preventDefault()});`;

export function page(
  title: string,
  current: string,
  body: Html,
  flash?: { error?: string; notice?: string },
): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Hearth console</title>
<style>${STYLE_HTML}</style></head>
<body><header><b>Hearth console</b>${NAV.map(
    ([href, label]) =>
      html`<a href="${href}"${current === href ? html` aria-current="page"` : ""}>${label}</a>`,
  )}</header>
<main><h1>${title}</h1>
${flash?.error ? html`<p class="error" role="alert">${flash.error}</p>` : ""}
${flash?.notice ? html`<p class="notice" role="status">${flash.notice}</p>` : ""}
${body}</main><script>${SCRIPT_HTML}</script></body></html>`;
}

// Constant, trusted text: style and script are not user content, so they go in unescaped.
const STYLE_HTML = new Html(STYLE);
const SCRIPT_HTML = new Html(SCRIPT);
/** For the Content-Security-Policy: this script, and no other, may run on console pages. */
export const SCRIPT_HASH = `sha256-${createHash("sha256").update(SCRIPT).digest("base64")}`;
