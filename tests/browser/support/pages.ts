/**
 * Bundles page entries (TypeScript under tests/browser/pages/) with esbuild for the browser, the
 * `firebase` web SDK included from node_modules, and serves them from a local HTTP server:
 * `/<name>.html` loads `/<name>.js` as a module. The pages' origin differs from the emulator's, as a
 * web app's dev server does, so every emulator request is cross-origin.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** `entry` names a file under tests/browser/pages/, or is the URL of a page kept elsewhere (benchmarks). */
export async function bundle(entry: string | URL): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [
      typeof entry === "string"
        ? new URL(`../pages/${entry}`, import.meta.url).pathname
        : fileURLToPath(entry),
    ],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    target: "chrome120",
    minify: true,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

export interface PageServer {
  /** URL of the page named `name`. */
  url(name: string): string;
  close(): Promise<void>;
}

/** Serves each bundle under its name on 127.0.0.1 and a free port. */
export async function servePages(bundles: Record<string, string>): Promise<PageServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const match = /^\/([\w-]+)\.(html|js)$/.exec(path);
    const name = match?.[1];
    const js = name !== undefined ? bundles[name] : undefined;
    if (!match || js === undefined) {
      res.writeHead(path === "/favicon.ico" ? 204 : 404).end();
      return;
    }
    if (match[2] === "js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      res.end(js);
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(
      `<!doctype html><meta charset="utf-8"><title>${name}</title><script type="module" src="/${name}.js"></script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}.html`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
