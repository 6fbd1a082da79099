/**
 * `sputnik serve` as a user runs it: a child process, real signals. SIGTERM lets the in-flight
 * stream finish, then the process exits 0.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { inject, describe, expect, it } from "vitest";
import { tempDataDir } from "./helpers/test-server.ts";

const bin = path.resolve(import.meta.dirname, "../bin/sputnik.js");

/** Resolves with the server URL once the model is ready, from the process's own log lines. */
function waitForReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = "";
    let url = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      url ||= /listening on (http:\/\/\S+)/.exec(log)?.[1] ?? "";
      if (url && log.includes("ready")) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code} before ready:\n${log}`)));
  });
}

describe("sputnik serve", () => {
  it("finishes in-flight streams on SIGTERM and exits 0", async () => {
    const model = inject("tinyModels").chatml;
    const child = spawn(process.execPath, [bin, "serve", "--model", `tiny=${model}`, "--port", "0", "--threads", "1", "--parallel", "1", "--gpu", "cpu", "--data-dir", tempDataDir()], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let log = "";
    child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    try {
      const url = await waitForReady(child);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "go" }], max_tokens: 300, ignore_eos: true, stream: true }),
      });
      const reader = response.body!.getReader();
      await reader.read();
      child.kill("SIGTERM");
      let text = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString();
      }
      expect(text, `server log:\n${log}`).toContain('"finish_reason":"length"');
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses to start with a clear message when the model file is missing", async () => {
    const child = spawn(process.execPath, [bin, "serve", "--model", "/nonexistent/model.gguf", "--port", "0", "--gpu", "cpu", "--data-dir", tempDataDir()], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(log).toMatch(/nonexistent\/model\.gguf/);
  });
});
