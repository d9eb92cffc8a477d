import { describe, expect, it } from "vitest";
import { principalFromHeader } from "./token.js";

const jwt = (payload: object) =>
  `${Buffer.from('{"alg":"none","type":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.`;

describe("principalFromHeader", () => {
  it("treats Bearer owner as the admin bypass", () => {
    expect(principalFromHeader("Bearer owner")).toEqual({ owner: true });
  });

  it("decodes unsigned emulator tokens into request.auth without checking signature or expiry", () => {
    const token = jwt({ sub: "alice", user_id: "alice", exp: 3600, email: "a@x.test" });
    expect(principalFromHeader(`Bearer ${token}`)).toEqual({
      owner: false,
      auth: { uid: "alice", token: { sub: "alice", user_id: "alice", exp: 3600, email: "a@x.test" } },
    });
  });

  it("treats missing or unreadable tokens as unauthenticated", () => {
    expect(principalFromHeader(undefined)).toEqual({ owner: false, auth: null });
    expect(principalFromHeader("Bearer not-a-jwt")).toEqual({ owner: false, auth: null });
    expect(principalFromHeader(`Bearer ${jwt({ name: "no subject" })}`)).toEqual({
      owner: false,
      auth: null,
    });
    expect(principalFromHeader("Basic abc")).toEqual({ owner: false, auth: null });
  });
});
