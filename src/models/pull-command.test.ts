import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findCatalogEntry } from "./catalog.ts";
import { localPathFor } from "./download.ts";
import { ModelFileError, ModelSpecError } from "./errors.ts";
import { sha256Hex, startMockHub, type MockHub } from "./hf-mock-server.ts";
import { parseModelSpec } from "./model-spec.ts";
import {
  createProgressReporter,
  formatRemoteSource,
  listLocalModels,
  resolveModelPath,
  runPullCommand,
  type OutputStream,
} from "./pull-command.ts";

const qwen = findCatalogEntry("qwen3:0.6b")!;
const body = Buffer.concat([Buffer.from("GGUF"), randomBytes(200_000)]);

let hub: MockHub;
let dataDir: string;

beforeEach(async () => {
  hub = await startMockHub();
  hub.setFile(qwen.repo, qwen.file, body);
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sputnik-pull-"));
});

afterEach(async () => {
  await hub.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** A non-TTY (or, with `tty`, TTY) stream that records what is written. */
function capture(tty = false): OutputStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY: tty, columns: 120, write: (c: string) => chunks.push(c), text: () => chunks.join("") };
}

describe("runPullCommand", () => {
  it("pulls a catalog alias with plain progress lines and prints the final path", async () => {
    const out = capture();
    const result = await runPullCommand("qwen3:0.6b", { dataDir, endpoint: hub.endpoint, stdout: out });

    const expectedPath = localPathFor({ repo: qwen.repo, file: qwen.file }, dataDir);
    expect(result).toMatchObject({ id: "qwen3:0.6b", path: expectedPath, sha256: sha256Hex(body), cached: false });
    const lines = out.text().trimEnd().split("\n");
    expect(lines[0]).toBe(`Pulling qwen3:0.6b from ${qwen.repo} (${qwen.file}, about 640 MB)`);
    expect(lines).toContain("qwen3:0.6b: 0 B / 200 kB (0%), 0 B/s, ETA ?"); // first line, right after headers
    expect(lines.some((l) => /^qwen3:0\.6b: 200 kB \/ 200 kB \(100%\)/.test(l))).toBe(true); // final line
    expect(lines.at(-1)).toBe(expectedPath);
    expect(out.text()).not.toContain("\r"); // no bar redraws in logs
  });

  it("says when the model is already there, without a request", async () => {
    await runPullCommand("qwen3:0.6b", { dataDir, endpoint: hub.endpoint, stdout: capture() });
    const before = hub.requests.length;
    const out = capture();
    const result = await runPullCommand("qwen3:0.6b", { dataDir, endpoint: hub.endpoint, stdout: out });
    expect(result.cached).toBe(true);
    expect(out.text()).toMatch(/^qwen3:0\.6b is already downloaded/);
    expect(hub.requests.length).toBe(before);
  });

  it("draws a cli-progress bar on a TTY", async () => {
    const out = capture(true);
    await runPullCommand(`hf:${qwen.repo}/${qwen.file}`, { dataDir, endpoint: hub.endpoint, stdout: out });
    expect(out.text()).toContain("Qwen3-0.6B-Q8_0 [");
    expect(out.text()).toMatch(/100% \| 200 kB \/ 200 kB/);
  });

  it("refuses a local file and unknown aliases", async () => {
    await expect(runPullCommand("./x.gguf", { dataDir, stdout: capture() })).rejects.toThrow(/nothing to pull/);
    await expect(runPullCommand("qwen3:9b", { dataDir, stdout: capture() })).rejects.toBeInstanceOf(ModelSpecError);
    expect(hub.requests).toHaveLength(0);
  });
});

describe("createProgressReporter", () => {
  it("prints at most one plain line per interval, plus a final one", () => {
    const out = capture();
    const reporter = createProgressReporter(out, "m", 60_000);
    for (let i = 0; i <= 10; i++) reporter.update({ downloadedBytes: i * 100, totalBytes: 1000, resumedFromBytes: 0 });
    reporter.stop();
    const lines = out.text().trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^m: 0 B \/ 1\.00 kB \(0%\)/);
    expect(lines[1]).toMatch(/^m: 1\.00 kB \/ 1\.00 kB \(100%\)/);
  });
});

describe("resolveModelPath", () => {
  it("accepts an existing GGUF file and rejects missing or non-GGUF files", async () => {
    const good = path.join(dataDir, "good.gguf");
    const bad = path.join(dataDir, "bad.gguf");
    await fs.writeFile(good, Buffer.from("GGUF\x03\x00\x00\x00"));
    await fs.writeFile(bad, "<!doctype html>");
    const opts = { dataDir, pull: false };

    expect(await resolveModelPath(parseModelSpec(good), opts)).toBe(good);
    await expect(resolveModelPath(parseModelSpec(bad), opts)).rejects.toMatchObject({ code: "not_gguf" });
    await expect(resolveModelPath(parseModelSpec(path.join(dataDir, "none.gguf")), opts)).rejects.toMatchObject({
      code: "model_file_not_found",
    });
    await expect(resolveModelPath({ kind: "file", id: "d", path: dataDir }, opts)).rejects.toBeInstanceOf(
      ModelFileError,
    );
  });

  it("does not download a remote model unless pulling is allowed", async () => {
    const spec = parseModelSpec("qwen3:0.6b");
    await expect(resolveModelPath(spec, { dataDir, endpoint: hub.endpoint, pull: false })).rejects.toMatchObject({
      code: "model_not_downloaded",
      message: expect.stringContaining("sputnik pull qwen3:0.6b"),
    });
    expect(hub.requests).toHaveLength(0);

    let reported = 0;
    const pulled = await resolveModelPath(spec, {
      dataDir,
      endpoint: hub.endpoint,
      pull: true,
      onProgress: (p) => (reported = p.downloadedBytes),
    });
    expect(reported).toBe(body.length);
    expect(sha256Hex(await fs.readFile(pulled))).toBe(sha256Hex(body));

    // Once downloaded, it resolves offline even with pulling off.
    expect(await resolveModelPath(spec, { dataDir, endpoint: "http://127.0.0.1:1", pull: false })).toBe(pulled);
  });

  it("formats the pull hint for hf: sources", () => {
    expect(formatRemoteSource({ repo: "o/r", file: "f.gguf", revision: "main" })).toBe("hf:o/r/f.gguf");
    expect(formatRemoteSource({ repo: "o/r", file: "f.gguf", revision: "v2" })).toBe("hf:o/r/f.gguf@v2");
  });
});

describe("listLocalModels", () => {
  it("lists downloaded models and never in-progress partials", async () => {
    expect(await listLocalModels(dataDir)).toEqual([]);
    await runPullCommand("qwen3:0.6b", { dataDir, endpoint: hub.endpoint, stdout: capture() });
    const partialDir = path.join(dataDir, "models", "org", "Half-GGUF");
    await fs.mkdir(partialDir, { recursive: true });
    await fs.writeFile(path.join(partialDir, "half.gguf.partial"), "GGUF");

    const models = await listLocalModels(dataDir);
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      repo: qwen.repo,
      file: qwen.file,
      bytes: body.length,
      sha256: sha256Hex(body),
    });
    expect(models[0].mtime).toBeInstanceOf(Date);
  });
});
