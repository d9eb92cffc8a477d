/** Resume tokens are opaque to clients; ours carry the read time so they are never empty. */
export function resumeToken(readTimeMicros: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigInt64BE(BigInt(readTimeMicros));
  return buf;
}
