import { describe, expect, it } from "vitest";
import { matchPattern } from "./pattern.js";

describe("matchPattern", () => {
  it("matches single-segment wildcards and literal segments", () => {
    expect(matchPattern("users/{uid}", "users/alice")).toEqual({ uid: "alice" });
    expect(matchPattern("users/{uid}", "orgs/alice")).toBeNull();
    expect(matchPattern("users/{uid}", "users/alice/posts/p")).toBeNull();
    expect(matchPattern("orgs/{org}/members/{uid}", "orgs/o/members/m")).toEqual({ org: "o", uid: "m" });
  });

  it("matches multi-segment wildcards", () => {
    expect(matchPattern("orgs/{org}/{rest=**}", "orgs/o/projects/p")).toEqual({
      org: "o",
      rest: "projects/p",
    });
    expect(matchPattern("orgs/{org}/{rest=**}", "orgs/o")).toBeNull();
  });
});
