/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already `Html` (the
 * result of another template), so document contents, emails and event payloads cannot inject markup.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? "";
  parts.forEach((part, i) => {
    out += render(part) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** A link only for http(s) URLs; anything else (javascript:, data:) is shown as text. */
export function link(url: string, text: string = url): Html {
  return /^https?:\/\//i.test(url)
    ? html`<a href="${url}" target="_blank" rel="noreferrer">${text}</a>`
    : html`${text}`;
}

/** The http(s) links in a text or an HTML mail body, in order, without repeats. */
export function linksIn(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
  return [...new Set(found.map((url) => url.replace(/&amp;/g, "&").replace(/[.,;:)]+$/, "")))];
}
