import { LIMITS } from "@hearth/schema";
import { describe, expect, it } from "vitest";
import { PLANS } from "../billing/plans.js";
import { admitFile, NO_USAGE, releaseFile } from "./quota.js";

const limits = { storageBytes: 1000, files: 3, fileMaxBytes: 400 };

describe("admitFile", () => {
  it("admits up to each limit exactly, and refuses one past it", () => {
    expect(admitFile(limits, NO_USAGE, 400, null)).toEqual({
      ok: true,
      usage: { storageBytes: 400, files: 1 },
    });
    expect(admitFile(limits, NO_USAGE, 401, null)).toEqual({ ok: false, reason: "file-too-large" });
    expect(admitFile(limits, { storageBytes: 600, files: 1 }, 400, null)).toMatchObject({ ok: true });
    expect(admitFile(limits, { storageBytes: 601, files: 1 }, 400, null)).toEqual({
      ok: false,
      reason: "storage-full",
    });
    expect(admitFile(limits, { storageBytes: 0, files: 2 }, 0, null)).toMatchObject({ ok: true });
    expect(admitFile(limits, { storageBytes: 0, files: 3 }, 0, null)).toEqual({
      ok: false,
      reason: "too-many-files",
    });
  });

  it("an overwrite frees the replaced object's bytes and keeps the file count", () => {
    expect(admitFile(limits, { storageBytes: 1000, files: 3 }, 300, 300)).toEqual({
      ok: true,
      usage: { storageBytes: 1000, files: 3 },
    });
    expect(admitFile(limits, { storageBytes: 1000, files: 3 }, 301, 300)).toEqual({
      ok: false,
      reason: "storage-full",
    });
  });

  it("an org over its limits after a downgrade may still shrink, never grow", () => {
    const over = { storageBytes: 5000, files: 9 };
    expect(admitFile(limits, over, 100, 200)).toEqual({ ok: true, usage: { storageBytes: 4900, files: 9 } });
    expect(admitFile(limits, over, 1, null)).toEqual({ ok: false, reason: "storage-full" });
  });
});

describe("releaseFile", () => {
  it("subtracts the file and never goes below zero", () => {
    expect(releaseFile({ storageBytes: 700, files: 2 }, 300)).toEqual({ storageBytes: 400, files: 1 });
    expect(releaseFile(NO_USAGE, 300)).toEqual(NO_USAGE);
  });
});

describe("plans", () => {
  it("no plan allows a file larger than storage.rules' ceiling, and the limits grow with the plan", () => {
    for (const plan of Object.values(PLANS)) {
      expect(plan.entitlements.fileMaxBytes).toBeLessThanOrEqual(LIMITS.fileMaxBytes);
      expect(plan.entitlements.fileMaxBytes).toBeLessThanOrEqual(plan.entitlements.storageBytes);
    }
    const [free, pro, team] = [PLANS.free, PLANS.pro, PLANS.team].map((p) => p.entitlements);
    expect(free!.storageBytes).toBeLessThan(pro!.storageBytes);
    expect(pro!.storageBytes).toBeLessThan(team!.storageBytes);
    expect(free!.files).toBeLessThan(pro!.files);
    expect(pro!.files).toBeLessThan(team!.files);
  });
});
