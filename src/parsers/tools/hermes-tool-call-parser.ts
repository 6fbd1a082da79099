/**
 * Tool calls in the format Qwen2.5/Qwen3 (and Hermes-style templates) are trained on:
 * `<tool_call>\n{"name": "...", "arguments": {...}}\n</tool_call>` inside the answer text.
 * Text outside the tags streams through; a call is emitted once its closing tag arrives.
 * A block whose JSON does not parse is passed on as text rather than dropped.
 */
import { partialSuffixLength } from "../partial-match.ts";
import { newToolCallId, type ToolCallParser, type ToolParserOutput } from "./tool-call-events.ts";

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

export class HermesToolCallParser implements ToolCallParser {
  #buffer = "";
  #inCall = false;
  #calls = 0;
  /** Whitespace between consecutive calls is formatting; drop it until real text shows up. */
  #afterCall = false;

  get callCount(): number {
    return this.#calls;
  }

  push(chunk: string): ToolParserOutput[] {
    this.#buffer += chunk;
    const out: ToolParserOutput[] = [];
    for (;;) {
      if (!this.#inCall) {
        if (this.#afterCall) {
          this.#buffer = this.#buffer.trimStart();
          if (this.#buffer.length === 0) return out;
          this.#afterCall = false;
        }
        const open = this.#buffer.indexOf(OPEN);
        if (open >= 0) {
          pushText(out, this.#buffer.slice(0, open));
          this.#buffer = this.#buffer.slice(open + OPEN.length);
          this.#inCall = true;
          continue;
        }
        const hold = partialSuffixLength(this.#buffer, [OPEN]);
        pushText(out, this.#buffer.slice(0, this.#buffer.length - hold));
        this.#buffer = this.#buffer.slice(this.#buffer.length - hold);
        return out;
      }
      const close = this.#buffer.indexOf(CLOSE);
      if (close < 0) return out;
      const body = this.#buffer.slice(0, close);
      this.#buffer = this.#buffer.slice(close + CLOSE.length);
      this.#inCall = false;
      this.#afterCall = true;
      this.#emitCall(out, body);
    }
  }

  flush(): ToolParserOutput[] {
    const out: ToolParserOutput[] = [];
    if (this.#inCall) {
      // Cut off inside a call (length limit): try the JSON anyway, else hand the text back.
      this.#emitCall(out, this.#buffer);
    } else pushText(out, this.#buffer);
    this.#buffer = "";
    this.#inCall = false;
    return out;
  }

  #emitCall(out: ToolParserOutput[], body: string): void {
    const call = parseCall(body);
    if (!call) {
      pushText(out, OPEN + body + (this.#inCall ? "" : CLOSE));
      return;
    }
    const index = this.#calls++;
    out.push({ type: "tool-call-start", index, id: newToolCallId(), name: call.name });
    out.push({ type: "tool-call-delta", index, argumentsDelta: call.arguments });
    out.push({ type: "tool-call-end", index });
  }
}

function parseCall(body: string): { name: string; arguments: string } | undefined {
  try {
    const parsed = JSON.parse(body.trim()) as { name?: unknown; arguments?: unknown; parameters?: unknown };
    if (typeof parsed?.name !== "string") return undefined;
    const args = parsed.arguments ?? parsed.parameters ?? {};
    return { name: parsed.name, arguments: typeof args === "string" ? args : JSON.stringify(args) };
  } catch {
    return undefined;
  }
}

function pushText(out: ToolParserOutput[], text: string): void {
  if (text) out.push({ type: "text", text });
}
