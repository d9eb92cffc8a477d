import { onDocumentUpdated } from "firebase-functions/firestore";
import { eventData, validData } from "../db/read.js";
import { converters, refs } from "../db/refs.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { isFinalDelivery, scrubbedMessage } from "./scrub.js";

export type ScrubOutcome = "scrubbed" | "unchanged";

/**
 * Redacts the secret links of `mail/{mailId}` once the Trigger Email extension has recorded a final
 * delivery state. The document is read in a transaction instead of taken from the event, so a late or
 * redelivered event acts on the current state; documents not in Hearth's shape are left alone, and logged.
 */
export async function scrubDeliveredMailHandler(
  deps: Pick<Deps, "db">,
  mailId: string,
): Promise<ScrubOutcome> {
  const ref = refs.mail(deps.db, mailId);
  const outcome = await deps.db.runTransaction(async (tx) => {
    const mail = validData(await tx.get(ref), "scrubDeliveredMail");
    const changes = mail ? scrubbedMessage(mail) : null;
    if (!changes) return "unchanged" as const;
    // Field by field, so message parts Hearth does not write (attachments, headers) survive.
    const update = Object.entries(changes).map(([field, value]) => [`message.${field}`, value]);
    tx.update(ref, Object.fromEntries(update));
    return "scrubbed" as const;
  });
  if (outcome === "scrubbed") logEvent("mail.scrubbed", { mailId });
  return outcome;
}

/**
 * Retried on failure: a missed scrub would leave the link in place until the TTL, and the handler is
 * idempotent. Its own update triggers it once more, and that run finds nothing left to redact.
 */
export const scrubDeliveredMail = onDocumentUpdated(
  { document: "mail/{mailId}", region: REGION, retry: true },
  async (event) => {
    // Most updates are the extension's PENDING/PROCESSING bookkeeping: skip those without a read.
    const mail = eventData(event.data?.after, converters.mail, "scrubDeliveredMail");
    if (!isFinalDelivery(mail?.delivery?.state)) return;
    await scrubDeliveredMailHandler(liveDeps(), event.params.mailId);
  },
);
