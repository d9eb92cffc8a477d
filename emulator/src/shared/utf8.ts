/** String helpers that follow Firestore, which orders and measures strings by their UTF-8 bytes. */

// Code-unit order differs from code-point (= UTF-8 byte) order only when a surrogate meets a unit at or
// above U+E000; shifting both ranges restores code-point order without decoding.
function fixup(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) < fixup(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}
