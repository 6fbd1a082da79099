/**
 * Serves the built web app (`web/dist`, made by `npm run build:web`) at `/`, with the single-page
 * app fallback: a GET for any path outside the API prefixes that is not a file answers
 * `index.html`, so `/c/<id>` survives a reload. The API prefixes keep their own 404s.
 *
 * Mounted before authentication: the app's files hold no data (the app asks for a key itself when
 * the server needs one). Hashed assets are cached for a year; `index.html` is always revalidated.
 */
import type { MiddlewareHandler } from "hono";
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** First path segments that belong to the HTTP API, never to the web app. */
export const API_PREFIXES: ReadonlySet<string> = new Set([
  "v1",
  "beta",
  "api",
  "admin",
  "user",
  "health",
  "metrics",
  "version",
  "evals",
  // DeepSeek-style unversioned routes.
  "models",
  "chat",
  "completions",
]);

/** Where `npm run build:web` writes the app. */
export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL("../../web/dist/", import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/**
 * Everything the app loads comes from this server: no CDN, no third-party fonts or scripts.
 * Inline styles are allowed for KaTeX's and the charts' computed positions.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

export interface WebAppFilesOptions {
  /** The built app. Defaults to `web/dist` in this package. */
  distDir?: string;
}

export function serveWebAppFiles(options: WebAppFilesOptions = {}): MiddlewareHandler {
  const root = path.resolve(options.distDir ?? DEFAULT_WEB_DIST_DIR);
  return async function webAppFiles(c, next) {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const pathname = safeDecode(c.req.path);
    if (pathname === undefined) return next();
    const firstSegment = pathname.split("/")[1] ?? "";
    if (API_PREFIXES.has(firstSegment)) return next();

    const filePath = path.resolve(root, `.${path.posix.normalize(pathname)}`);
    if (filePath !== root && !filePath.startsWith(root + path.sep)) return next();
    const file = await readFileIfExists(filePath);
    if (file) {
      const immutable = pathname.startsWith("/assets/");
      return new Response(c.req.method === "HEAD" ? null : new Uint8Array(file), {
        headers: {
          "Content-Type": CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? "application/octet-stream",
          "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
          "X-Content-Type-Options": "nosniff",
          ...(filePath.endsWith(".html") ? { "Content-Security-Policy": CONTENT_SECURITY_POLICY } : {}),
        },
      });
    }
    // A missing file (`/assets/old-hash.js`, `/favicon.ico`) is a 404, not the app's HTML.
    if (path.posix.extname(pathname) !== "") return next();
    const index = await readFileIfExists(path.join(root, "index.html"));
    const html = index ? new Uint8Array(index) : NOT_BUILT_PAGE;
    return new Response(c.req.method === "HEAD" ? null : html, {
      status: index ? 200 : 503,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
      },
    });
  };
}

const NOT_BUILT_PAGE = new TextEncoder().encode(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sputnik</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f2f2f2;padding:.1em .3em;border-radius:4px}</style>
</head><body>
<h1>Sputnik is running</h1>
<p>The web app has not been built. Run <code>npm run build:web</code> in the Sputnik folder (or <code>npm install</code>, which builds it), then reload this page.</p>
<p>The API is up: <code>/v1/chat/completions</code>, <code>/v1/models</code>, <code>/health</code>.</p>
</body></html>
`);

async function readFileIfExists(filePath: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

function safeDecode(pathname: string): string | undefined {
  try {
    const decoded = decodeURIComponent(pathname);
    return decoded.includes("\0") ? undefined : decoded;
  } catch {
    return undefined;
  }
}
