import { ROLES, type Role } from "@hearth/schema";
import { describe, expect, it } from "vitest";
import {
  changeRoleRefusal,
  deleteOrgRefusal,
  inviteRefusal,
  leaveRefusal,
  removeRefusal,
  successor,
  transferRefusal,
} from "./roles.js";

const as = (role: Role, uid = `${role}-uid`) => ({ uid, role });

describe("inviteRefusal", () => {
  it("invite: the owner may grant admin, member and viewer", () => {
    expect(inviteRefusal("owner", "admin")).toBeNull();
    expect(inviteRefusal("owner", "member")).toBeNull();
    expect(inviteRefusal("owner", "viewer")).toBeNull();
  });
  it("invite: an admin may grant member and viewer but not admin", () => {
    expect(inviteRefusal("admin", "member")).toBeNull();
    expect(inviteRefusal("admin", "viewer")).toBeNull();
    expect(inviteRefusal("admin", "admin")).toBe("grant-admin");
  });
  it("invite: members and viewers may not invite at all", () => {
    for (const role of ["member", "viewer"] as const) {
      expect(inviteRefusal(role, "viewer")).toBe("role");
      expect(inviteRefusal(role, "admin")).toBe("role");
    }
  });
});

describe("changeRoleRefusal", () => {
  it("changeRole: nobody changes their own role, whatever it is", () => {
    for (const role of ["owner", "admin"] as const) {
      expect(changeRoleRefusal(as(role, "me"), as(role, "me"), "admin")).toBe("self");
      expect(changeRoleRefusal(as(role, "me"), as(role, "me"), "viewer")).toBe("self");
    }
  });
  it("changeRole: the owner's role never changes through it (ownership moves by transfer)", () => {
    expect(changeRoleRefusal(as("admin"), as("owner"), "viewer")).toBe("target-owner");
  });
  it("changeRole: an admin cannot touch another admin nor grant admin", () => {
    expect(changeRoleRefusal(as("admin", "a1"), as("admin", "a2"), "member")).toBe("target-admin");
    expect(changeRoleRefusal(as("admin"), as("member"), "admin")).toBe("grant-admin");
    expect(changeRoleRefusal(as("admin"), as("viewer"), "admin")).toBe("grant-admin");
  });
  it("changeRole: an admin moves members and viewers between member and viewer", () => {
    expect(changeRoleRefusal(as("admin"), as("member"), "viewer")).toBeNull();
    expect(changeRoleRefusal(as("admin"), as("viewer"), "member")).toBeNull();
  });
  it("changeRole: the owner may make and unmake admins", () => {
    expect(changeRoleRefusal(as("owner"), as("member"), "admin")).toBeNull();
    expect(changeRoleRefusal(as("owner"), as("admin"), "viewer")).toBeNull();
  });
  it("changeRole: members and viewers are refused for every target", () => {
    for (const actor of ["member", "viewer"] as const) {
      for (const target of ROLES) {
        expect(changeRoleRefusal(as(actor, "x"), as(target, "y"), "viewer")).toBe("role");
      }
    }
  });
});

describe("removeRefusal", () => {
  it("remove: the owner can never be removed (the last owner stays)", () => {
    expect(removeRefusal(as("admin"), as("owner"))).toBe("target-owner");
  });
  it("remove: nobody removes themselves (that is leaveOrg)", () => {
    expect(removeRefusal(as("owner", "me"), as("owner", "me"))).toBe("self");
    expect(removeRefusal(as("admin", "me"), as("admin", "me"))).toBe("self");
  });
  it("remove: admins remove members and viewers, not admins", () => {
    expect(removeRefusal(as("admin"), as("member"))).toBeNull();
    expect(removeRefusal(as("admin"), as("viewer"))).toBeNull();
    expect(removeRefusal(as("admin", "a1"), as("admin", "a2"))).toBe("target-admin");
  });
  it("remove: the owner removes admins", () => {
    expect(removeRefusal(as("owner"), as("admin"))).toBeNull();
  });
  it("remove: members and viewers cannot remove anyone", () => {
    expect(removeRefusal(as("member", "m1"), as("viewer", "v1"))).toBe("role");
    expect(removeRefusal(as("viewer", "v1"), as("viewer", "v2"))).toBe("role");
  });
});

describe("leave, transfer, delete", () => {
  it("leave: everyone but the owner may leave", () => {
    expect(leaveRefusal("owner")).toBe("owner-cannot-leave");
    expect(leaveRefusal("admin")).toBeNull();
    expect(leaveRefusal("viewer")).toBeNull();
  });
  it("transfer: only the owner, and only to someone else", () => {
    expect(transferRefusal(as("owner", "me"), "you")).toBeNull();
    expect(transferRefusal(as("owner", "me"), "me")).toBe("self");
    expect(transferRefusal(as("admin", "me"), "you")).toBe("not-owner");
  });
  it("deleteOrg: owner only", () => {
    expect(deleteOrgRefusal("owner")).toBeNull();
    for (const role of ["admin", "member", "viewer"] as const)
      expect(deleteOrgRefusal(role)).toBe("not-owner");
  });
});

describe("successor", () => {
  const m = (uid: string, role: Role, joinedAtMillis: number) => ({ uid, role, joinedAtMillis });
  it("successor: the longest-standing admin wins over earlier members", () => {
    const pick = successor([
      m("v", "viewer", 1),
      m("m", "member", 2),
      m("a2", "admin", 9),
      m("a1", "admin", 5),
    ]);
    expect(pick?.uid).toBe("a1");
  });
  it("successor: without admins, the longest-standing member, then viewer", () => {
    expect(successor([m("v", "viewer", 1), m("m2", "member", 7), m("m1", "member", 3)])?.uid).toBe("m1");
    expect(successor([m("v2", "viewer", 4), m("v1", "viewer", 2)])?.uid).toBe("v1");
  });
  it("successor: nobody left (or only an owner) gives null", () => {
    expect(successor([])).toBeNull();
    expect(successor([m("o", "owner", 1)])).toBeNull();
  });
});
