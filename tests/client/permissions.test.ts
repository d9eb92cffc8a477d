import { can, type Permission, ROLES, type Role } from "@hearth/client";
import { describe, expect, it } from "vitest";
import {
  changeRoleRefusal,
  deleteOrgRefusal,
  inviteRefusal,
  removeRefusal,
  transferRefusal,
} from "../../functions/src/orgs/roles.js";

/** What the callables' own decisions (functions/src/orgs/roles.ts) allow a role on someone else. */
const decided: Partial<Record<Permission, (role: Role) => boolean>> = {
  manageMembers: (role) =>
    inviteRefusal(role, "member") === null &&
    removeRefusal({ uid: "a", role }, { uid: "b", role: "viewer" }) === null &&
    changeRoleRefusal({ uid: "a", role }, { uid: "b", role: "viewer" }, "member") === null,
  manageAdmins: (role) =>
    inviteRefusal(role, "admin") === null &&
    removeRefusal({ uid: "a", role }, { uid: "b", role: "admin" }) === null &&
    changeRoleRefusal({ uid: "a", role }, { uid: "b", role: "member" }, "admin") === null,
  transferOwnership: (role) => transferRefusal({ uid: "a", role }, "b") === null,
  deleteOrg: (role) => deleteOrgRefusal(role) === null,
};

describe("the role matrix as data", () => {
  it.each(Object.entries(decided))(
    "%s agrees with the callables' decisions for every role",
    (action, allowed) => {
      for (const role of ROLES) expect(can(role, action as Permission), role).toBe(allowed!(role));
    },
  );
});
