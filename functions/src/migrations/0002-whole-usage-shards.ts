import { UsageShard } from "@hearth/schema";
import type { Migration } from "./migration.js";

/** Every counter a shard holds (UsageShard's fields); a missing one meant 0. */
const COUNTERS = Object.keys(UsageShard.shape) as (keyof UsageShard)[];

/**
 * A rebalance used to write only the allotment fields on the shards it did not reserve on, so a shard no
 * call had touched yet lacks its counters, and a frontend reading shards through UsageShard is refused.
 * This writes 0 for each missing counter (what a missing one meant); whole shards are left alone.
 */
export const wholeUsageShards: Migration = {
  id: 2,
  name: "whole-usage-shards",
  description: "orgs/{orgId}/usage/{period}/shards/{n} gain every counter they lack, as 0",
  collections: ["shards"],
  step({ path, data }) {
    // Only the usage shards; another collection named `shards` is not this migration's.
    if (!/^orgs\/[^/]+\/usage\/[^/]+\/shards\/[^/]+$/.test(path)) return null;
    const missing = COUNTERS.filter((field) => data[field] === undefined);
    return missing.length === 0 ? null : Object.fromEntries(missing.map((field) => [field, 0]));
  },
};
