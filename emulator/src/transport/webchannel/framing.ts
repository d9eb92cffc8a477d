/**
 * WebChannel (closure's `goog.labs.net.webchannel`, protocol version 8) wire encoding, as the web SDK's
 * client reads and writes it:
 * - answers are frames `<length>\n<JSON>`, the length in UTF-16 code units (the client measures the
 *   decoded string), one or more per response;
 * - back-channel payloads are arrays of `[arrayId, [message]]`, ids counting up per session;
 * - forward-channel bodies are form-encoded: `count`, `ofs` (the id of the first message), and one
 *   `req<i>___data__` (JSON text) per message, plus on the handshake an optional `headers` block of
 *   `Name:Value` lines (the SDK puts `Authorization` there to avoid a CORS preflight).
 */

/** The protocol version the SDK speaks (`VER=8`); also echoed in the handshake answer. */
export const CHANNEL_VERSION = 8;
/** The server version in the handshake answer, as Google's servers send it. */
export const SERVER_VERSION = 12;

export function frame(json: string): string {
  return `${json.length}\n${json}`;
}

/** One back-channel frame carrying already-encoded messages (`payload` is JSON text of one message). */
export function arraysFrame(entries: ReadonlyArray<{ id: number; payload: string }>): string {
  return frame(`[${entries.map((e) => `[${e.id},[${e.payload}]]`).join(",")}]`);
}

/**
 * The handshake answer: array 0 holds `["c", sessionId, hostPrefix, version, serverVersion, timeoutMs]`.
 * A non-empty host prefix makes the client open its back channels on `<prefix>.<host>`.
 */
export function handshakeFrame(sessionId: string, hostPrefix: string, backChannelTimeoutMs: number): string {
  return frame(
    JSON.stringify([
      [0, ["c", sessionId, hostPrefix, CHANNEL_VERSION, SERVER_VERSION, backChannelTimeoutMs]],
    ]),
  );
}

/**
 * The forward-channel answer: whether a back channel is open, the last array id the server has sent,
 * and the bytes still outstanding (none: everything is written as soon as it is produced).
 */
export function forwardAckFrame(backChannelOpen: boolean, lastArrayId: number): string {
  return frame(JSON.stringify([backChannelOpen ? 1 : 0, lastArrayId, 0]));
}

export interface ForwardMessage {
  /** The client's map id; the forward channel may resend ids after a retry. */
  id: number;
  /** JSON text of one request message. */
  json: string;
}

export interface ForwardBody {
  headers: Record<string, string>;
  messages: ForwardMessage[];
}

/** Parses `Name:Value` lines (CRLF or LF separated) into lower-cased header names. */
export function parseHeaderBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

const DATA_KEY = /^req(\d+)___data__$/;

/** Parses a form-encoded forward-channel (or handshake) body. */
export function parseForwardBody(body: string): ForwardBody {
  const form = new URLSearchParams(body);
  const offset = Number(form.get("ofs") ?? 0);
  const messages: ForwardMessage[] = [];
  for (const [key, value] of form) {
    const m = DATA_KEY.exec(key);
    if (m) messages.push({ id: (Number.isFinite(offset) ? offset : 0) + Number(m[1]), json: value });
  }
  messages.sort((a, b) => a.id - b.id);
  const block = form.get("headers");
  return { headers: block ? parseHeaderBlock(block) : {}, messages };
}
