/**
 * Turning typed (or piped) lines into messages and slash commands.
 *
 * Multi-line input, as in Ollama: a line ending with `\` continues on the next line; a line
 * starting with `"""` opens a block that runs until a line ending with `"""`. Slash commands are
 * only recognized on the first line of an input, so a block may contain lines starting with `/`.
 */

/** A parsed slash command. `unknown` keeps what was typed, for the error message. */
export type SlashCommand =
  | { name: "clear" }
  | { name: "system"; text?: string }
  | { name: "think"; value?: boolean; invalid?: string }
  | { name: "help" }
  | { name: "exit" }
  | { name: "unknown"; input: string };

/** What one line of input completes. */
export type InputResult =
  /** The line continues a multi-line input; show the continuation prompt. */
  | { type: "pending" }
  /** Nothing to send (a blank line). */
  | { type: "empty" }
  | { type: "message"; text: string }
  | { type: "command"; command: SlashCommand };

const BLOCK = '"""';
// `/word` followed by nothing or whitespace. `/usr/bin is…` does not match, so it stays a message.
const COMMAND_RE = /^\/([A-Za-z?]+)(?:\s+([\s\S]*))?$/;

/**
 * Collects lines into complete inputs. Feed each line (without its line break) to {@link push};
 * {@link reset} drops a half-typed multi-line input (Ctrl-C).
 */
export class InputAssembler {
  private lines: string[] = [];
  private mode: "none" | "continuation" | "block" = "none";

  /** True while a multi-line input is open. */
  get pending(): boolean {
    return this.mode !== "none";
  }

  reset(): void {
    this.lines = [];
    this.mode = "none";
  }

  push(line: string): InputResult {
    if (this.mode === "block") {
      if (line.trimEnd().endsWith(BLOCK)) {
        this.lines.push(line.trimEnd().slice(0, -BLOCK.length));
        return this.finish();
      }
      this.lines.push(line);
      return { type: "pending" };
    }
    if (this.mode === "none") {
      const trimmed = line.trimStart();
      if (trimmed.startsWith(BLOCK)) {
        const rest = trimmed.slice(BLOCK.length);
        // `"""one line"""` opens and closes on the same line.
        if (rest.trimEnd().endsWith(BLOCK)) {
          this.lines.push(rest.trimEnd().slice(0, -BLOCK.length));
          return this.finish();
        }
        this.mode = "block";
        if (rest.trim() !== "") this.lines.push(rest);
        return { type: "pending" };
      }
      if (!line.endsWith("\\")) {
        const command = parseSlashCommand(line.trim());
        if (command) return { type: "command", command };
      }
    }
    // Plain line, first or continued.
    if (line.endsWith("\\")) {
      this.lines.push(line.slice(0, -1));
      this.mode = "continuation";
      return { type: "pending" };
    }
    this.lines.push(line);
    return this.finish();
  }

  private finish(): InputResult {
    const text = this.lines.join("\n").trim();
    this.reset();
    return text === "" ? { type: "empty" } : { type: "message", text };
  }
}

/** Parses `/name [argument]`; undefined when the line is not a slash command. */
export function parseSlashCommand(line: string): SlashCommand | undefined {
  const match = COMMAND_RE.exec(line);
  if (!match) return undefined;
  const name = match[1].toLowerCase();
  const arg = (match[2] ?? "").trim();
  switch (name) {
    case "clear":
      return { name: "clear" };
    case "system":
      return arg === "" ? { name: "system" } : { name: "system", text: arg };
    case "think": {
      if (arg === "") return { name: "think" };
      const value = ({ on: true, off: false, true: true, false: false } as Record<string, boolean>)[arg.toLowerCase()];
      return value === undefined ? { name: "think", invalid: arg } : { name: "think", value };
    }
    case "help":
    case "?":
      return { name: "help" };
    case "exit":
    case "quit":
    case "bye":
      return { name: "exit" };
    default:
      return { name: "unknown", input: `/${match[1]}` };
  }
}

/** The `/help` text. */
export const HELP_TEXT = [
  "/clear            forget the conversation (the system prompt stays)",
  "/system [text]    set the system prompt; alone, show it",
  "/think [on|off]   turn thinking on or off; alone, show it",
  "/help             this help",
  "/exit             quit (also Ctrl-D)",
  'End a line with \\ to continue it, or wrap several lines in """.',
  "Ctrl-C stops an answer; at an empty prompt it quits.",
].join("\n");

/** The one-line hint after an unknown command. */
export const SHORT_HELP = "Commands: /clear, /system [text], /think [on|off], /help, /exit";
