/**
 * The chat against a scripted fake server: rendering, what is sent, commands, errors and Ctrl-C.
 * The fake answers according to the last user message, so each test picks behaviour by what it types.
 */
import { EventEmitter } from "node:events";
import { createServer } from "node:net";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { beginStream, Capture, deltaChunk, sendFrame, startFakeServer, usageChunk, type FakeServer } from "./fake-openai-server.ts";
import { runChatCommand, type RunChatFlags } from "./run-command.ts";

type Message = { role: string; content: string; reasoning_content?: string };

let server: FakeServer;
/** Resolves when the client drops the connection of a `hang` request. */
let hangClosed: Promise<void>;
let markHangClosed: () => void;

beforeEach(async () => {
  hangClosed = new Promise((resolve) => (markHangClosed = resolve));
  server = await startFakeServer([{ id: "fake-r1", thinking: true }], (body, res, req) => {
    const messages = body.messages as Message[];
    const last = messages[messages.length - 1].content;
    if (last === "bad request") {
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { message: "max_tokens is too large", type: "invalid_request_error", param: "max_tokens", code: null } }));
      return;
    }
    beginStream(res);
    sendFrame(res, deltaChunk({ role: "assistant", content: "" }));
    if (last === "hang") {
      sendFrame(res, deltaChunk({ content: "partial" }));
      req.socket.on("close", () => markHangClosed());
      return; // never finishes: the client must abort
    }
    if (last === "fail midway") {
      sendFrame(res, deltaChunk({ content: "Half an answer" }));
      sendFrame(res, { error: { message: "The model crashed", type: "server_error", param: null, code: "engine_error" } });
      res.end();
      return;
    }
    if (last === "forbidden") {
      sendFrame(res, deltaChunk({}, "content_filter", { moderation: { policy: "family-safe", rule: "violence", action: "withhold", reason: "graphic violence" } }));
    } else {
      sendFrame(res, deltaChunk({ reasoning_content: "Let me " }));
      sendFrame(res, deltaChunk({ reasoning_content: "think." }));
      sendFrame(res, deltaChunk({ content: "Hello, " }));
      sendFrame(res, deltaChunk({ content: `you said: ${last}` }));
      sendFrame(res, deltaChunk({}, "stop"));
    }
    sendFrame(res, usageChunk(20, 12, 4, 5));
    sendFrame(res, "[DONE]");
    res.end();
  });
});

afterEach(async () => {
  await server.close();
});

/** Starts a chat on piped input; write lines to `input`, end it to finish. */
function startChat(flags: Partial<RunChatFlags> = {}, model?: string) {
  const input = new PassThrough();
  const output = new Capture();
  const errors = new Capture();
  const signals = new EventEmitter();
  const done = runChatCommand(model, { url: server.url, input, output, errorOutput: errors, signals, ...flags });
  return { input, output, errors, signals, done };
}

/** Pipes `lines` and waits for the chat to finish. */
async function chat(lines: string[], flags: Partial<RunChatFlags> = {}, model?: string) {
  const session = startChat(flags, model);
  session.input.end(lines.map((line) => `${line}\n`).join(""));
  await session.done;
  return session;
}

