/**
 * Renders a chat request into prompt text with the model's own Jinja chat template (from the GGUF),
 * the way the model was trained to see it. Thinking control and prefix completion are applied here,
 * on text, so every template family gets them the same way.
 */
import { Template } from "@huggingface/jinja";
import { invalidRequest } from "../core/errors.ts";
import type { ChatMessage, ToolDefinition } from "../core/request.ts";

/** Used when a GGUF carries no chat template: ChatML, the format of the Qwen family. */
export const FALLBACK_CHATML_TEMPLATE =
  "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

export const THINK_OPEN = "<think>";
export const THINK_CLOSE = "</think>";

export interface RenderChatInput {
  messages: ChatMessage[];
  tools: ToolDefinition[];
  /** undefined = the template's default (thinking on for thinking models). */
  thinking?: boolean;
  /** Continue the final assistant message instead of starting a new turn. */
  continueFinalMessage: boolean;
}

export interface RenderedChat {
  text: string;
  /** The prompt ends inside an open `<think>` block, so generation starts as reasoning. */
  startsInReasoning: boolean;
  /** The template knows `<think>` blocks (Qwen3, DeepSeek-R1). */
  supportsThinking: boolean;
}

export class ChatRenderer {
  readonly #template: Template;
  readonly supportsThinking: boolean;

  constructor(
    source: string | undefined,
    private readonly specials: { bosToken?: string; eosToken?: string },
  ) {
    const text = source ?? FALLBACK_CHATML_TEMPLATE;
    this.#template = new Template(text);
    // A template that prints or strips think tags knows reasoning blocks (Qwen3, DeepSeek-R1); a
    // mere mention of `enable_thinking` (shared macros) does not make a model think.
    this.supportsThinking = text.includes(THINK_OPEN) || text.includes(THINK_CLOSE);
  }

  render(input: RenderChatInput): RenderedChat {
    const messages = input.messages.map(toTemplateMessage);
    const final = input.messages[input.messages.length - 1];
    const continuing = input.continueFinalMessage && final?.role === "assistant";
    let text: string;
    try {
      text = this.#template.render({
        messages,
        tools: input.tools.length > 0 ? input.tools.map(toTemplateTool) : undefined,
        add_generation_prompt: !continuing,
        enable_thinking: input.thinking ?? true,
        bos_token: this.specials.bosToken ?? "",
        eos_token: this.specials.eosToken ?? "",
      });
    } catch (error) {
      // A template that rejects the conversation (e.g. roles out of order) is the client's to fix.
      throw invalidRequest(`The model's chat template rejected these messages: ${(error as Error).message}`, "messages");
    }
    if (continuing) text = cutAfterFinalMessage(text, final.content);
    let startsInReasoning = text.lastIndexOf(THINK_OPEN) > text.lastIndexOf(THINK_CLOSE);
    if (this.supportsThinking && input.thinking === false && startsInReasoning && !continuing) {
      // Templates that always open the reasoning block (DeepSeek-R1) get an empty one, closed.
      text += (text.endsWith("\n") ? "" : "\n") + `${THINK_CLOSE}\n\n`;
      startsInReasoning = false;
    }
    return { text, startsInReasoning, supportsThinking: this.supportsThinking };
  }
}

/**
 * Templates close every message; to continue the last one we keep the text up to the end of its
 * content (the approach of HF's `continue_final_message`).
 */
function cutAfterFinalMessage(text: string, content: string): string {
  if (content.length === 0) return text;
  const at = text.lastIndexOf(content.trimEnd());
  if (at < 0) throw invalidRequest("The final assistant message could not be continued with this model's template.", "messages");
  return text.slice(0, at + content.trimEnd().length);
}

function toTemplateMessage(message: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: message.role, content: message.content };
  if (message.name) out.name = message.name;
  if (message.toolCallId) out.tool_call_id = message.toolCallId;
  if (message.toolCalls?.length) {
    out.tool_calls = message.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: parseArguments(call.arguments) },
    }));
  }
  return out;
}

/** Templates print arguments with `tojson`, so they expect an object; keep text that is not JSON. */
function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toTemplateTool(tool: ToolDefinition): Record<string, unknown> {
  return {
    type: "function",
    function: { name: tool.name, description: tool.description ?? "", parameters: tool.parameters },
  };
}
