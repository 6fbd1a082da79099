/**
 * A rule's judge: one of the served models, asked a yes/no question written by the operator.
 * It runs in-process through the ordinary pipeline (`generate`, no HTTP and no hooks, so a judged
 * request never judges itself), greedily and with thinking off, so the same text gets the same verdict.
 */
import { randomUUID } from "node:crypto";
import type { ChatRequest } from "../core/request.ts";
import { generate } from "../pipeline/generate.ts";
import type { ModelRegistry } from "../pipeline/model-registry.ts";
import { JUDGE_TEXT_PLACEHOLDER, type JudgeConfig } from "./policy/policy-schema.ts";

export interface JudgeVerdict {
  /** Whether the rule applies. */
  yes: boolean;
  /** What the judge model said (for the audit log). */
  answer: string;
  /** Set when the judge could not be asked; `yes` then follows the judge's `onError`. */
  error?: string;
}

/** Fair-queueing identity of judge calls, so they share slots fairly with callers. */
export const JUDGE_CLIENT_ID = "sputnik:judge";

export async function askJudge(judge: JudgeConfig, text: string, models: ModelRegistry, signal: AbortSignal): Promise<JudgeVerdict> {
  const judged = text.length > judge.maxChars ? text.slice(-judge.maxChars) : text;
  const request: ChatRequest = {
    kind: "chat",
    id: `judge-${randomUUID()}`,
    model: judge.model,
    sampling: { temperature: 0 },
    maxTokens: judge.maxTokens,
    stop: [],
    ignoreEos: false,
    clientId: JUDGE_CLIENT_ID,
    messages: [{ role: "user", content: judge.prompt.replaceAll(JUDGE_TEXT_PLACEHOLDER, judged) }],
    continueFinalMessage: false,
    thinking: false,
    responseFormat: { type: "text" },
    tools: [],
    toolChoice: "none",
  };
  let answer = "";
  try {
    for await (const event of generate(models.get(judge.model), request, { signal })) {
      if (event.type === "text-delta") answer += event.text;
      else if (event.type === "error") throw event.error;
    }
  } catch (error) {
    return { yes: judge.onError === "block", answer, error: (error as Error).message };
  }
  return { yes: new RegExp(judge.yes, "iu").test(answer.trim()), answer };
}
