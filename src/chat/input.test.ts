import { describe, expect, it } from "vitest";
import { InputAssembler, parseSlashCommand, type InputResult } from "./input.ts";

function feed(lines: string[]): InputResult[] {
  const assembler = new InputAssembler();
  return lines.map((line) => assembler.push(line));
}

describe("InputAssembler", () => {
  it("sends a single line as a message, trimmed", () => {
    expect(feed(["  hello there  "])).toEqual([{ type: "message", text: "hello there" }]);
  });

  it("ignores blank lines", () => {
    expect(feed(["", "   "])).toEqual([{ type: "empty" }, { type: "empty" }]);
  });

  it("continues a line that ends with a backslash", () => {
    expect(feed(["first \\", "second\\", "third"])).toEqual([
      { type: "pending" },
      { type: "pending" },
      { type: "message", text: "first \nsecond\nthird" },
    ]);
  });

  it('collects a """ block, keeping slash lines and blank lines inside it as text', () => {
    expect(feed(['"""', "/clear is text here", "", "  indented", 'end"""'])).toEqual([
      { type: "pending" },
      { type: "pending" },
      { type: "pending" },
      { type: "pending" },
      { type: "message", text: "/clear is text here\n\n  indented\nend" },
    ]);
  });

  it('takes text on the opening and closing """ lines', () => {
    expect(feed(['"""one', "two", 'three"""'])).toEqual([{ type: "pending" }, { type: "pending" }, { type: "message", text: "one\ntwo\nthree" }]);
  });

  it('handles a block opened and closed on one line, and a closing """ alone', () => {
    expect(feed(['"""just this"""'])).toEqual([{ type: "message", text: "just this" }]);
    expect(feed(['"""', "x", '"""'])).toEqual([{ type: "pending" }, { type: "pending" }, { type: "message", text: "x" }]);
  });

  it("is ready for a fresh input after a multi-line one, and after reset", () => {
    const assembler = new InputAssembler();
    assembler.push("a\\");
    expect(assembler.pending).toBe(true);
    assembler.reset();
    expect(assembler.pending).toBe(false);
    expect(assembler.push("/clear")).toEqual({ type: "command", command: { name: "clear" } });
    expect(assembler.push("b")).toEqual({ type: "message", text: "b" });
  });

  it("recognizes slash commands on the first line only", () => {
    expect(feed(["/help"])).toEqual([{ type: "command", command: { name: "help" } }]);
    expect(feed(["text\\", "/help"])).toEqual([{ type: "pending" }, { type: "message", text: "text\n/help" }]);
  });
});

describe("parseSlashCommand", () => {
  it("parses each command and its argument", () => {
    expect(parseSlashCommand("/clear")).toEqual({ name: "clear" });
    expect(parseSlashCommand("/system")).toEqual({ name: "system" });
    expect(parseSlashCommand("/system   You are a pirate.  ")).toEqual({ name: "system", text: "You are a pirate." });
    expect(parseSlashCommand("/think")).toEqual({ name: "think" });
    expect(parseSlashCommand("/think on")).toEqual({ name: "think", value: true });
    expect(parseSlashCommand("/think OFF")).toEqual({ name: "think", value: false });
    expect(parseSlashCommand("/think maybe")).toEqual({ name: "think", invalid: "maybe" });
    expect(parseSlashCommand("/help")).toEqual({ name: "help" });
    expect(parseSlashCommand("/?")).toEqual({ name: "help" });
    expect(parseSlashCommand("/exit")).toEqual({ name: "exit" });
    expect(parseSlashCommand("/bye")).toEqual({ name: "exit" });
  });

  it("reports unknown commands with what was typed", () => {
    expect(parseSlashCommand("/frobnicate now")).toEqual({ name: "unknown", input: "/frobnicate" });
  });

  it("leaves lines that only look like commands as messages", () => {
    expect(parseSlashCommand("/usr/bin is a directory")).toBeUndefined();
    expect(parseSlashCommand("hello /clear")).toBeUndefined();
    expect(parseSlashCommand("/")).toBeUndefined();
  });
});
