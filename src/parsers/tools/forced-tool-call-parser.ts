/**
 * For `tool_choice: "required"` or a named tool, sampling is constrained by a grammar to one JSON
 * object `{"name": "<tool>", "arguments": {...}}` (the approach vLLM takes). This parser streams that
 * object as an OpenAI tool call: the call starts once the name is known, and the arguments stream
 * as deltas, holding back only a trailing `}` that may be the outer object's.
 */
import { newToolCallId, type ToolCallParser, type ToolParserOutput } from "./tool-call-events.ts";

const HEADER = /^\s*\{\s*"name"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"arguments"\s*:\s*/;
const TRAILER = /\s*\}?\s*$/;

export class ForcedToolCallParser implements ToolCallParser {
  #text = "";
  #emitted = 0;
  #started = false;
  #argumentsStart = 0;

  get callCount(): number {
    return this.#started ? 1 : 0;
  }

  push(chunk: string): ToolParserOutput[] {
    this.#text += chunk;
    const out: ToolParserOutput[] = [];
    if (!this.#started) {
      const match = HEADER.exec(this.#text);
      if (!match) return out;
      this.#started = true;
      this.#argumentsStart = match[0].length;
      this.#emitted = this.#argumentsStart;
      out.push({ type: "tool-call-start", index: 0, id: newToolCallId(), name: JSON.parse(`"${match[1]}"`) as string });
    }
    if (this.#emitted === this.#argumentsStart) {
      // Whitespace before the arguments object is formatting, not arguments.
      const lead = /^\s*/.exec(this.#text.slice(this.#emitted))?.[0].length ?? 0;
      this.#emitted += lead;
      this.#argumentsStart += lead;
    }
    const pending = this.#text.slice(this.#emitted);
    const hold = TRAILER.exec(pending)?.[0].length ?? 0;
    const delta = pending.slice(0, pending.length - hold);
    if (delta) {
      out.push({ type: "tool-call-delta", index: 0, argumentsDelta: delta });
      this.#emitted += delta.length;
    }
    return out;
  }

  flush(): ToolParserOutput[] {
    if (!this.#started) return [];
    const out: ToolParserOutput[] = [];
    // Everything but the outer object's closing brace belongs to the arguments.
    const rest = this.#text.slice(this.#emitted).replace(/\}\s*$/, "").trimEnd();
    if (rest) out.push({ type: "tool-call-delta", index: 0, argumentsDelta: rest });
    out.push({ type: "tool-call-end", index: 0 });
    return out;
  }
}

/** JSON schema that makes the model answer with one call of one of `tools`. */
export function forcedToolCallSchema(tools: ReadonlyArray<{ name: string; parameters: Record<string, unknown> }>): Record<string, unknown> {
  const variants = tools.map((tool) => ({
    type: "object",
    properties: { name: { const: tool.name }, arguments: normaliseParameters(tool.parameters) },
    required: ["name", "arguments"],
  }));
  return variants.length === 1 ? variants[0] : { oneOf: variants };
}

function normaliseParameters(parameters: Record<string, unknown>): Record<string, unknown> {
  // OpenAI allows omitting parameters; an empty object schema then.
  if (!parameters || Object.keys(parameters).length === 0) return { type: "object", properties: {} };
  return parameters;
}
