import { describe, expect, it } from "vitest";
import { inviteLink, inviteMail } from "../orgs/invite-mail.js";
import { isFinalDelivery, scrubbedMessage } from "./scrub.js";

const TOKEN = "tok_SECRET-abc123";

function invitation() {
  return inviteMail({
    to: "bob@example.com",
    orgName: "Acme",
    inviterName: "Ann",
    role: "member",
    link: inviteLink("https://app.example.com", "org1", "inv1", TOKEN),
    expiresAt: new Date("2030-01-08T00:00:00Z"),
  });
}

describe("scrubbedMessage", () => {
  it("SUCCESS: the invitation link leaves text and HTML, with a note saying why", () => {
    const mail = invitation();
    const changes = scrubbedMessage({ ...mail, delivery: { state: "SUCCESS" } });
    expect(Object.keys(changes ?? {}).sort()).toEqual(["html", "text"]);
    expect(JSON.stringify(changes)).not.toContain(TOKEN);
    expect(changes?.text).toContain("Accept the invitation: [link removed after the email was sent]");
    expect(changes?.html).toContain("<p><em>[link removed after the email was sent]</em></p>");
    expect(changes?.html).not.toContain("<a ");
    // Only the link goes; the rest of the message is as it was sent.
    expect(changes?.text?.split("\n\n")[0]).toBe(mail.message.text.split("\n\n")[0]);
  });

  it("ERROR: scrubbed too, with its own note", () => {
    const changes = scrubbedMessage({ ...invitation(), delivery: { state: "ERROR" } });
    expect(JSON.stringify(changes)).not.toContain(TOKEN);
    expect(changes?.text).toContain("[link removed: the email could not be sent]");
  });

  it("before a final state, or with no delivery yet, nothing changes", () => {
    for (const state of ["PENDING", "PROCESSING", "RETRY"] as const) {
      expect(scrubbedMessage({ ...invitation(), delivery: { state } }), state).toBeNull();
    }
    expect(scrubbedMessage(invitation())).toBeNull();
  });

  it("idempotent: a scrubbed message has nothing left to change", () => {
    const mail = invitation();
    const changes = scrubbedMessage({ ...mail, delivery: { state: "SUCCESS" } });
    const scrubbed = {
      ...mail,
      message: { ...mail.message, ...changes },
      delivery: { state: "ERROR" as const },
    };
    expect(scrubbedMessage(scrubbed)).toBeNull();
  });

  it("links without a token, and tokens in the subject, are judged by the same rule", () => {
    const changes = scrubbedMessage({
      message: {
        subject: "Reset: https://app.example.com/reset?token=abc",
        text: "Help: https://app.example.com/help?topic=token\nDocs: https://docs.example.com/",
        html: '<a class="x" href="https://app.example.com/help">Help</a> <a href="https://a.example/r?x=1&amp;token=abc">Go</a>',
      },
      delivery: { state: "SUCCESS" },
    });
    expect(changes).toEqual({
      subject: "Reset: [link removed after the email was sent]",
      html: '<a class="x" href="https://app.example.com/help">Help</a> <em>[link removed after the email was sent]</em>',
    });
  });

  it("isFinalDelivery: only SUCCESS and ERROR", () => {
    expect(["SUCCESS", "ERROR", "PENDING", "PROCESSING", "RETRY", undefined].map(isFinalDelivery)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
