import { describe, expect, it } from "vitest";
import { type CheckedSettings, isLocal, misconfigurations } from "./production-config.js";

const real = { projectId: "acme-prod", emulated: false };

/** What `npm start` writes to functions/.env.local (scripts/stack/functions-env.ts). */
const LOCAL: CheckedSettings = {
  AI_PROVIDER: "fake",
  APP_URL: "http://localhost:5173",
  STRIPE_API_BASE: "http://127.0.0.1:12111",
  STRIPE_PRICE_PRO: "price_local_pro",
  STRIPE_PRICE_TEAM: "price_local_team",
};

const PRODUCTION: CheckedSettings = {
  AI_PROVIDER: "live",
  APP_URL: "https://app.acme.com",
  STRIPE_API_BASE: "",
  STRIPE_PRICE_PRO: "price_1PqRsTuVwXyZ",
  STRIPE_PRICE_TEAM: "price_1AbCdEfGhIjK",
};

const settingsOf = (settings: CheckedSettings) =>
  misconfigurations(real, settings).map((problem) => problem.setting);

describe("isLocal", () => {
  it("demo-* projects and the emulator are local; any other project is real", () => {
    expect(isLocal({ projectId: "demo-hearth", emulated: false })).toBe(true);
    expect(isLocal({ projectId: "acme-prod", emulated: true })).toBe(true);
    expect(isLocal(real)).toBe(false);
    // A project id merely containing "demo" is a real project.
    expect(isLocal({ projectId: "acme-demo-1", emulated: false })).toBe(false);
    // No project id is no evidence of a local run.
    expect(isLocal({ projectId: "", emulated: false })).toBe(false);
  });
});

describe("misconfigurations", () => {
  it("a demo project or the emulator may run with the local fakes", () => {
    expect(misconfigurations({ projectId: "demo-hearth", emulated: false }, LOCAL)).toEqual([]);
    expect(misconfigurations({ projectId: "acme-prod", emulated: true }, LOCAL)).toEqual([]);
  });

  it("a real project with production values passes", () => {
    expect(misconfigurations(real, PRODUCTION)).toEqual([]);
    expect(misconfigurations(real, { ...PRODUCTION, APP_URL: "https://acme.com/app/" })).toEqual([]);
  });

  it("a real project with the local values is refused for each of them", () => {
    expect(settingsOf(LOCAL)).toEqual(["AI_PROVIDER", "APP_URL", "STRIPE_API_BASE"]);
  });

  it("the fake provider, or any provider but live, names AI_PROVIDER", () => {
    expect(misconfigurations(real, { AI_PROVIDER: "fake" })).toEqual([
      {
        setting: "AI_PROVIDER",
        problem: 'is "fake"; set it to live (the fake provider serves demo projects and the emulator only)',
      },
    ]);
    expect(settingsOf({ AI_PROVIDER: "" })).toEqual(["AI_PROVIDER"]);
    expect(settingsOf({ AI_PROVIDER: "Live" })).toEqual(["AI_PROVIDER"]);
  });

  it.each([
    ["http://localhost:5173", "an address on the local machine"],
    ["https://localhost", "an address on the local machine"],
    ["https://app.localhost", "an address on the local machine"],
    ["http://127.0.0.1:5173", "an address on the local machine"],
    ["https://127.1.2.3", "an address on the local machine"],
    ["https://[::1]:8443", "an address on the local machine"],
    ["http://0.0.0.0", "an address on the local machine"],
    ["http://app.acme.com", "not https"],
    ["app.acme.com", "not a URL"],
  ])("APP_URL %s is refused: %s", (value, why) => {
    const [problem] = misconfigurations(real, { APP_URL: value });
    expect(problem).toEqual({
      setting: "APP_URL",
      problem: `is "${value}", ${why}; set it to the public https URL of the frontend`,
    });
  });

  it("an empty APP_URL is refused", () => {
    expect(misconfigurations(real, { APP_URL: "" })).toEqual([
      { setting: "APP_URL", problem: "is empty; set it to the public https URL of the frontend" },
    ]);
  });

  it("an empty or malformed Stripe price names the plan's setting", () => {
    expect(misconfigurations(real, { STRIPE_PRICE_PRO: "", STRIPE_PRICE_TEAM: "team" })).toEqual([
      {
        setting: "STRIPE_PRICE_PRO",
        problem: "is empty; set it to the Stripe price id (price_...) of the Pro plan",
      },
      {
        setting: "STRIPE_PRICE_TEAM",
        problem:
          'is "team", not a Stripe price id; set it to the Stripe price id (price_...) of the Team plan',
      },
    ]);
    expect(settingsOf({ STRIPE_PRICE_PRO: "prod_1PqRsT" })).toEqual(["STRIPE_PRICE_PRO"]);
  });

  it("STRIPE_API_BASE must stay empty, whatever it points at", () => {
    expect(settingsOf({ STRIPE_API_BASE: "http://127.0.0.1:12111" })).toEqual(["STRIPE_API_BASE"]);
    expect(settingsOf({ STRIPE_API_BASE: "https://stripe-proxy.acme.com" })).toEqual(["STRIPE_API_BASE"]);
  });

  it("checks only the settings it is given", () => {
    expect(misconfigurations(real, {})).toEqual([]);
    expect(settingsOf({ APP_URL: "https://app.acme.com", STRIPE_PRICE_TEAM: "" })).toEqual([
      "STRIPE_PRICE_TEAM",
    ]);
  });
});
