/** What every data-plane operation needs: the state, the caller, the rules gate and the clock. */
import type { Principal } from "../auth/token.js";
import type { Clock } from "../shared/clock.js";
import type { SecurityGate } from "../shared/security.js";
import type { Databases } from "../store/databases.js";

export interface ServiceDeps {
  databases: Databases;
  clock: Clock;
  /** The gate for a project, or null when no rules are loaded for it (everything is allowed). */
  gate: (project: string) => SecurityGate | null;
}

export interface CallContext extends ServiceDeps {
  principal: Principal;
  /** Aborted when the caller goes away (a cancelled call, a closed stream): lock waits stop. */
  signal?: AbortSignal;
}
