/**
 * HTTP side of model downloads: the Hub's `resolve` URL, a GET that follows redirects by
 * hand (so the Hub's `X-Linked-Size` / `X-Linked-Etag` headers on the redirect are not
 * lost, and the token is never sent to another origin such as the CDN), reading size and
 * sha256 from headers, and turning failures into {@link DownloadError}s with messages
 * that say what to do.
 */
import { DownloadError } from "./errors.ts";
import { formatBytes } from "./format.ts";
import type { RemoteSource } from "./model-spec.ts";

/** The public Hugging Face Hub. */
export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

/** Redirect hops we follow before giving up (the Hub uses one or two). */
const MAX_REDIRECTS = 10;

/** The URL of a file on the Hub: `<endpoint>/<repo>/resolve/<revision>/<file>`. */
export function resolveUrl(source: RemoteSource, endpoint: string = DEFAULT_HF_ENDPOINT): string {
  const encodePath = (p: string) => p.split("/").map(encodeURIComponent).join("/");
  // The revision is one path segment: `refs/pr/1` must become `refs%2Fpr%2F1`.
  return `${endpoint.replace(/\/+$/, "")}/${encodePath(source.repo)}/resolve/${encodeURIComponent(source.revision)}/${encodePath(source.file)}`;
}

/** What the response headers tell about the remote file. */
export interface RemoteInfo {
  /** The sha256 of the whole file, when the server published one. */
  sha256?: string;
  /** An identifier of the file's version (sha256, else ETag). */
  version?: string;
  /** Size of the whole file in bytes. */
  size?: number;
}

/** Options of {@link hubGet}. */
export interface HubGetOptions {
  /** `fetch` implementation. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Sent as `Authorization: Bearer` to the origin of `url` only. */
  token?: string;
  /** Cancels the request (and the body stream). */
  signal?: AbortSignal;
}

/**
 * GETs `url` (with `Range: bytes=<from>-` when `from` > 0), following redirects by hand,
 * and turns error statuses into {@link DownloadError}s (`unauthorized`, `not_found`,
 * `http_error`, `offline`, `aborted`, `too_many_redirects`). A 416 is returned to the
 * caller when resuming, since it may mean "you already have every byte".
 *
 * @returns the final response (body unread) and what its headers say about the file.
 */
export async function hubGet(
  url: string,
  from: number,
  source: RemoteSource,
  options: HubGetOptions,
): Promise<{ response: Response; remote: RemoteInfo }> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const origin = new URL(url).origin;
  const label = `${source.repo}/${source.file}`;
  let linkedSize: string | null = null;
  let linkedEtag: string | null = null;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // identity: a transparently decompressed body would not match the announced size.
    const headers: Record<string, string> = { "accept-encoding": "identity", "user-agent": "sputnik" };
    if (from > 0) headers.range = `bytes=${from}-`;
    if (options.token && new URL(current).origin === origin) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await doFetch(current, { headers, redirect: "manual", signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw abortedError(label, from);
      throw offlineError(url, current, error);
    }
    linkedSize ??= response.headers.get("x-linked-size");
    linkedEtag ??= response.headers.get("x-linked-etag");
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => {});
      current = new URL(location, current).toString();
      continue;
    }

    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel().catch(() => {});
      throw new DownloadError(
        "unauthorized",
        `Access to ${source.repo} was denied (HTTP ${response.status}). The repository may not exist, or it is ` +
          "gated or private: accept its terms on its Hugging Face page and set a Hugging Face access token " +
          `(https://huggingface.co/settings/tokens)${options.token ? "; the token that was sent was not accepted" : ""}.`,
        { status: response.status, url },
      );
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => {});
      throw new DownloadError(
        "not_found",
        `File "${source.file}" was not found in repository ${source.repo} at revision "${source.revision}" ` +
          `(HTTP 404 from ${url}). Check the repository, file and revision names.`,
        { status: 404, url },
      );
    }
    if (!response.ok && !(response.status === 416 && from > 0)) {
      throw await unexpectedStatus(response, url, label);
    }
    return { response, remote: describeRemote(response, linkedSize, linkedEtag) };
  }
  throw new DownloadError("too_many_redirects", `Too many redirects while downloading ${label} from ${url}.`, { url });
}

/** Reads the file's size, sha256 and version from the Hub's and the final response's headers. */
function describeRemote(response: Response, linkedSize: string | null, linkedEtag: string | null): RemoteInfo {
  const etag = normalizeEtag(linkedEtag) ?? normalizeEtag(response.headers.get("etag"));
  const sha256 = [linkedEtag, response.headers.get("etag")].map(normalizeEtag).find((e) => e && /^[0-9a-f]{64}$/.test(e));
  let size = parseSize(linkedSize);
  if (size === undefined) {
    if (response.status === 200) size = parseSize(response.headers.get("content-length"));
    else size = parseContentRange(response.headers.get("content-range"))?.total;
  }
  return { sha256, version: sha256 ?? etag, size };
}

/** `"abc"`, `W/"abc"` → `abc` (lower-cased when it is hex, so digests compare equal). */
function normalizeEtag(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const bare = value.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1").trim();
  if (bare === "") return undefined;
  return /^[0-9a-fA-F]+$/.test(bare) ? bare.toLowerCase() : bare;
}

function parseSize(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Parses a Content-Range header: `bytes 100-199/200` and, in 416 answers, `bytes <star>/200`. */
export function parseContentRange(value: string | null): { start?: number; total?: number } | undefined {
  const m = value?.trim().match(/^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i);
  if (!m) return undefined;
  return { start: m[1] !== undefined ? Number(m[1]) : undefined, total: m[2] === "*" ? undefined : Number(m[2]) };
}

/** An `http_error` for a status we have no specific advice for, quoting the start of the body. */
export async function unexpectedStatus(response: Response, url: string, label: string): Promise<DownloadError> {
  const text = (await response.text().catch(() => "")).slice(0, 200).trim();
  return new DownloadError(
    "http_error",
    `Download of ${label} failed: HTTP ${response.status} ${response.statusText} from ${url}${text ? `: ${text}` : ""}.`,
    { status: response.status, url },
  );
}

/** `url`: what was asked for; `failed`: the hop that could not be reached (may be the CDN). */
function offlineError(url: string, failed: string, error: unknown): DownloadError {
  return new DownloadError(
    "offline",
    `Could not connect to ${new URL(failed).origin} (${describeCause(error)}). You appear to be offline, or the ` +
      "endpoint is unreachable. To serve a model file you already have, run: " +
      "sputnik serve --model NAME=/path/to/model.gguf",
    { cause: error, url },
  );
}

/** The `aborted` error; `have` is the number of bytes on disk. */
export function abortedError(label: string, have: number): DownloadError {
  return new DownloadError(
    "aborted",
    `Download of ${label} was cancelled${have > 0 ? ` after ${formatBytes(have)}` : ""}. ` +
      "The partial file was kept: re-run the command to resume.",
  );
}

/** The most specific text of an error chain: `ECONNREFUSED`, `other side closed`… */
export function describeCause(error: unknown): string {
  let current: unknown = error;
  let text = "unknown error";
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    text = code && !/^UND_ERR/.test(code) ? code : current.message || text;
    current = current.cause;
  }
  return text;
}

