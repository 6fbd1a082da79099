/**
 * Everything the chat writes to the terminal: streamed reasoning (dimmed, under "Thinking…"),
 * the answer, and the status line after it. Colour only when the output is a terminal, so piped
 * output is plain text.
 */
import chalk, { Chalk, type ChalkInstance } from "chalk";
import type { ChatUsage, Moderation } from "./api.ts";

/** The subset of a writable stream the chat needs; `isTTY` switches colour on. */
export interface TextOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** A chalk instance that colours only when `out` is a terminal (and the environment allows colour). */
export function styleFor(out: TextOutput): ChalkInstance {
  return new Chalk({ level: out.isTTY ? chalk.level : 0 });
}

/** `2.3` below ten seconds, whole seconds above: enough precision for a human. */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return seconds < 10 ? seconds.toFixed(1) : String(Math.round(seconds));
}

/** Numbers the status line is built from; any may be missing (a server without usage, one token). */
export interface TurnStats {
  usage?: ChatUsage;
  /** Request sent → first reasoning or content text. */
  timeToFirstTokenMs?: number;
  /** Output tokens per second after the first token. */
  tokensPerSecond?: number;
}

/** `tokens: 13 prompt, 9 cached, 3 reasoning, 8 output · 41.7 tok/s · first token 85 ms`. */
export function formatStatus(stats: TurnStats): string {
  const parts: string[] = [];
  const usage = stats.usage;
  if (usage && typeof usage.prompt_tokens === "number") {
    parts.push(
      `tokens: ${usage.prompt_tokens} prompt, ${usage.prompt_tokens_details?.cached_tokens ?? 0} cached, ` +
        `${usage.completion_tokens_details?.reasoning_tokens ?? 0} reasoning, ${usage.completion_tokens ?? 0} output`,
    );
  }
  if (stats.tokensPerSecond !== undefined && Number.isFinite(stats.tokensPerSecond)) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
  if (stats.timeToFirstTokenMs !== undefined) parts.push(`first token ${Math.round(stats.timeToFirstTokenMs)} ms`);
  return parts.join(" · ");
}

/** The line shown when a policy withheld the answer. */
export function formatModeration(moderation: Moderation | undefined): string {
  if (!moderation?.policy) return "Withheld by the content filter.";
  return `Withheld by policy ${moderation.policy}${moderation.reason ? `: ${moderation.reason}` : "."}`;
}

/**
 * Writes one chat session's output. Tracks whether the cursor is at the start of a line, so the
 * headers and the status line always start on their own line whatever the model streamed last.
 */
export class ChatView {
  private readonly style: ChalkInstance;
  private readonly errStyle: ChalkInstance;
  private atLineStart = true;
  private phase: "idle" | "reasoning" | "content" = "idle";

  constructor(
    private readonly out: TextOutput,
    private readonly err: TextOutput = out,
  ) {
    this.style = styleFor(out);
    this.errStyle = styleFor(err);
  }

  /** A dimmed informational line (command feedback, banner). */
  note(text: string): void {
    this.line(this.style.dim(text));
  }

  /** Plain informational text (help). */
  info(text: string): void {
    this.line(text);
  }

  /** A one-line error on the error stream; the session goes on. */
  error(text: string): void {
    this.endLine();
    this.err.write(`${this.errStyle.red(`Error: ${text}`)}\n`);
  }

  /** A reasoning delta: opens the "Thinking…" section on the first one. */
  reasoning(text: string): void {
    if (this.phase !== "reasoning") {
      this.phase = "reasoning";
      this.line(this.style.dim.italic("Thinking…"));
    }
    this.write(this.style.dim(text));
  }

  /**
   * A content delta. The first one after reasoning closes the thinking section with
   * "Thought for N s" (`thoughtMs`: first reasoning delta → first content delta).
   */
  content(text: string, thoughtMs?: number): void {
    if (this.phase === "reasoning") {
      this.line(this.style.dim(`Thought for ${formatSeconds(thoughtMs ?? 0)} s`));
      this.write("\n");
    }
    this.phase = "content";
    this.write(text);
  }

  /** Ends an answer: optional notice lines (length, moderation), then the dim status line. */
  endTurn(notices: string[], status: string): void {
    this.phase = "idle";
    for (const notice of notices) this.line(this.style.yellow(notice));
    if (status) this.line(this.style.dim(status));
    this.write("\n");
  }

  /** Ends an answer that Ctrl-C stopped. */
  interrupted(): void {
    this.phase = "idle";
    this.line(this.style.dim("[interrupted]"));
    this.write("\n");
  }

  /** Ends an answer that failed; the error itself goes through {@link error}. */
  failed(): void {
    this.phase = "idle";
    this.endLine();
  }

  /** Moves to the start of a line if the cursor is not there already. */
  endLine(): void {
    if (!this.atLineStart) this.write("\n");
  }

  private line(text: string): void {
    this.endLine();
    this.write(`${text}\n`);
  }

  private write(text: string): void {
    if (text === "") return;
    this.out.write(text);
    // ANSI codes close the styled text, so check the visible end: strip trailing escape sequences.
    // eslint-disable-next-line no-control-regex
    this.atLineStart = text.replace(/(\u001b\[[0-9;]*m)+$/, "").endsWith("\n");
  }
}
