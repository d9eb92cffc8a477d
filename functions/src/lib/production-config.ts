/**
 * Which setting values a real project may run with. Demo projects (`demo-*`) never reach Google's services
 * and the Functions emulator runs on the developer's machine, so the local fakes are fine there. Anywhere
 * else a fake AI provider, a URL on the local machine or an empty Stripe price would fail customers
 * quietly, so callers refuse with the settings this names. Pure: lib/production-guard.ts reads the values.
 */

/** Where the code runs. */
export interface Deployment {
  projectId: string;
  /** True inside firebase-tools' Functions emulator (it sets FUNCTIONS_EMULATOR). */
  emulated: boolean;
}

/** The settings with a local value that must not reach a real project, by param name. */
export const CHECKED_SETTINGS = [
  "AI_PROVIDER",
  "APP_URL",
  "STRIPE_API_BASE",
  "STRIPE_PRICE_PRO",
  "STRIPE_PRICE_TEAM",
] as const;

export type CheckedSetting = (typeof CHECKED_SETTINGS)[number];

export type CheckedSettings = Partial<Record<CheckedSetting, string>>;

export interface Misconfiguration {
  setting: CheckedSetting;
  /** Completes a sentence that starts with the setting's name: `APP_URL is empty; set it to ...`. */
  problem: string;
}

export function isLocal(deployment: Deployment): boolean {
  return deployment.emulated || deployment.projectId.startsWith("demo-");
}

/** localhost, *.localhost, 127.0.0.0/8, ::1 and 0.0.0.0: addresses that only reach the machine itself. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === "::1" ||
    host === "0.0.0.0"
  );
}

function publicHttpsUrl(value: string, what: string): string | undefined {
  if (value === "") return `is empty; set it to ${what}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is "${value}", not a URL; set it to ${what}`;
  }
  if (isLoopback(url.hostname)) return `is "${value}", an address on the local machine; set it to ${what}`;
  if (url.protocol !== "https:") return `is "${value}", not https; set it to ${what}`;
  return undefined;
}

function stripePrice(plan: string) {
  const what = `the Stripe price id (price_...) of the ${plan} plan`;
  return (value: string): string | undefined => {
    if (value === "") return `is empty; set it to ${what}`;
    if (!/^price_\w+$/.test(value)) return `is "${value}", not a Stripe price id; set it to ${what}`;
    return undefined;
  };
}

const RULES: Record<CheckedSetting, (value: string) => string | undefined> = {
  AI_PROVIDER: (value) =>
    value === "live"
      ? undefined
      : `is "${value}"; set it to live (the fake provider serves demo projects and the emulator only)`,
  APP_URL: (value) => publicHttpsUrl(value, "the public https URL of the frontend"),
  // Empty means api.stripe.com; any other value points the SDK elsewhere (the local fake).
  STRIPE_API_BASE: (value) =>
    value === "" ? undefined : `is "${value}"; leave it empty so the Stripe SDK calls api.stripe.com`,
  STRIPE_PRICE_PRO: stripePrice("Pro"),
  STRIPE_PRICE_TEAM: stripePrice("Team"),
};

/** The given settings a real project must not run with; none for a demo project or the emulator. */
export function misconfigurations(deployment: Deployment, settings: CheckedSettings): Misconfiguration[] {
  if (isLocal(deployment)) return [];
  return (Object.keys(settings) as CheckedSetting[]).flatMap((setting) => {
    const problem = RULES[setting](settings[setting] ?? "");
    return problem === undefined ? [] : [{ setting, problem }];
  });
}

/** What LOCAL_PLAN_LIMITS may say: "" (the plans' own limits) or "small" (every limit reached in seconds). */
export type PlanLimits = "plans" | "small";

/**
 * Which limits apply for a LOCAL_PLAN_LIMITS value, and why a value was ignored: a real project always
 * keeps its plans' limits (tiny caps there would fail customers), and an unknown value changes nothing.
 */
export function planLimits(deployment: Deployment, value: string): { limits: PlanLimits; ignored?: string } {
  if (value === "") return { limits: "plans" };
  if (value !== "small") return { limits: "plans", ignored: `is "${value}"; use small, or leave it empty` };
  if (!isLocal(deployment)) {
    return {
      limits: "plans",
      ignored: `is "${value}"; small limits serve demo projects and the emulator only`,
    };
  }
  return { limits: "small" };
}
