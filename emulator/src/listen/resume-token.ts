/** Resume tokens are opaque to clients; ours carry the read time so they are never empty. */
export function resumeToken(readTimeMicros: number): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigInt64BE(BigInt(readTimeMicros));
  return buf;
}

/** The read time in one of our tokens; null for bytes we did not hand out. */
export function readResumeToken(token: Uint8Array): number | null {
  if (token.length !== 8) return null;
  const time = Number(Buffer.from(token).readBigInt64BE());
  return time > 0 ? time : null;
}
