/**
 * `sputnik run` end to end: piped input, the model started in-process on a real server. The model
 * is a synthesized random-weight Qwen3-template GGUF, so the text is gibberish: the assertions are
 * on what the status line reports (token counts) rather than on words.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServeConfig } from "../core/config.ts";
import { synthesizeModel } from "../synth/synthesize.ts";
import { Capture } from "./fake-openai-server.ts";
import { runChatCommand } from "./run-command.ts";

let dir: string;
let modelPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sputnik-chat-"));
  modelPath = path.join(dir, "tiny-qwen3.gguf");
  await synthesizeModel({ shape: "tiny", template: "qwen3", out: modelPath });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const STATUS_RE = /tokens: (\d+) prompt, (\d+) cached, (\d+) reasoning, (\d+) output · (?:[\d.]+ tok\/s · )?first token \d+ ms/g;

describe("sputnik run (in-process model)", () => {
  it("chats over piped input: streams answers, keeps history, and /clear forgets it", async () => {
    const input = new PassThrough();
    const output = new Capture();
    const errors = new Capture();
    input.end("Hello!\nHello!\n/clear\nHello!\n");
    await runChatCommand(modelPath, {
      input,
      output,
      errorOutput: errors,
      maxTokens: 4,
      // A private data dir: the server keeps its disk cache there.
      serveConfig: parseServeConfig({ port: 0, gpu: "cpu", threads: 1, parallel: 2, dataDir: dir }, {}),
    });

    expect(errors.text).toContain("Loading tiny-qwen3…");
    expect(errors.text).not.toContain("Error");
    expect(output.text).toContain("Conversation cleared.");
    const turns = [...output.text.matchAll(STATUS_RE)].map((m) => ({ prompt: Number(m[1]), output: Number(m[4]) }));
    expect(turns).toHaveLength(3);
    for (const turn of turns) {
      expect(turn.output).toBeGreaterThan(0);
      expect(turn.output).toBeLessThanOrEqual(4);
    }
    // The second prompt carries the first exchange; after /clear the prompt is the first one again.
    expect(turns[1].prompt).toBeGreaterThan(turns[0].prompt);
    expect(turns[2].prompt).toBe(turns[0].prompt);
    // Each answer was streamed as text before its status line (and the token-limit notice).
    const lines = output.text.split("\n").filter((line) => !line.startsWith("[stopped"));
    const statusLines = lines.flatMap((line, i) => (line.startsWith("tokens: ") ? [i] : []));
    for (const i of statusLines) expect(lines[i - 1].trim()).not.toBe("");
    // eslint-disable-next-line no-control-regex
    expect(output.text).not.toMatch(/\u001b\[/);
  });
});
