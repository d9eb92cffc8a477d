/** The open WebChannel sessions by id; a session leaves the registry when it closes, however it closes. */
import { randomToken } from "../../shared/ids.js";
import { ChannelSession, type WebChannelTimings } from "./session.js";

export class ChannelRegistry {
  private readonly sessions = new Map<string, ChannelSession>();

  constructor(private readonly timings: WebChannelTimings) {}

  /** A new session; `onClose` runs once when it closes (terminate, expiry or shutdown). */
  create(onClose: () => void): ChannelSession {
    const id = randomToken(16).toString("base64url");
    const session = new ChannelSession(id, this.timings, () => {
      this.sessions.delete(id);
      onClose();
    });
    this.sessions.set(id, session);
    return session;
  }

  get(id: string | null): ChannelSession | null {
    return id ? (this.sessions.get(id) ?? null) : null;
  }

  get size(): number {
    return this.sessions.size;
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) session.close();
  }
}
