/**
 * Test helper: a local HTTP server that behaves like the Hugging Face Hub's `resolve`
 * endpoint, so download tests run offline on 127.0.0.1.
 *
 * Like the real Hub, `GET /<org>/<repo>/resolve/<rev>/<file>` answers with a 302 to a
 * separate "CDN" server (another port, so another origin) and puts `X-Linked-Size` and
 * `X-Linked-Etag` (the sha256, quoted) on the redirect; the CDN serves the bytes with an
 * unrelated ETag and supports `Range`. Behaviour switches simulate failures.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded request. */
export interface RecordedRequest {
  server: "hub" | "cdn";
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** Switches that change how the next requests are answered. */
export interface MockBehaviour {
  /** `cdn` (default): 302 to the CDN server; `same`: 302 to `/cdn/…` on the hub; `none`: serve directly with a sha256 ETag and no X-Linked-* headers. */
  redirect?: "cdn" | "same" | "none";
  /** Send this many body bytes, then cut the connection (applies to one response, then clears). */
  cutAfterOnce?: number;
  /** Send this many body bytes, then keep the connection open without sending more. */
  stallAfter?: number;
  /** Announce the sha256 of different content. */
  wrongChecksum?: boolean;
  /** Announce this size instead of the real one. */
  announcedSize?: number;
  /** Answer 200 with the whole body even when a Range is requested. */
  ignoreRange?: boolean;
  /** Require `Authorization: Bearer <token>` on the hub (401 otherwise, like a gated repo). */
  requireToken?: string;
}

/** A running mock Hub. */
export interface MockHub {
  /** Base URL to pass as `endpoint`, e.g. `http://127.0.0.1:40123`. */
  endpoint: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Current behaviour; mutate or replace freely. */
  behaviour: MockBehaviour;
  /** Publishes (or replaces) a file at `repo`/`file` for every revision. */
  setFile(repo: string, file: string, body: Buffer): void;
  /** Stops both servers, dropping open connections. */
  close(): Promise<void>;
}

/** sha256 of `data`, lower-case hex. */
export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Starts the hub and CDN servers on 127.0.0.1 with ephemeral ports. */
export async function startMockHub(): Promise<MockHub> {
  const files = new Map<string, Buffer>(); // key: `${repo}/${file}`
  const blobs = new Map<string, Buffer>(); // key: sha256
  const requests: RecordedRequest[] = [];
  const hub: MockHub = {
    endpoint: "",
    requests,
    behaviour: {},
    setFile(repo, file, body) {
      files.set(`${repo}/${file}`, body);
      blobs.set(sha256Hex(body), body);
    },
    close: async () => {
      for (const server of [hubServer, cdnServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };

  const serveBlob = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, headers: http.OutgoingHttpHeaders) => {
    const b = hub.behaviour;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    let start = 0;
    if (range && !b.ignoreRange) {
      start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { ...headers, "content-range": `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        ...headers,
        "content-length": body.length - start,
        "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    } else {
      res.writeHead(200, { ...headers, "content-length": body.length });
    }
    const payload = body.subarray(start);
    if (b.cutAfterOnce !== undefined) {
      const n = b.cutAfterOnce;
      b.cutAfterOnce = undefined;
      // Destroy only once the bytes reached the kernel, so the client reliably gets them.
      res.write(payload.subarray(0, n), () => res.socket?.destroy());
      return;
    }
    if (b.stallAfter !== undefined) {
      res.write(payload.subarray(0, b.stallAfter));
      return;
    }
    res.end(payload);
  };

  const handle = (server: "hub" | "cdn") => (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push({ server, method: req.method ?? "GET", url: req.url ?? "", headers: req.headers });
    const url = new URL(req.url ?? "/", "http://x");
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    if (cdn) {
      const body = blobs.get(cdn[1]);
      if (!body) return void res.writeHead(404).end("no such blob");
      return serveBlob(req, res, body, { etag: `"cdn-${cdn[1].slice(0, 8)}"` });
    }
    if (server === "cdn") return void res.writeHead(404).end();

    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end("Not Found");
    const b = hub.behaviour;
    if (b.requireToken && req.headers.authorization !== `Bearer ${b.requireToken}`) {
      return void res.writeHead(401, { "x-error-code": "GatedRepo" }).end("Access to model is restricted.");
    }
    const body = files.get(`${m[1]}/${decodeURIComponent(m[3])}`);
    if (!body) return void res.writeHead(404, { "x-error-code": "EntryNotFound" }).end("Entry not found");
    const sha = sha256Hex(b.wrongChecksum ? Buffer.concat([body, Buffer.from("x")]) : body);
    const size = b.announcedSize ?? body.length;
    const redirect = b.redirect ?? "cdn";
    if (redirect === "none") {
      // Like a non-redirected Hub answer: only ETag and Content-Length describe the file.
      const linked = b.announcedSize !== undefined ? { "x-linked-size": size } : {};
      return serveBlob(req, res, body, { etag: `"${sha}"`, ...linked });
    }
    const base = redirect === "cdn" ? cdnBase : "";
    res.writeHead(302, {
      location: `${base}/cdn/${sha256Hex(body)}`,
      "x-linked-size": size,
      "x-linked-etag": `"${sha}"`,
      "x-repo-commit": "0123456789abcdef0123456789abcdef01234567",
    });
    res.end();
  };

  const hubServer = http.createServer(handle("hub"));
  const cdnServer = http.createServer(handle("cdn"));
  const listen = (server: http.Server) =>
    new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  hub.endpoint = `http://127.0.0.1:${await listen(hubServer)}`;
  const cdnBase = `http://127.0.0.1:${await listen(cdnServer)}`;
  return hub;
}
