import type { IncomingHttpHeaders } from "node:http";

/** A tiny method + regex router; handlers return a response description or throw HttpError. */
export interface RouteResponse {
  status: number;
  json?: unknown;
  text?: string;
  html?: string;
}

export interface Route {
  method: string;
  pattern: RegExp;
  handle(
    match: RegExpExecArray,
    body: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
  ): RouteResponse | Promise<RouteResponse>;
}

export function findRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; match: RegExpExecArray } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, match };
  }
  return null;
}
