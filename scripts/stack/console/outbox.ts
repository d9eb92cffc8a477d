import { linksIn } from "./html.js";
import { type ConsoleTargets, firestore } from "./sources.js";
import { fieldsToJson } from "./values.js";

export interface OutboxLine {
  to: string;
  subject: string;
  links: string[];
}

/**
 * Prints every mail Hearth queues (`mail` documents) once, as it appears: nothing is delivered locally, so
 * the terminal is the inbox. What exists when it starts is taken as already seen. Polls every `everyMs`.
 * (The Auth emulator prints its own email action links: "To verify the email address …, follow this
 * link: …".)
 */
export function watchOutbox(
  t: ConsoleTargets,
  print: (line: OutboxLine) => void,
  everyMs = 1000,
): { ready: Promise<void>; stop(): void } {
  const docs = firestore(t);
  const seen = new Set<string>();
  let first = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const found: [string, OutboxLine][] = [];
    for (const doc of await docs.listAll("mail")) {
      if (!doc.createTime) continue;
      const mail = fieldsToJson(doc.fields ?? {}) as {
        to?: unknown;
        message?: { subject?: string; text?: string; html?: string };
      };
      found.push([
        doc.name,
        {
          to: Array.isArray(mail.to) ? mail.to.join(", ") : String(mail.to ?? ""),
          subject: mail.message?.subject ?? "(no subject)",
          links: linksIn(`${mail.message?.text ?? ""} ${mail.message?.html ?? ""}`),
        },
      ]);
    }
    for (const [key, line] of found) {
      if (seen.has(key)) continue;
      seen.add(key);
      if (!first) print(line);
    }
    first = false;
  };
  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      // A service restarting (or busy) is skipped; the next poll catches up.
      check()
        .catch(() => undefined)
        .finally(loop);
    }, everyMs);
  };
  // If the services do not answer yet, the first poll that succeeds is the baseline.
  const ready = check()
    .catch(() => undefined)
    .then(loop);
  return {
    ready,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
