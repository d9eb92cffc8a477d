/**
 * Keeps Google's client libraries from probing the cloud metadata server (a link-local address) to look
 * for credentials: the local stack never uses them. Imported first by every entry point; children
 * inherit the environment.
 */
process.env.METADATA_SERVER_DETECTION = "none";
