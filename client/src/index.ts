/**
 * @module
 * Hearth's typed contract for frontends (web and React Native).
 */
export const CONTRACT_VERSION = 1;
