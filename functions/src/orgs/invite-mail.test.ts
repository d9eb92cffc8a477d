import { describe, expect, it } from "vitest";
import { escapeHtml, inviteLink, inviteMail, MAIL_NAME_MAX, mailName } from "./invite-mail.js";
import { hashInviteToken, inviteTokenMatches, newInviteToken } from "./invite-token.js";

describe("invite mail", () => {
  it("inviteLink: carries orgId, inviteId and token, URL-encoded", () => {
    const url = new URL(inviteLink("https://app.example.com", "org1", "inv1", "tok_-1"));
    expect(url.origin + url.pathname).toBe("https://app.example.com/invite");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      orgId: "org1",
      inviteId: "inv1",
      token: "tok_-1",
    });
  });

  it("inviteMail: has the Trigger Email shape and escapes names in the HTML", () => {
    const mail = inviteMail({
      to: "bob@example.com",
      orgName: `<script>alert("x")</script>`,
      inviterName: "Al & Co",
      role: "member",
      link: "https://app.example.com/invite?orgId=o&inviteId=i&token=t",
      expiresAt: new Date("2030-01-08T00:00:00Z"),
    });
    expect(mail.to).toBe("bob@example.com");
    expect(Object.keys(mail.message).sort()).toEqual(["html", "subject", "text"]);
    expect(mail.message.html).not.toContain("<script>");
    expect(mail.message.html).toContain("&lt;script&gt;");
    expect(mail.message.html).toContain("Al &amp; Co");
    expect(mail.message.html).toContain(
      'href="https://app.example.com/invite?orgId=o&amp;inviteId=i&amp;token=t"',
    );
    expect(mail.message.text).toContain("https://app.example.com/invite?orgId=o&inviteId=i&token=t");
    expect(mail.message.text).toContain("2030-01-08");
  });

  it("names reach subject and bodies without control or bidi characters, and bounded (issue 16)", () => {
    const mail = inviteMail({
      to: "bob@example.com",
      orgName: `Acme\r\nBcc: all@example.com\u202Egnp.exe\u0085${"x".repeat(300)}`,
      inviterName: "Eve\u2066\tSupport\u2069\u0000",
      role: "member",
      link: "https://app.example.com/invite?orgId=o&inviteId=i&token=t",
      expiresAt: new Date("2030-01-08T00:00:00Z"),
    });
    const { subject, text, html } = mail.message;
    for (const part of [subject, text, html]) {
      expect(part).not.toMatch(
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/,
      );
    }
    expect(subject).toBe(
      `Eve Support invited you to ${mailName(`Acme Bcc: all@example.com gnp.exe ${"x".repeat(300)}`, "")} on Hearth`,
    );
    expect(subject.length).toBeLessThan(2 * MAIL_NAME_MAX + 40);
  });

  it("mailName: cuts at MAIL_NAME_MAX characters (not UTF-16 units); falls back when nothing is left", () => {
    expect([...mailName("🔥".repeat(100), "-")]).toHaveLength(MAIL_NAME_MAX);
    expect(mailName("🔥".repeat(100), "-").endsWith("…")).toBe(true);
    expect(mailName("\u202E\r\n ", "A teammate")).toBe("A teammate");
    expect(mailName(null, "A teammate")).toBe("A teammate");
    expect(mailName("  Ann   Lee ", "-")).toBe("Ann Lee");
  });

  it("escapeHtml: escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
  });
});

describe("invite token", () => {
  it("token: random, URL-safe, and only its hash matches", () => {
    const a = newInviteToken();
    const b = newInviteToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hash = hashInviteToken(a);
    expect(hash).not.toContain(a);
    expect(inviteTokenMatches(a, hash)).toBe(true);
    expect(inviteTokenMatches(b, hash)).toBe(false);
    expect(inviteTokenMatches(a, undefined)).toBe(false);
    expect(inviteTokenMatches(a, "abc")).toBe(false);
  });
});
