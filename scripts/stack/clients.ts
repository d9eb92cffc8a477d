/** Small HTTP clients for the local stack: the Auth emulator's REST API and callables over HTTP. */

export class CallableError extends Error {
  constructor(
    readonly status: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}

export function authClient(origin: string, projectId: string) {
  const base = `${origin}/identitytoolkit.googleapis.com/v1`;
  const post = async (url: string, body: unknown, admin: boolean) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(admin ? { authorization: "Bearer owner" } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`Auth emulator: ${JSON.stringify(json.error ?? json)}`);
    return json;
  };
  return {
    /** Creates a user as an administrator would (verified email, chosen uid). */
    createUser: (user: { uid: string; email: string; password: string; displayName: string }) =>
      post(
        `${base}/projects/${projectId}/accounts`,
        {
          localId: user.uid,
          email: user.email,
          password: user.password,
          displayName: user.displayName,
          emailVerified: true,
        },
        true,
      ),
    /** Signs in with email and password; returns an ID token. */
    signIn: async (email: string, password: string) => {
      const json = await post(
        `${base}/accounts:signInWithPassword?key=demo-api-key`,
        { email, password, returnSecureToken: true },
        false,
      );
      return json.idToken as string;
    },
  };
}

/** Calls a callable function with the callable protocol, as the Firebase SDK's httpsCallable does. */
export async function callFunction<T>(
  functionsOrigin: string,
  projectId: string,
  name: string,
  data: unknown,
  idToken?: string,
): Promise<T> {
  const res = await fetch(`${functionsOrigin}/${projectId}/us-central1/${name}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(idToken ? { authorization: `Bearer ${idToken}` } : {}),
    },
    body: JSON.stringify({ data }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    result?: T;
    error?: { status: string; message: string; details?: unknown };
  };
  if (body.error || !res.ok) {
    const e = body.error ?? { status: `HTTP_${res.status}`, message: res.statusText };
    throw new CallableError(e.status, `${name}: ${e.status} ${e.message}`, e.details);
  }
  return body.result as T;
}
