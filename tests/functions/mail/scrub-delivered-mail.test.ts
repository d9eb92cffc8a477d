import {
  type DocumentReference,
  type DocumentSnapshot,
  FieldValue,
  Timestamp,
} from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  scrubDeliveredMail as scrubDeliveredMailFn,
  scrubDeliveredMailHandler,
} from "../../../functions/src/mail/scrub-delivered-mail.js";
import { acceptInvite as acceptInviteFn } from "../../../functions/src/orgs/accept-invite.js";
import { inviteMember as inviteMemberFn } from "../../../functions/src/orgs/invite-member.js";
import { call, type OrgsTestEnv, seedOrg, startOrgsTestEnv, user } from "../orgs/support.js";

// The Trigger Email extension is not part of the local stack; these tests write `delivery` the way it does
// (firestore-send-email's processQueue: PENDING, then PROCESSING with a lease, then SUCCESS or ERROR).

type Wrapped = (req: never) => unknown;
type State = "PENDING" | "PROCESSING" | "RETRY" | "SUCCESS" | "ERROR";
let env: OrgsTestEnv;
let inviteMember: Wrapped;
let acceptInvite: Wrapped;
let scrubDeliveredMail: (event: unknown) => Promise<unknown>;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  inviteMember = env.fft.wrap(inviteMemberFn) as never;
  acceptInvite = env.fft.wrap(acceptInviteFn) as never;
  scrubDeliveredMail = env.fft.wrap(scrubDeliveredMailFn) as never;
});
afterAll(() => env.stop());

/** Invites `email` into a fresh org; returns the invite, its mail document and the token in the link. */
async function invited(email: string) {
  const orgId = await seedOrg(env.db, { own: "owner" });
  const { inviteId } = await call<{ inviteId: string }>(
    inviteMember,
    { orgId, email, role: "member" },
    user("own"),
  );
  const mails = await env.db.collection("mail").where("to", "==", email).get();
  expect(mails.size).toBe(1);
  const mail = mails.docs[0]!;
  const link = new URL(/https?:\/\/\S+/.exec(mail.get("message.text") as string)![0]);
  return { orgId, inviteId, mail: mail.ref, token: link.searchParams.get("token")! };
}

/** The extension's own writes for each state (field names as in its processQueue). */
async function extensionMarks(ref: DocumentReference, state: State) {
  const now = Timestamp.now();
  const writes: Record<State, Record<string, unknown>> = {
    PENDING: { delivery: { startTime: now, state: "PENDING", attempts: 0, error: null } },
    PROCESSING: {
      "delivery.state": "PROCESSING",
      "delivery.leaseExpireTime": Timestamp.fromMillis(now.toMillis() + 60_000),
    },
    // Set by whoever asks for a resend; the extension then sends the message again.
    RETRY: { "delivery.state": "RETRY" },
    SUCCESS: {
      "delivery.state": "SUCCESS",
      "delivery.attempts": FieldValue.increment(1),
      "delivery.endTime": now,
      "delivery.leaseExpireTime": null,
      "delivery.info": { messageId: "<m1@smtp.example>", accepted: ["x"], rejected: [], pending: [] },
    },
    ERROR: {
      "delivery.state": "ERROR",
      "delivery.attempts": FieldValue.increment(1),
      "delivery.endTime": now,
      "delivery.leaseExpireTime": null,
      "delivery.error": "Error: connect ECONNREFUSED",
    },
  };
  await ref.update(writes[state]);
}

/** Delivers an update event of `mail/{id}` made of snapshots read from the emulator. */
async function deliverEvent(before: DocumentSnapshot, after: DocumentSnapshot) {
  await scrubDeliveredMail({ params: { mailId: after.id }, data: env.fft.makeChange(before, after) });
}

/** The extension writes `state`; returns the snapshots around that write, as its event carries them. */
async function extensionWrites(ref: DocumentReference, state: State) {
  const before = await ref.get();
  await extensionMarks(ref, state);
  return { before, after: await ref.get() };
}

function view(snap: DocumentSnapshot) {
  return { data: snap.data()!, updateTime: snap.updateTime!.toMillis(), json: JSON.stringify(snap.data()) };
}

