/**
 * @module
 * Hearth's typed contract for frontends (web and React Native): callables by name with their inputs,
 * outputs and error reasons, validated document converters and references, path builders, the role matrix
 * as data, and every schema of @hearth/schema (for example `ProjectInput.safeParse(form)`).
 */
export * from "../../schema/src/index.js";
export {
  type AnyCallError,
  type CallError,
  ContractMismatchError,
  call,
  type HearthError,
  isCallError,
  isHearthError,
  type ReasonlessError,
} from "./call.js";
export { converters, DocumentShapeError, refs, validatedConverter } from "./documents.js";
