// Until jobs/ imports lib/deps.ts directly; removed then.
export { type Deps as OrgDeps, liveDeps } from "../lib/deps.js";
