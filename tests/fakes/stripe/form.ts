/**
 * Decodes a Stripe-style form body (`a[b][0][c]=1&d=x`, as the SDK encodes it) into nested objects.
 * Numeric segments build arrays. Values stay strings, as Stripe receives them.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function decodeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const pair of body.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decodeURIComponent(rawKey.replace(/\+/g, " "));
    const value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    assign(root, parseKey(key), value);
  }
  return root;
}

/** `a[b][0]` → ["a", "b", "0"]. */
function parseKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open === -1) return [key];
  const parts = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1] ?? "");
  return parts;
}

function assign(target: Record<string, FormValue> | FormValue[], path: string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const container = target as Record<string, FormValue>;
  if (rest.length === 0) {
    container[head] = value;
    return;
  }
  const nextIsIndex = /^\d+$/.test(rest[0] ?? "");
  const existing = container[head];
  const child =
    existing !== undefined && typeof existing !== "string"
      ? existing
      : nextIsIndex
        ? []
        : ({} as Record<string, FormValue>);
  container[head] = child;
  assign(child, rest, value);
}
