import { randomBytes } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadModel, isModelDownloaded, localPathFor, resolveUrl, type DownloadProgress } from "./download.ts";
import { DownloadError } from "./errors.ts";
import { sha256Hex, startMockHub, type MockHub } from "./hf-mock-server.ts";
import type { RemoteSource } from "./model-spec.ts";

const source: RemoteSource = { repo: "org/Tiny-GGUF", file: "tiny-Q8_0.gguf", revision: "main" };
const body = Buffer.concat([Buffer.from("GGUF"), randomBytes(300_000)]);

let hub: MockHub;
let dataDir: string;
let dest: string;

beforeEach(async () => {
  hub = await startMockHub();
  hub.setFile(source.repo, source.file, body);
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sputnik-dl-"));
  dest = localPathFor(source, dataDir);
});

afterEach(async () => {
  await hub.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Runs `promise`, expecting a DownloadError; returns it. */
async function downloadError(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

const leftovers = () =>
  [dest, `${dest}.partial`, `${dest}.partial.json`, `${dest}.sha256`].filter((p) => existsSync(p));

describe("downloadModel", () => {
  it("downloads through a CDN redirect, verifies, and stores under <dataDir>/models/<repo>/<file>", async () => {
    const progress: DownloadProgress[] = [];
    const result = await downloadModel(source, {
      dataDir,
      endpoint: hub.endpoint,
      token: "hf_secret",
      onProgress: (p) => progress.push(p),
    });

    expect(result).toEqual({ path: dest, bytes: body.length, sha256: sha256Hex(body), cached: false });
    expect(dest).toBe(path.join(dataDir, "models", "org", "Tiny-GGUF", "tiny-Q8_0.gguf"));
    expect((await fs.readFile(dest)).equals(body)).toBe(true);
    expect(await fs.readFile(`${dest}.sha256`, "utf8")).toBe(`${sha256Hex(body)}  tiny-Q8_0.gguf\n`);
    expect(leftovers()).toEqual([dest, `${dest}.sha256`]);
    expect(await isModelDownloaded(source, dataDir)).toBe(true);

    const [first, second] = hub.requests;
    expect(first).toMatchObject({ server: "hub", url: "/org/Tiny-GGUF/resolve/main/tiny-Q8_0.gguf" });
    expect(first.headers.authorization).toBe("Bearer hf_secret");
    expect(second.server).toBe("cdn");
    expect(second.headers.authorization).toBeUndefined(); // never leak the token to another origin
    expect(progress.at(-1)).toEqual({ downloadedBytes: body.length, totalBytes: body.length, resumedFromBytes: 0 });
    expect(progress[0].downloadedBytes).toBe(0);
  });

  it("follows a same-origin redirect to another path", async () => {
    hub.behaviour.redirect = "same";
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    expect(result.sha256).toBe(sha256Hex(body));
    expect(hub.requests.map((r) => r.url)).toEqual([
      "/org/Tiny-GGUF/resolve/main/tiny-Q8_0.gguf",
      `/cdn/${sha256Hex(body)}`,
    ]);
  });

  it("uses ETag and Content-Length when there are no X-Linked-* headers", async () => {
    hub.behaviour.redirect = "none";
    const ok = await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    expect(ok.bytes).toBe(body.length);

    // The sha256 from the plain ETag is really checked.
    const other: RemoteSource = { ...source, file: "other.gguf" };
    hub.setFile(other.repo, other.file, body);
    hub.behaviour.wrongChecksum = true;
    const error = await downloadError(downloadModel(other, { dataDir, endpoint: hub.endpoint }));
    expect(error.code).toBe("checksum_mismatch");
  });

  it("keeps the partial when the connection drops, then resumes with Range", async () => {
    hub.behaviour.cutAfterOnce = 100_000;
    const first = await downloadError(downloadModel(source, { dataDir, endpoint: hub.endpoint }));
    expect(first.code).toBe("interrupted");
    expect(first.message).toMatch(/re-run the command to resume/);
    expect((await fs.stat(`${dest}.partial`)).size).toBe(100_000);
    expect(existsSync(`${dest}.partial.json`)).toBe(true);
    expect(existsSync(dest)).toBe(false);

    const requestsBefore = hub.requests.length;
    const progress: DownloadProgress[] = [];
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint, onProgress: (p) => progress.push(p) });

    const resumed = hub.requests.slice(requestsBefore);
    expect(resumed.map((r) => [r.server, r.headers.range])).toEqual([
      ["hub", "bytes=100000-"],
      ["cdn", "bytes=100000-"],
    ]);
    expect(progress[0]).toEqual({ downloadedBytes: 100_000, totalBytes: body.length, resumedFromBytes: 100_000 });
    expect(result.sha256).toBe(sha256Hex(body)); // the hash covers the bytes from the first run too
    expect(sha256Hex(await fs.readFile(dest))).toBe(sha256Hex(body));
    expect(leftovers()).toEqual([dest, `${dest}.sha256`]);
  });

  it("restarts instead of mixing versions when the remote file changed", async () => {
    hub.behaviour.cutAfterOnce = 100_000;
    await downloadError(downloadModel(source, { dataDir, endpoint: hub.endpoint }));
    const updated = Buffer.concat([Buffer.from("GGUF"), randomBytes(250_000)]);
    hub.setFile(source.repo, source.file, updated);

    const before = hub.requests.length;
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    expect(result.sha256).toBe(sha256Hex(updated));
    expect((await fs.readFile(dest)).equals(updated)).toBe(true);
    const hubRanges = hub.requests.slice(before).filter((r) => r.server === "hub").map((r) => r.headers.range);
    expect(hubRanges).toEqual(["bytes=100000-", undefined]);
  });

  it("starts over when the server ignores Range and answers 200", async () => {
    hub.behaviour.cutAfterOnce = 100_000;
    await downloadError(downloadModel(source, { dataDir, endpoint: hub.endpoint }));
    hub.behaviour.ignoreRange = true;
    const before = hub.requests.length;
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    expect(hub.requests.slice(before).every((r) => r.headers.range === "bytes=100000-")).toBe(true);
    expect(result.sha256).toBe(sha256Hex(body));
    expect((await fs.readFile(dest)).equals(body)).toBe(true);
  });

  it("finishes a partial that already holds every byte (416 answer)", async () => {
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.writeFile(`${dest}.partial`, body);
    await fs.writeFile(`${dest}.partial.json`, JSON.stringify({ url: "x", version: sha256Hex(body) }));
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    expect(result).toMatchObject({ bytes: body.length, sha256: sha256Hex(body), cached: false });
    expect(hub.requests.at(-1)?.headers.range).toBe(`bytes=${body.length}-`);
  });

  it("discards a partial without metadata instead of trusting it", async () => {
    await fs.mkdir(path.dirname(dest), { recursive: true });
    await fs.writeFile(`${dest}.partial`, randomBytes(5_000));
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    expect(result.sha256).toBe(sha256Hex(body));
    expect(hub.requests.every((r) => r.headers.range === undefined)).toBe(true);
  });

  it("deletes everything on a checksum mismatch", async () => {
    hub.behaviour.wrongChecksum = true;
    const error = await downloadError(downloadModel(source, { dataDir, endpoint: hub.endpoint }));
    expect(error.code).toBe("checksum_mismatch");
    expect(error.message).toContain(sha256Hex(body));
    expect(leftovers()).toEqual([]);
    expect(await isModelDownloaded(source, dataDir)).toBe(false);
  });

  it("deletes everything when the size differs from X-Linked-Size", async () => {
    hub.behaviour.announcedSize = body.length + 10;
    const error = await downloadError(downloadModel(source, { dataDir, endpoint: hub.endpoint }));
    expect(error.code).toBe("size_mismatch");
    expect(leftovers()).toEqual([]);
  });

  it("returns an already verified download without any request", async () => {
    await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    const count = hub.requests.length;
    const failingFetch: typeof fetch = () => Promise.reject(new Error("no network expected"));
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint, fetch: failingFetch });
    expect(result).toEqual({ path: dest, bytes: body.length, sha256: sha256Hex(body), cached: true });
    expect(hub.requests.length).toBe(count);
  });

  it("reports 404 naming the file and the repository", async () => {
    const missing = { ...source, file: "nope.gguf" };
    const error = await downloadError(downloadModel(missing, { dataDir, endpoint: hub.endpoint }));
    expect(error.code).toBe("not_found");
    expect(error.status).toBe(404);
    expect(error.message).toContain('"nope.gguf"');
    expect(error.message).toContain("org/Tiny-GGUF");
  });

  it("reports 401 as a gated/private repository needing a token, and works with the token", async () => {
    hub.behaviour.requireToken = "hf_good";
    const error = await downloadError(downloadModel(source, { dataDir, endpoint: hub.endpoint }));
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/gated or private/);
    expect(error.message).toMatch(/token/);
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint, token: "hf_good" });
    expect(result.sha256).toBe(sha256Hex(body));
  });

  it("says you appear to be offline when nothing listens", async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const error = await downloadError(downloadModel(source, { dataDir, endpoint: `http://127.0.0.1:${port}` }));
    expect(error.code).toBe("offline");
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toMatch(/appear to be offline/);
    expect(error.message).toContain("sputnik serve --model NAME=/path/to/model.gguf");
  });

  it("aborts cleanly on signal, keeping the partial for a later resume", async () => {
    hub.behaviour.stallAfter = 60_000;
    const controller = new AbortController();
    const error = await downloadError(
      downloadModel(source, {
        dataDir,
        endpoint: hub.endpoint,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.downloadedBytes >= 60_000) controller.abort();
        },
      }),
    );
    expect(error.code).toBe("aborted");
    expect((await fs.stat(`${dest}.partial`)).size).toBe(60_000);
    expect(existsSync(dest)).toBe(false);

    hub.behaviour.stallAfter = undefined;
    const result = await downloadModel(source, { dataDir, endpoint: hub.endpoint });
    expect(hub.requests.at(-1)?.headers.range).toBe("bytes=60000-");
    expect(result.sha256).toBe(sha256Hex(body));
  });

  it("refuses an already-aborted signal without a request", async () => {
    const error = await downloadError(
      downloadModel(source, { dataDir, endpoint: hub.endpoint, signal: AbortSignal.abort() }),
    );
    expect(error.code).toBe("aborted");
    expect(hub.requests).toHaveLength(0);
  });

  it("rejects repository or file names that would escape the store", async () => {
    for (const bad of [
      { ...source, repo: "../etc" },
      { ...source, repo: "org/../../x" },
      { ...source, file: "../../evil.gguf" },
      { ...source, file: "a//b.gguf" },
    ]) {
      const error = await downloadError(downloadModel(bad, { dataDir, endpoint: hub.endpoint }));
      expect(error.code).toBe("invalid_path");
    }
    expect(hub.requests).toHaveLength(0);
  });

  it("builds resolve URLs with an encoded revision and file", () => {
    expect(resolveUrl({ repo: "a/b", file: "dir/m 1.gguf", revision: "refs/pr/1" }, "https://hf.example/")).toBe(
      "https://hf.example/a/b/resolve/refs%2Fpr%2F1/dir/m%201.gguf",
    );
  });
});
