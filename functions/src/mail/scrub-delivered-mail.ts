import { MailDoc, paths } from "@hearth/schema";
import type { Firestore } from "firebase-admin/firestore";
import { onDocumentUpdated } from "firebase-functions/firestore";
import { db } from "../lib/firestore.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { isFinalDelivery, scrubbedMessage } from "./scrub.js";

/** The parts of a mail document the scrub reads; `to` and `expiresAt` do not matter to it. */
const ScrubbableMail = MailDoc.pick({ message: true, delivery: true });

export type ScrubOutcome = "scrubbed" | "unchanged";

/**
 * Redacts the secret links of `mail/{mailId}` once the Trigger Email extension has recorded a final
 * delivery state. The document is read in a transaction instead of taken from the event, so a late or
 * redelivered event acts on the current state; documents not in Hearth's shape are left alone.
 */
export async function scrubDeliveredMailHandler(
  deps: { db: Firestore },
  mailId: string,
): Promise<ScrubOutcome> {
  const ref = deps.db.doc(paths.mail(mailId));
  const outcome = await deps.db.runTransaction(async (tx) => {
    const parsed = ScrubbableMail.safeParse((await tx.get(ref)).data());
    const changes = parsed.success ? scrubbedMessage(parsed.data) : null;
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
    if (!isFinalDelivery(event.data?.after.get("delivery.state"))) return;
    await scrubDeliveredMailHandler({ db: db() }, event.params.mailId);
  },
);
