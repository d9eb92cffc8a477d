/**
 * The invitation email, as a document of the `mail` outbox in the shape the Trigger Email extension
 * reads. Org and inviter names are user-controlled, so they are escaped in the HTML body.
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

export function inviteMail(input: InviteMailInput): InviteMail {
  const who = input.inviterName ?? "A teammate";
  const until = input.expiresAt.toISOString().slice(0, 10);
  // Names are user-controlled; a line break in a subject could inject mail headers.
  const subject = `${who} invited you to ${input.orgName} on Hearth`.replace(/[\r\n\t]+/g, " ").slice(0, 200);
  const text = [
    `${who} invited you to join ${input.orgName} as ${input.role}.`,
    `Accept the invitation: ${input.link}`,
    `The link works once and expires on ${until}. If you did not expect it, ignore this email.`,
  ].join("\n\n");
  const html = [
    `<p>${escapeHtml(who)} invited you to join <strong>${escapeHtml(input.orgName)}</strong> as ${escapeHtml(input.role)}.</p>`,
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
