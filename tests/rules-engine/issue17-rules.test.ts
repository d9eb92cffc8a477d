/**
 * Rules that Google's emulator and `firebase deploy` accept, written the way public suites write them:
 * functions at file scope, `allow` statements without their `;`, and list rules that ask whether a
 * queried field exists. Judged through rules-unit-testing and the web SDK, with the refusals beside.
 */
import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { collection, getDocs, orderBy, query, where } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuleCoverageReport } from "../../emulator/src/shared/security.js";
import { type RulesHarness, startRulesHarness } from "./support.js";

const RULES = `rules_version = '2';
function signedIn() {
  return request.auth != null;
}
service cloud.firestore {
  match /databases/{database}/documents {
    match /tickets/{id} {
      allow list: if signedIn() && 'organization' in resource.data
      allow get: if signedIn()
    }
    match /reports/{id} {
      allow list: if signedIn() && resource.data.keys().hasAll(['owner', 'year'])
    }
  }
}
function unused(x) { return x; }
`;

let h: RulesHarness;
beforeAll(async () => {
  h = await startRulesHarness(RULES);
  await h.env.withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore();
    const { doc, setDoc } = await import("firebase/firestore");
    await setDoc(doc(db, "tickets/t1"), { organization: "x", title: "a" });
    await setDoc(doc(db, "reports/r1"), { owner: "ann", year: 2026 });
  });
});
afterAll(() => h?.stop());

describe("list rules over fields the query guarantees", () => {
  it("`'f' in resource.data` is allowed for a query that filters on f, and refused otherwise", async () => {
    const db = h.env.authenticatedContext("ann").firestore();
    await assertSucceeds(getDocs(query(collection(db, "tickets"), where("organization", "==", "x"))));
    await assertSucceeds(getDocs(query(collection(db, "tickets"), where("organization", "in", ["x", "y"]))));
    await assertSucceeds(getDocs(query(collection(db, "tickets"), orderBy("organization"))));
    await assertFails(getDocs(collection(db, "tickets")));
    await assertFails(getDocs(query(collection(db, "tickets"), where("title", "==", "a"))));
    await assertFails(
      getDocs(
        query(
          collection(h.env.unauthenticatedContext().firestore(), "tickets"),
          where("organization", "==", "x"),
        ),
      ),
    );
  });

  it("`keys().hasAll` is allowed when every key is constrained, refused when one is not", async () => {
    const db = h.env.authenticatedContext("ann").firestore();
    await assertSucceeds(
      getDocs(query(collection(db, "reports"), where("owner", "==", "ann"), where("year", ">=", 2020))),
    );
    await assertFails(getDocs(query(collection(db, "reports"), where("owner", "==", "ann"))));
  });
});

describe("grammar Google's tools accept", () => {
  it("a file-scope function and allows without ';' load and are enforced", async () => {
    const { doc, getDoc } = await import("firebase/firestore");
    await assertSucceeds(getDoc(doc(h.env.authenticatedContext("ann").firestore(), "tickets/t1")));
    await assertFails(getDoc(doc(h.env.unauthenticatedContext().firestore(), "tickets/t1")));
  });
});

describe("rule coverage endpoints", () => {
  it("`:ruleCoverage` reports each condition's outcomes from the requests above; `.html` is a page", async () => {
    const base = `http://${h.host}:${h.port}/emulator/v1/projects/${h.projectId}:ruleCoverage`;
    const res = await fetch(base);
    expect(res.status).toBe(200);
    const report = (await res.json()) as RuleCoverageReport;
    expect(report.rules.files[0]!.content).toBe(RULES);
    const listRule = report.report.find((n) => n.sourcePosition.line === 8)!;
    const counts = Object.fromEntries(
      listRule.values.map((v) => [JSON.stringify(v.value ?? v.error), v.count]),
    );
    expect(counts['{"boolValue":true}']).toBeGreaterThanOrEqual(3);
    expect(counts['{"boolValue":false}'] ?? 0).toBeGreaterThanOrEqual(1);
    const page = await fetch(`${base}.html`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("&#39;organization&#39; in resource.data");
    expect(html).toContain('<tr class="seen"');
    expect(
      (await fetch(`http://${h.host}:${h.port}/emulator/v1/projects/no-rules-here:ruleCoverage`)).status,
    ).toBe(404);
  });
});
