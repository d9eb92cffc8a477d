import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { deleteDoc, doc, getDoc, setDoc, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, it } from "vitest";
import { PLANS } from "../../../functions/src/billing/plans.js";
import { type RulesEnv, startRulesEnv } from "../../rules/support/env.js";

// Billing state is written only by the server; a client (even the owner) must not grant itself a plan,
// read the Stripe customer id, or touch recorded Stripe events. Checked against the repo's firestore.rules.
let env: RulesEnv;
const ORG = "org-billing-rules";

beforeAll(async () => {
  env = await startRulesEnv();
  await env.testEnv.withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore();
    await setDoc(doc(db, `orgs/${ORG}`), {
      name: "Acme",
      settings: {},
      ownerUid: "owner",
      plan: "free",
      entitlements: PLANS.free.entitlements,
      billingStatus: "none",
      memberCount: 2,
      pendingInvites: 0,
      createdAt: new Date(),
      deletedAt: null,
    });
    await setDoc(doc(db, `orgs/${ORG}/members/owner`), { role: "owner", email: "o@example.com" });
    await setDoc(doc(db, `orgs/${ORG}/members/ann`), { role: "member", email: "a@example.com" });
    await setDoc(doc(db, `orgs/${ORG}/private/billing`), { stripeCustomerId: "cus_secret", status: "none" });
    await setDoc(doc(db, "stripeEvents/evt_1"), { type: "invoice.paid", status: "pending" });
  });
});
afterAll(() => env?.stop());

const as = (uid: string) => env.testEnv.authenticatedContext(uid).firestore();

describe("billing fields: server only", () => {
  it("members read plan, billingStatus and entitlements on the org", async () => {
    await assertSucceeds(getDoc(doc(as("ann"), `orgs/${ORG}`)));
  });

  it("the owner may rename the org (the rule is not a blanket denial)", async () => {
    await assertSucceeds(updateDoc(doc(as("owner"), `orgs/${ORG}`), { name: "Acme 2" }));
  });

  it.each([
    ["plan", { plan: "team" }],
    ["billingStatus", { billingStatus: "active" }],
    ["entitlements", { entitlements: PLANS.team.entitlements }],
    ["one entitlement", { "entitlements.seats": 1000 }],
    ["plan with an allowed field", { name: "Acme 3", plan: "pro" }],
  ])("the owner cannot write %s", async (_name, change) => {
    await assertFails(updateDoc(doc(as("owner"), `orgs/${ORG}`), change));
  });

  it("nobody reads or writes orgs/{orgId}/private/billing from a client", async () => {
    for (const uid of ["owner", "ann"]) {
      const ref = doc(as(uid), `orgs/${ORG}/private/billing`);
      await assertFails(getDoc(ref));
      await assertFails(setDoc(ref, { stripeCustomerId: "cus_mine", status: "active" }));
      await assertFails(deleteDoc(ref));
    }
    await assertFails(
      getDoc(doc(env.testEnv.unauthenticatedContext().firestore(), `orgs/${ORG}/private/billing`)),
    );
  });

  it("nobody reads or writes stripeEvents from a client", async () => {
    const ref = doc(as("owner"), "stripeEvents/evt_1");
    await assertFails(getDoc(ref));
    await assertFails(setDoc(doc(as("owner"), "stripeEvents/evt_forged"), { type: "invoice.paid" }));
    await assertFails(updateDoc(ref, { status: "processed" }));
  });
});