describe("mail outbox", () => {
  it("inviteMember: the mail document expires with the invite (the TTL field) and carries the link until sent", async () => {
    const { orgId, inviteId, mail, token } = await invited("tara@example.com");
    const invite = await env.db.doc(`orgs/${orgId}/invites/${inviteId}`).get();
    const { data, json } = view(await mail.get());
    // sentBy: deleting the inviter's account deletes the email (accounts/erase.ts).
    expect(Object.keys(data).sort()).toEqual(["expiresAt", "message", "sentBy", "to"]);
    expect(data.expiresAt).toBeInstanceOf(Timestamp);
    expect(data.expiresAt.toMillis()).toBe(invite.get("expiresAt").toMillis());
    expect(json).toContain(token);
  });
});

describe("scrubDeliveredMail", () => {
  for (const [state, note] of [
    ["SUCCESS", "[link removed after the email was sent]"],
    ["ERROR", "[link removed: the email could not be sent]"],
  ] as const) {
    it(`${state}: no trace of the token is left, the link says why it is gone, and a rerun changes nothing`, async () => {
      const { orgId, inviteId, mail, token } = await invited(`${state.toLowerCase()}@example.com`);
      await extensionMarks(mail, "PENDING");
      await extensionMarks(mail, "PROCESSING");
      const final = await extensionWrites(mail, state);
      await deliverEvent(final.before, final.after);

      const sent = view(final.after);
      const scrubbedSnap = await mail.get();
      const scrubbed = view(scrubbedSnap);
      expect(scrubbed.json).not.toContain(token);
      expect(scrubbed.data.message.text).toContain(`Accept the invitation: ${note}`);
      expect(scrubbed.data.message.html).toContain(`<em>${note}</em>`);
      expect(scrubbed.data.message.subject).toBe(sent.data.message.subject);
      // What the extension and the TTL rely on is untouched.
      expect(scrubbed.data.to).toBe(sent.data.to);
      expect(scrubbed.data.delivery).toEqual(sent.data.delivery);
      expect(scrubbed.data.expiresAt.toMillis()).toBe(sent.data.expiresAt.toMillis());

      // The trigger's own update comes back as an event, and events may be redelivered: neither writes.
      await deliverEvent(final.after, scrubbedSnap);
      await deliverEvent(final.before, final.after);
      expect(view(await mail.get())).toEqual(scrubbed);
      expect(await scrubDeliveredMailHandler({ db: env.db }, mail.id)).toBe("unchanged");

      // Only the outbox copy is gone: the invitee's own link still works.
      const invitee = user(`u-${state}`, { email: `${state.toLowerCase()}@example.com` });
      expect(await call(acceptInvite, { orgId, inviteId, token }, invitee)).toEqual({
        orgId,
        role: "member",
      });
    });
  }

  it("PENDING and PROCESSING: the message is left as the extension will send it", async () => {
    const { mail, token } = await invited("waiting@example.com");
    for (const state of ["PENDING", "PROCESSING"] as const) {
      const { before, after } = await extensionWrites(mail, state);
      await deliverEvent(before, after);
      expect(view(await mail.get()), state).toEqual(view(after));
    }
    expect(view(await mail.get()).json).toContain(token);
  });

  it("the stored state decides, not the event: a late SUCCESS event for a message queued again is ignored", async () => {
    const { mail, token } = await invited("retry@example.com");
    await extensionMarks(mail, "PENDING");
    await extensionMarks(mail, "PROCESSING");
    const late = await extensionWrites(mail, "SUCCESS");
    await extensionMarks(mail, "RETRY");
    const requeued = view(await mail.get());
    await deliverEvent(late.before, late.after);
    expect(view(await mail.get())).toEqual(requeued);
    expect(requeued.json).toContain(token);

    // Once the resend is final, its own event scrubs.
    await extensionMarks(mail, "PROCESSING");
    const resent = await extensionWrites(mail, "SUCCESS");
    await deliverEvent(resent.before, resent.after);
    expect(view(await mail.get()).json).not.toContain(token);
  });
});
