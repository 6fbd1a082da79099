/** What tool-call parsers produce: plain text to pass on, or a tool call's pieces. */
export type ToolParserOutput =
  | { type: "text"; text: string }
  | { type: "tool-call-start"; index: number; id: string; name: string }
  | { type: "tool-call-delta"; index: number; argumentsDelta: string }
  | { type: "tool-call-end"; index: number };

export interface ToolCallParser {
  push(text: string): ToolParserOutput[];
  flush(): ToolParserOutput[];
  /** Number of tool calls emitted so far. */
  readonly callCount: number;
}

/** OpenAI-style call ids: `call_` and 24 random characters. */
export function newToolCallId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let id = "call_";
  for (let i = 0; i < 24; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}

/** Passes text through untouched: no tools in the request. */
export class NoToolCallParser implements ToolCallParser {
  readonly callCount = 0;
  push(text: string): ToolParserOutput[] {
    return text ? [{ type: "text", text }] : [];
  }
  flush(): ToolParserOutput[] {
    return [];
  }
}
