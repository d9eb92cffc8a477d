/**
 * Limits shared by the zod schemas and the Security Rules. firestore.rules and storage.rules cannot import
 * them, so tests/rules pins each rule boundary to these constants.
 */
export const LIMITS = {
  orgNameMax: 100,
  orgSettingsMaxKeys: 20,
  orgSettingKeyMax: 100,
  orgSettingStringMax: 500,
  projectNameMax: 100,
  projectDescriptionMax: 2000,
  displayNameMax: 100,
  photoUrlMax: 2048,
  /** Largest upload storage.rules accepts: 25 MiB. */
  fileMaxBytes: 25 * 1024 * 1024,
} as const;

/** Content types storage.rules accepts for uploads under orgs/{orgId}/files/. */
export const ALLOWED_FILE_CONTENT_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
  "text/csv",
  "application/json",
] as const;
