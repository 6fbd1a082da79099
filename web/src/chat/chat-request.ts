/** Builds the `POST /v1/chat/completions` body for one answer from a conversation's settings. */
import type { Message, SamplingSettings } from "../api/client.ts";

export interface ChatRequestInput {
  model: string;
  systemPrompt: string;
  settings: SamplingSettings;
  /** The branch up to and including the question, oldest first. */
  history: readonly Pick<Message, "role" | "content">[];
  /** Whether the model can switch reasoning on and off (`meta.thinking`). */
  supportsThinking: boolean;
  deepThink: boolean;
}

export function buildChatRequest(input: ChatRequestInput): Record<string, unknown> {
  const messages = [
    ...(input.systemPrompt.trim() ? [{ role: "system", content: input.systemPrompt }] : []),
    // Earlier reasoning is not sent back: DeepSeek (and Sputnik) leave it out of the prompt anyway.
    // An answer with no text (stopped or cut while reasoning) is left out: the API refuses empty
    // assistant messages, and there is nothing in it for the model to read.
    ...input.history.filter((m) => m.role === "user" || m.content !== "").map((m) => ({ role: m.role, content: m.content })),
  ];
  const { temperature, top_p, max_tokens } = input.settings;
  return {
    model: input.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
    ...(temperature !== undefined ? { temperature } : {}),
    ...(top_p !== undefined ? { top_p } : {}),
    ...(max_tokens !== undefined ? { max_tokens } : {}),
    ...(input.supportsThinking ? { thinking: { type: input.deepThink ? "enabled" : "disabled" } } : {}),
  };
}
