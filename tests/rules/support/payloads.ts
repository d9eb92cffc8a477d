import { serverTimestamp } from "firebase/firestore";

/** A project exactly as a frontend creates it: the caller as creator, server time for both timestamps. */
export function newProject(createdBy: string, overrides: Record<string, unknown> = {}) {
  return {
    name: "New project",
    description: "made in a test",
    status: "active",
    createdBy,
    createdAt: serverTimestamp(),
    updatedAt: serverTimestamp(),
    ...overrides,
  };
}

/** A project update as a frontend sends it: changed fields plus server time in updatedAt. */
export function projectChange(fields: Record<string, unknown> = { name: "Renamed" }) {
  return { ...fields, updatedAt: serverTimestamp() };
}
