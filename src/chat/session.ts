/**
 * The read-eval-print loop: lines in (a terminal with a prompt, or a pipe), messages and slash
 * commands out, one answer streaming at a time.
 *
 * Ctrl-C arrives two ways. On a terminal, readline reads it as a key (raw mode) and emits
 * `SIGINT` on the interface; when input or output is piped, the process gets a real SIGINT. Both go to one
 * handler: abort the running answer if there is one, else clear a half-typed input, else quit.
 */
import type { EventEmitter } from "node:events";
import { createInterface } from "node:readline";
import { streamChatCompletion } from "./api.ts";
import type { Conversation } from "./conversation.ts";
import { HELP_TEXT, InputAssembler, SHORT_HELP, type SlashCommand } from "./input.ts";
import type { ChatView } from "./render.ts";
import { runTurn } from "./turn.ts";

export interface ChatSessionOptions {
  baseUrl: string;
  conversation: Conversation;
  /** False when the server says the model's template cannot think (then `/think` only informs). */
  supportsThinking?: boolean;
  input: NodeJS.ReadableStream;
  /** The terminal (or pipe) the prompt is drawn on; the view writes to the same place. */
  output: NodeJS.WritableStream;
  view: ChatView;
  /** Where a process-level SIGINT comes from; `process` unless a test supplies its own. */
  signals?: EventEmitter;
  /** Milliseconds clock for the status line. */
  now?: () => number;
}

const PROMPT = ">>> ";
const CONTINUATION_PROMPT = "... ";

/** Runs the chat until `/exit`, end of input (Ctrl-D) or Ctrl-C at an empty prompt. */
export async function runChatSession(options: ChatSessionOptions): Promise<void> {
  const { conversation, view } = options;
  const terminal = isInteractive(options.input, options.output);
  // Without a terminal there is no prompt to draw, so readline gets no output to write to.
  const rl = createInterface({ input: options.input, output: terminal ? options.output : undefined, terminal, historySize: 200 });
  const lines = rl[Symbol.asyncIterator]();
  const assembler = new InputAssembler();
  const signals = options.signals ?? process;
  let answering: AbortController | undefined;
  let closed = false;
  rl.once("close", () => (closed = true));

  const prompt = () => {
    if (!terminal || closed) return;
    rl.setPrompt(assembler.pending ? CONTINUATION_PROMPT : PROMPT);
    rl.prompt();
  };

  const onInterrupt = () => {
    if (answering) {
      // Aborting the fetch closes the connection; the server sees that and stops generating.
      answering.abort();
      return;
    }
    if (terminal && (rl.line !== "" || assembler.pending)) {
      // Like a shell: Ctrl-C drops what was typed and gives a fresh prompt.
      assembler.reset();
      rl.write(null, { ctrl: true, name: "e" });
      rl.write(null, { ctrl: true, name: "u" });
      options.output.write("\n");
      prompt();
      return;
    }
    rl.close();
  };
  rl.on("SIGINT", onInterrupt);
  signals.on("SIGINT", onInterrupt);

  const runCommand = (command: SlashCommand): "exit" | undefined => {
    switch (command.name) {
      case "exit":
        return "exit";
      case "help":
        view.info(HELP_TEXT);
        break;
      case "clear":
        conversation.clear();
        view.note("Conversation cleared.");
        break;
      case "system":
        if (command.text === undefined) {
          view.note(conversation.system ? `System prompt: ${conversation.system}` : "No system prompt. Set one with /system <text>.");
        } else {
          conversation.system = command.text;
          view.note("System prompt set.");
        }
        break;
      case "think":
        if (command.invalid !== undefined) {
          view.note(`Unknown value "${command.invalid}". Use /think on or /think off.`);
        } else if (command.value === undefined) {
          view.note(`Thinking is ${conversation.thinking ? "on" : "off"}.${options.supportsThinking === false ? " (This model does not think.)" : ""}`);
        } else {
          conversation.thinking = command.value;
          view.note(`Thinking ${command.value ? "on" : "off"}.${options.supportsThinking === false ? " (This model does not think, so it has no effect.)" : ""}`);
        }
        break;
      case "unknown":
        view.note(`Unknown command ${command.input}. ${SHORT_HELP}`);
        break;
    }
    return undefined;
  };

  const answer = async (text: string) => {
    const controller = new AbortController();
    answering = controller;
    try {
      const result = await runTurn({
        chunks: streamChatCompletion(options.baseUrl, conversation.requestBody(text), controller.signal),
        signal: controller.signal,
        view,
        now: options.now,
      });
      if (result.error) view.error(result.error.describe());
      else if (!result.aborted) conversation.record(text, result.content);
    } finally {
      answering = undefined;
    }
  };

  try {
    prompt();
    for (;;) {
      const next = await lines.next();
      if (next.done) {
        // Ctrl-D or Ctrl-C left the cursor after the prompt; end that line for the shell.
        if (terminal) options.output.write("\n");
        break;
      }
      const input = assembler.push(next.value);
      if (input.type === "command" && runCommand(input.command) === "exit") break;
      if (input.type === "message") await answer(input.text);
      prompt();
    }
  } finally {
    signals.off("SIGINT", onInterrupt);
    rl.close();
  }
}

/**
 * Whether to run as an interactive terminal (prompt, line editing, Ctrl-C as a key): only when both
 * ends are terminals. With output piped (`| tee log`), prompts and cursor codes would land in the
 * file, and with input piped there is nobody to prompt.
 */
export function isInteractive(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): boolean {
  return (input as { isTTY?: boolean }).isTTY === true && (output as { isTTY?: boolean }).isTTY === true;
}
