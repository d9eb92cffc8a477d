/** Firestore's documented per-request limits for rules evaluation. */

/** get/exists/getAfter/existsAfter calls for a single-document request or a query. */
export const MAX_DOCUMENT_ACCESS_SINGLE = 10;
/** The same calls across a batched write or transaction (each write is still held to the single limit). */
export const MAX_DOCUMENT_ACCESS_BATCH = 20;
/** Nested function calls. */
export const MAX_CALL_DEPTH = 20;
/** Parameters of one function. */
export const MAX_FUNCTION_ARGS = 7;
/** `let` bindings in one function. */
export const MAX_LET_BINDINGS = 10;
/** Expressions evaluated for one request. */
export const MAX_EXPRESSIONS = 1000;
/** Alternatives a query's `in`/OR constraints may expand into before the query is refused as too broad. */
export const MAX_QUERY_CASES = 64;
/** Size of a rules file's source. */
export const MAX_RULESET_BYTES = 256 * 1024;
