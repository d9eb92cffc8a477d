/**
 * What the console reads and changes, over the services' own HTTP APIs: Hearth's Firestore (REST, as
 * `owner`, or as a user with that user's emulator ID token so rules apply), the Auth emulator, the fake
 * Stripe and Hearth's Storage emulator (GCS JSON API).
 */
import type { Fields } from "./values.js";

export interface ConsoleTargets {
  projectId: string;
  firestoreOrigin: string;
  authOrigin: string;
  stripeOrigin: string;
  storageOrigin: string;
  storageBucket: string;
  /** The fake Stripe's API key (any `sk_test_` key works). */
  stripeKey: string;
}

/** An error a service answered with, shown to the console user as it is. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
      message = (typeof body.error === "object" ? body.error.message : body.error) ?? body.message ?? text;
    } catch {}
    throw new ServiceError(res.status, message || `HTTP ${res.status}`);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

const json = (body: unknown, authorization?: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
  body: JSON.stringify(body),
});

export interface RestDocument {
  name: string;
  fields?: Fields;
  createTime?: string;
  updateTime?: string;
}

/** Firestore over REST. `token` is `owner` (every document) or a user's ID token (their rules apply). */
export function firestore(t: ConsoleTargets, token = "owner") {
  const database = `projects/${t.projectId}/databases/(default)`;
  const base = `${t.firestoreOrigin}/v1/${database}/documents`;
  const authorization = `Bearer ${token}`;
  const headers = { authorization };
  const enc = (path: string) => path.split("/").map(encodeURIComponent).join("/");
  return {
    /** Prefix of every document name, to show paths relative to the database. */
    documentsRoot: `${database}/documents/`,
    collections: async (docPath = "") => {
      const url = docPath ? `${base}/${enc(docPath)}:listCollectionIds` : `${base}:listCollectionIds`;
      const out = await request<{ collectionIds?: string[] }>(url, json({ pageSize: 300 }, authorization));
      return (out.collectionIds ?? []).sort();
    },
    /** One page of a collection; `showMissing` lists documents that exist only as parents (owner only). */
    list: async (collectionPath: string, pageToken = "") => {
      const query = new URLSearchParams({ pageSize: "100", pageToken });
      if (token === "owner") query.set("showMissing", "true");
      return request<{ documents?: RestDocument[]; nextPageToken?: string }>(
        `${base}/${enc(collectionPath)}?${query}`,
        { headers },
      );
    },
    /** Every document of a collection, page by page (with parents-only documents, as `list`). */
    listAll: async (collectionPath: string) => {
      const all: RestDocument[] = [];
      let pageToken = "";
      do {
        const query = new URLSearchParams({ pageSize: "300", pageToken });
        if (token === "owner") query.set("showMissing", "true");
        const out = await request<{ documents?: RestDocument[]; nextPageToken?: string }>(
          `${base}/${enc(collectionPath)}?${query}`,
          { headers },
        );
        all.push(...(out.documents ?? []));
        pageToken = out.nextPageToken ?? "";
      } while (pageToken);
      return all;
    },
    get: (docPath: string) => request<RestDocument>(`${base}/${enc(docPath)}`, { headers }),
    /** Replaces the whole document (creates it when missing). */
    set: (docPath: string, fields: Fields) =>
      request<RestDocument>(`${base}/${enc(docPath)}`, {
        method: "PATCH",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ fields }),
      }),
    remove: (docPath: string) => request(`${base}/${enc(docPath)}`, { method: "DELETE", headers }),
    /** Newest first by `field`, at most `limit` documents of one collection (or of every one so named). */
    recent: async (collectionId: string, field: string, limit = 100, allDescendants = false) => {
      const rows = await request<{ document?: RestDocument }[]>(
        `${base}:runQuery`,
        json(
          {
            structuredQuery: {
              from: [{ collectionId, allDescendants }],
              orderBy: [{ field: { fieldPath: field }, direction: "DESCENDING" }],
              limit,
            },
          },
          authorization,
        ),
      );
      return rows.flatMap((row) => (row.document ? [row.document] : []));
    },
    coverageUrl: `${t.firestoreOrigin}/emulator/v1/projects/${t.projectId}:ruleCoverage.html`,
  };
}

