import { orgFileEntitlements } from "./0001-org-file-entitlements.js";
import { wholeUsageShards } from "./0002-whole-usage-shards.js";
import type { Migration } from "./migration.js";

/**
 * Every migration, in order. A new one gets the next number, its own file `NNNN-name.ts` and a line here;
 * a migration that has shipped is never edited or renumbered (databases record its id as done).
 */
export const MIGRATIONS: readonly Migration[] = [orgFileEntitlements, wholeUsageShards];
