import type { MailDoc } from "@hearth/schema";

/**
 * What a sent email keeps of its secret links. The Trigger Email extension leaves the message in
 * `mail/{id}` after sending it, and an invitation link there works for anyone who reads the outbox
 * (console, export, backup) until the invite is used or expires. Once delivery is final, every link that
 * carries a `token` query parameter is replaced with a note saying why it is gone. Pure: the trigger in
 * scrub-delivered-mail.ts reads and writes the document.
 */

type FinalState = "SUCCESS" | "ERROR";
type MessageField = "subject" | "text" | "html";

const NOTICE: Record<FinalState, string> = {
  SUCCESS: "[link removed after the email was sent]",
  ERROR: "[link removed: the email could not be sent]",
};

/** Absolute URLs as they appear in text and in HTML attributes: whitespace, quotes and brackets end one. */
const URL_PATTERN = /https?:\/\/[^\s"'<>]+/g;
/** An anchor element with its href; the whole element goes, so no label points at a dead link. */
const ANCHOR_PATTERN = /<a\b[^>]*?\bhref="([^"]*)"[^>]*>[\s\S]*?<\/a>/gi;
/** A `token` query parameter, also behind an HTML-escaped separator (`&amp;token=`). */
const SECRET_PARAM = /[?&](?:amp;)?token=/;

/** SUCCESS and ERROR are the extension's last word on a message; PENDING, PROCESSING and RETRY may still send it. */
export function isFinalDelivery(state: unknown): state is FinalState {
  return state === "SUCCESS" || state === "ERROR";
}

function redactText(value: string, notice: string): string {
  return value.replace(URL_PATTERN, (url) => (SECRET_PARAM.test(url) ? notice : url));
}

function redactHtml(value: string, notice: string): string {
  const withoutAnchors = value.replace(ANCHOR_PATTERN, (anchor, href: string) =>
    SECRET_PARAM.test(href) ? `<em>${notice}</em>` : anchor,
  );
  return redactText(withoutAnchors, notice);
}

const REDACT: Record<MessageField, (value: string, notice: string) => string> = {
  subject: redactText,
  text: redactText,
  html: redactHtml,
};

/**
 * The message fields to overwrite, or null when there is nothing to do: delivery is not final (the
 * extension may still send the message as it stands), or no secret link is left. The second case makes
 * a rerun, and the trigger's reaction to its own update, a no-op.
 */
export function scrubbedMessage(
  mail: Pick<MailDoc, "message" | "delivery">,
): Partial<Record<MessageField, string>> | null {
  const state = mail.delivery?.state;
  if (!isFinalDelivery(state)) return null;
  const changes: Partial<Record<MessageField, string>> = {};
  for (const field of Object.keys(REDACT) as MessageField[]) {
    const before = mail.message[field];
    if (before === undefined) continue;
    const after = REDACT[field](before, NOTICE[state]);
    if (after !== before) changes[field] = after;
  }
  return Object.keys(changes).length > 0 ? changes : null;
}