describe("sputnik run against a server", () => {
  it("streams reasoning under Thinking…, the answer, and a status line, in plain text when piped", async () => {
    const { output, errors } = await chat(["hi there"]);
    expect(output.text).toMatch(/^Thinking…\nLet me think\.\nThought for \d+\.\d s\n\nHello, you said: hi there\ntokens: 20 prompt, 4 cached, 5 reasoning, 12 output · [\d.]+ tok\/s · first token \d+ ms\n\n$/);
    // eslint-disable-next-line no-control-regex
    expect(output.text).not.toMatch(/\u001b\[/);
    expect(errors.text).toBe("");
  });

  it("uses the only served model when none is named, and sends history without reasoning", async () => {
    await chat(["one", "two"], { maxTokens: 9 });
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1];
    expect(second).toMatchObject({ model: "fake-r1", stream: true, stream_options: { include_usage: true }, thinking: { type: "enabled" }, max_tokens: 9 });
    expect(second.messages).toEqual([
      { role: "user", content: "one" },
      { role: "assistant", content: "Hello, you said: one" },
      { role: "user", content: "two" },
    ]);
  });

  it("applies /system, /clear and /think to what it sends", async () => {
    const { output } = await chat(["/system", "/system Answer like a pirate.", "/system", "first", "/clear", "/think off", "/think", "second"], {
      system: "initial",
      think: true,
    });
    expect(output.text).toContain("System prompt: initial\nSystem prompt set.\nSystem prompt: Answer like a pirate.\n");
    expect(output.text).toContain("Conversation cleared.\nThinking off.\nThinking is off.\n");
    expect(server.requests.map((r) => r.messages)).toEqual([
      [
        { role: "system", content: "Answer like a pirate." },
        { role: "user", content: "first" },
      ],
      [
        { role: "system", content: "Answer like a pirate." },
        { role: "user", content: "second" },
      ],
    ]);
    expect(server.requests.map((r) => r.thinking)).toEqual([{ type: "enabled" }, { type: "disabled" }]);
  });

  it("sends multi-line input as one message and answers /help and unknown commands locally", async () => {
    const { output } = await chat(["line one\\", "line two", '"""', "/not a command", '"""', "/help", "/nope"]);
    expect(server.requests.map((r) => (r.messages as Message[]).at(-1)?.content)).toEqual(["line one\nline two", "/not a command"]);
    expect(output.text).toContain("/think [on|off]");
    expect(output.text).toContain("Unknown command /nope. Commands:");
  });

  it("stops reading at /exit", async () => {
    await chat(["/exit", "never sent"]);
    expect(server.requests).toHaveLength(0);
  });

  it("prints HTTP errors and error frames as one line and keeps going", async () => {
    const { output, errors } = await chat(["bad request", "fail midway", "after"]);
    expect(errors.text).toBe("Error: max_tokens is too large (HTTP 400)\nError: The model crashed (engine_error)\n");
    expect(output.text).toContain("Half an answer\n");
    expect(output.text).toContain("Hello, you said: after");
    // Neither failed exchange is part of the history.
    expect(server.requests[2].messages).toEqual([{ role: "user", content: "after" }]);
  });

  it("shows why a policy withheld an answer", async () => {
    const { output } = await chat(["forbidden"]);
    expect(output.text).toContain("Withheld by policy family-safe: graphic violence\n");
  });

  it("aborts the answer on Ctrl-C, drops that exchange, and goes on", async () => {
    const session = startChat();
    session.input.write("hang\n");
    await session.output.waitFor("partial");
    session.signals.emit("SIGINT");
    await session.output.waitFor("[interrupted]");
    await hangClosed; // the server saw the connection go, which is what stops a real generation
    session.input.end("next\n");
    await session.done;
    expect(server.requests[1].messages).toEqual([{ role: "user", content: "next" }]);
    expect(session.output.text).toContain("Hello, you said: next");
  });

  it("quits on Ctrl-C while waiting for input", async () => {
    const session = startChat();
    session.input.write("hello\n/system\n");
    // The command's reply comes after the answer has completely finished.
    await session.output.waitFor("No system prompt");
    session.signals.emit("SIGINT");
    await session.done;
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a model the server does not serve, and an ambiguous choice", async () => {
    await expect(chat([], {}, "other")).rejects.toThrow('does not serve "other". It serves: fake-r1.');
    const two = await startFakeServer([{ id: "a" }, { id: "b" }], () => undefined);
    try {
      await expect(chat([], { url: two.url })).rejects.toThrow("serves 2 models (a, b); name one");
    } finally {
      await two.close();
    }
  });

  it("reports an unreachable server per message without giving up", async () => {
    const port = await freePort();
    const { errors } = await chat(["hello", "again"], { url: `127.0.0.1:${port}/v1/` }, "some-model");
    const lines = errors.text.trim().split("\n");
    expect(lines).toHaveLength(3); // the model list at start, then each message
    for (const line of lines) expect(line).toBe(`Error: Cannot reach the server at http://127.0.0.1:${port}: connection refused (is \`sputnik serve\` running?).`);
  });

  it("draws a prompt and handles Ctrl-C keys on a terminal", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new Capture({ isTTY: true });
    const done = runChatCommand(undefined, { url: server.url, input, output, errorOutput: new Capture(), signals: new EventEmitter() });
    await output.waitFor(">>> ");
    input.write("hang\r");
    await output.waitFor("partial");
    input.write("\x03"); // Ctrl-C while answering: abort
    await output.waitFor("[interrupted]");
    await output.waitFor(">>> ", output.text.indexOf("[interrupted]")); // back at the prompt
    input.write("half typed");
    input.write("\x03"); // Ctrl-C on a typed line: clear it
    input.write("next\r");
    await output.waitFor("you said: next");
    await output.waitFor(">>> ", output.text.indexOf("you said: next"));
    input.write("\x03"); // Ctrl-C at an empty prompt: quit
    await done;
    expect(output.text).toContain("Chatting with fake-r1, thinking on.");
    expect(server.requests.map((r) => (r.messages as Message[]).at(-1)?.content)).toEqual(["hang", "next"]);
  });
});

describe("terminal detection", () => {
  it("draws no prompt when only the input is a terminal", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new Capture();
    input.end("hi\n");
    await runChatCommand(undefined, { url: server.url, input, output, errorOutput: new Capture(), signals: new EventEmitter() });
    expect(output.text).not.toContain(">>>");
    expect(output.text).toContain("Hello, you said: hi");
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
