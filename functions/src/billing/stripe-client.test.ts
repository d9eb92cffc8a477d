import { afterEach, describe, expect, test } from "vitest";
import { AppError } from "../lib/errors.js";
import { stripe } from "./stripe-client.js";

const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
});

function configure(project: string, apiBase: string) {
  process.env.GCLOUD_PROJECT = project;
  process.env.STRIPE_SECRET_KEY = "sk_test_unit";
  process.env.STRIPE_API_BASE = apiBase;
  delete process.env.FUNCTIONS_EMULATOR;
}

describe("stripe()", () => {
  test("a real project never gets a client pointed away from api.stripe.com", () => {
    configure("acme-prod", "http://127.0.0.1:12111");
    const err = (() => {
      try {
        stripe();
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "failed-precondition", details: { settings: ["STRIPE_API_BASE"] } });
  });

  test("a real project with the default base, and a demo project with the local fake, get a client", () => {
    configure("acme-prod", "");
    expect(stripe().getApiField("host")).toBe("api.stripe.com");
    configure("demo-hearth", "http://127.0.0.1:12111");
    expect(stripe().getApiField("host")).toBe("127.0.0.1");
  });
});
