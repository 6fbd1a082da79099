/**
 * What the chat remembers between turns: the system prompt, the thinking switch and the finished
 * turns, and how they become a `/v1/chat/completions` request body.
 */

/** A message as sent on the wire. Assistant turns carry `content` only (see {@link Conversation.record}). */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ConversationOptions {
  model: string;
  system?: string;
  /** Initial thinking switch; sent as `thinking: {type: enabled|disabled}`. */
  thinking?: boolean;
  /** Whether to send the `thinking` field at all (false for models whose template cannot think). */
  sendThinking?: boolean;
  /** `max_tokens` for every answer; undefined leaves it to the server. */
  maxTokens?: number;
}

export class Conversation {
  readonly model: string;
  system: string | undefined;
  thinking: boolean;
  private readonly sendThinking: boolean;
  private readonly maxTokens: number | undefined;
  private turns: ChatMessage[] = [];

  constructor(options: ConversationOptions) {
    this.model = options.model;
    this.system = options.system?.trim() || undefined;
    this.thinking = options.thinking ?? true;
    this.sendThinking = options.sendThinking ?? true;
    this.maxTokens = options.maxTokens;
  }

  /** The finished user/assistant turns, oldest first. */
  get history(): readonly ChatMessage[] {
    return this.turns;
  }

  /** Forgets the turns; the system prompt and thinking switch stay, as a user expects of `/clear`. */
  clear(): void {
    this.turns = [];
  }

  /**
   * Remembers a finished exchange. Only the answer's `content` is kept: DeepSeek (and the chat
   * templates of its R1 distills) expect earlier reasoning to be left out of later prompts.
   *
   * An answer with no content (cut off while still thinking, aborted, failed) is not recorded, and
   * neither is its question: an empty assistant message is rejected by the API, and a question
   * without its answer would make the model answer it again next turn.
   */
  record(user: string, assistantContent: string): boolean {
    if (assistantContent.trim() === "") return false;
    this.turns.push({ role: "user", content: user }, { role: "assistant", content: assistantContent });
    return true;
  }

  /** The request body for the next answer to `user`; `stream` is added by the client. */
  requestBody(user: string): Record<string, unknown> {
    const messages: ChatMessage[] = [
      ...(this.system ? [{ role: "system" as const, content: this.system }] : []),
      ...this.turns,
      { role: "user", content: user },
    ];
    return {
      model: this.model,
      messages,
      stream_options: { include_usage: true },
      ...(this.sendThinking ? { thinking: { type: this.thinking ? "enabled" : "disabled" } } : {}),
      ...(this.maxTokens !== undefined ? { max_tokens: this.maxTokens } : {}),
    };
  }
}