export interface AuthUser {
  localId: string;
  email?: string;
  emailVerified?: boolean;
  displayName?: string;
  disabled?: boolean;
  createdAt?: string;
  lastLoginAt?: string;
  providerUserInfo?: { providerId: string }[];
}

export interface OobCode {
  email: string;
  requestType: string;
  oobCode: string;
  oobLink: string;
}

export function auth(t: ConsoleTargets) {
  const base = `${t.authOrigin}/identitytoolkit.googleapis.com/v1`;
  const project = `${base}/projects/${t.projectId}`;
  const owner = "Bearer owner";
  return {
    users: async () => {
      const out = await request<{ users?: AuthUser[] }>(`${project}/accounts:batchGet?maxResults=1000`, {
        headers: { authorization: owner },
      });
      return (out.users ?? []).sort((a, b) => (a.email ?? "").localeCompare(b.email ?? ""));
    },
    create: (user: { email: string; password: string; displayName?: string; emailVerified: boolean }) =>
      request<AuthUser>(`${project}/accounts`, json(user, owner)),
    setVerified: (localId: string, emailVerified: boolean) =>
      request(`${project}/accounts:update`, json({ localId, emailVerified }, owner)),
    remove: (localId: string) => request(`${project}/accounts:delete`, json({ localId }, owner)),
    /** Email action links (verification, password reset, sign-in) the emulator "sent". */
    oobCodes: async () => {
      const out = await request<{ oobCodes?: OobCode[] }>(
        `${t.authOrigin}/emulator/v1/projects/${t.projectId}/oobCodes`,
      );
      return out.oobCodes ?? [];
    },
    /**
     * An ID token for `uid`, issued by the Auth emulator as for a real sign-in (its claims: email,
     * email_verified, custom claims): an unsigned custom token, which the emulator accepts.
     */
    idToken: async (uid: string) => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const now = Math.floor(Date.now() / 1000);
      const customToken = `${b64({ alg: "none", typ: "JWT" })}.${b64({
        aud: "https://identitytoolkit.googleapis.com/google.identity.identitytoolkit.v1.IdentityToolkit",
        iat: now,
        exp: now + 3600,
        iss: "hearth-console@local",
        sub: "hearth-console@local",
        uid,
      })}.`;
      const out = await request<{ idToken: string }>(
        `${base}/accounts:signInWithCustomToken?key=demo-api-key`,
        json({ token: customToken, returnSecureToken: true }),
      );
      return out.idToken;
    },
  };
}

export function stripe(t: ConsoleTargets) {
  const headers = { authorization: `Bearer ${t.stripeKey}` };
  return {
    events: async () =>
      (await request<{ events: Record<string, unknown>[] }>(`${t.stripeOrigin}/_fake/events`)).events,
    subscriptions: async () =>
      (
        await request<{ data: Record<string, unknown>[] }>(`${t.stripeOrigin}/v1/subscriptions?status=all`, {
          headers,
        })
      ).data,
    control: (action: string, id: string) =>
      request<{ events?: unknown[] }>(`${t.stripeOrigin}/_fake/control`, json({ action, id })),
  };
}

export interface StorageObject {
  name: string;
  size: string;
  contentType?: string;
  updated?: string;
}

export function storage(t: ConsoleTargets) {
  const bucket = `${t.storageOrigin}/storage/v1/b/${encodeURIComponent(t.storageBucket)}/o`;
  return {
    list: async (prefix = "") => {
      const out = await request<{ items?: StorageObject[] }>(
        `${bucket}?${new URLSearchParams({ prefix, maxResults: "1000" })}`,
      );
      return out.items ?? [];
    },
    download: (name: string) => fetch(`${bucket}/${encodeURIComponent(name)}?alt=media`),
    remove: (name: string) => request(`${bucket}/${encodeURIComponent(name)}`, { method: "DELETE" }),
  };
}
