import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatSize, runSynthCommand } from "./command.ts";

const dir = mkdtempSync(join(tmpdir(), "sputnik-synth-cmd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, columns: 100, write: (chunk: string) => chunks.push(chunk) }, text: () => chunks.join("") };
}

describe("runSynthCommand", () => {
  it.each([
    [{ shape: "huge" }, /invalid --shape "huge": expected one of tiny, qwen2\.5-0\.5b, qwen3-0\.6b, r1-distill-qwen-1\.5b/],
    [{ shape: "tiny", quant: "q5_k" }, /invalid --quant "q5_k": expected one of q8_0, q4_0, f16/],
    [{ shape: "tiny", template: "llama3" }, /invalid --template "llama3": expected one of chatml, qwen3, deepseek-r1/],
    [{ shape: "tiny", seed: "abc" }, /invalid --seed "abc"/],
    [{ shape: "tiny", seed: "-1" }, /invalid --seed "-1"/],
    [{ shape: "tiny", contextLength: "0" }, /invalid --context-length "0"/],
  ])("rejects %j before writing anything", async (opts, message) => {
    const out = join(dir, "rejected.gguf");
    await expect(runSynthCommand({ out, ...opts }, capture(false))).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });

  it("prints plain lines when not on a TTY", async () => {
    const io = capture(false);
    const out = join(dir, "plain.gguf");
    const result = await runSynthCommand({ shape: "tiny", quant: "q4_0", template: "qwen3", out, seed: "7" }, io);
    expect(result.bytes).toBe(statSync(out).size);
    const text = io.text();
    expect(text).toContain(`synth tiny q4_0: writing ${out}\n`);
    expect(text).toContain(`${out}\n  qwen2, 9,798,208 parameters, ${formatSize(result.bytes)}, template qwen3`);
    expect(text).not.toContain("\r");
  });

  it("draws a progress bar on a TTY", async () => {
    const io = capture(true);
    await runSynthCommand({ shape: "tiny", out: join(dir, "tty.gguf") }, io);
    expect(io.text()).toMatch(/synth tiny q8_0 \[.*\] 100%/);
    expect(io.text()).toContain("9,798,208 parameters");
  });

  it("formats sizes with binary units", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(16_345_856)).toBe("15.59 MiB");
    expect(formatSize(1_894_533_760)).toBe("1.76 GiB");
  });
});
