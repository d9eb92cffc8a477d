import { NAME_FORBIDDEN } from "@hearth/schema";

/**
 * The invitation email, as a document of the `mail` outbox in the shape the Trigger Email extension
 * reads. Org and inviter names are user-controlled: they go in only through mailName (no control or
 * bidirectional characters, bounded length) and are escaped in the HTML body.
 */
export interface InviteMail {
  to: string;
  message: { subject: string; text: string; html: string };
}

export interface InviteMailInput {
  to: string;
  orgName: string;
  inviterName: string | null;
  role: string;
  link: string;
  expiresAt: Date;
}

export function inviteLink(appUrl: string, orgId: string, inviteId: string, token: string): string {
  const params = new URLSearchParams({ orgId, inviteId, token });
  return `${appUrl}/invite?${params.toString()}`;
}

/** Longest name put in an email; longer ones are cut with an ellipsis. */
export const MAIL_NAME_MAX = 60;

/**
 * A user-chosen name as it may appear in an email: control and bidirectional characters (which could
 * inject headers or reverse how the text reads) become spaces, runs of spaces collapse, and the result is
 * cut to MAIL_NAME_MAX characters. Names written before the rules refused these characters pass here too.
 */
export function mailName(value: string | null | undefined, fallback: string): string {
  const clean = (value ?? "").replace(NAME_FORBIDDEN, " ").replace(/\s+/g, " ").trim();
  if (!clean) return fallback;
  const chars = [...clean];
  return chars.length <= MAIL_NAME_MAX
    ? clean
    : `${chars
        .slice(0, MAIL_NAME_MAX - 1)
        .join("")
        .trimEnd()}…`;
}

export function inviteMail(input: InviteMailInput): InviteMail {
  const who = mailName(input.inviterName, "A teammate");
  const org = mailName(input.orgName, "an organization");
  const until = input.expiresAt.toISOString().slice(0, 10);
  const subject = `${who} invited you to ${org} on Hearth`;
  const text = [
    `${who} invited you to join ${org} as ${input.role}.`,
    `Accept the invitation: ${input.link}`,
    `The link works once and expires on ${until}. If you did not expect it, ignore this email.`,
  ].join("\n\n");
  const html = [
    `<p>${escapeHtml(who)} invited you to join <strong>${escapeHtml(org)}</strong> as ${escapeHtml(input.role)}.</p>`,
    `<p><a href="${escapeHtml(input.link)}">Accept the invitation</a></p>`,
    `<p>The link works once and expires on ${until}. If you did not expect it, ignore this email.</p>`,
  ].join("\n");
  return { to: input.to, message: { subject, text, html } };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
