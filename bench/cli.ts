/**
 * The `bench` command's flags, for `src/cli/main.ts`: `registerBenchCommand(program)`. The bench
 * code itself is imported only when the command runs. Also runnable on its own while the command
 * is not wired: `node --import tsx bench/cli.ts --model model.gguf`.
 */
import { pathToFileURL } from "node:url";
import { Command, InvalidArgumentError, Option } from "commander";

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("expected an integer");
  return n;
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
}

function intList(value: string): number[] {
  const list = value.split(",").map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new InvalidArgumentError("expected positive integers, e.g. 1,2,4,8");
  return list;
}

export function registerBenchCommand(program: Command): Command {
  return program
    .command("bench")
    .description(
      "Benchmark a server: TTFT, inter-token latency and tok/s per concurrency level against the raw engine, prefix caching (also across a restart), overload, prefill interference, speculative decoding",
    )
    .addOption(
      new Option("--scenario <name>", "what to measure").choices(["throughput", "prefix-cache", "overload", "prefill-interference", "speculative"]).default("throughput"),
    )
    .option("-m, --model <spec>", "GGUF to serve in-process (PATH or NAME=PATH); with --url, the file for the engine baseline")
    .option("--data-dir <dir>", "data dir of the in-process server, kept afterwards (default: a temporary one, removed at the end)")
    .option("--url <base>", "bench a running server instead, e.g. http://127.0.0.1:8080")
    .option("--threads <n>", "ggml threads for the server and the engine baseline", int, 1)
    .option("--parallel <n>", "server slots (default: the highest concurrency; 4 for prefix-cache and overload; streams + 1 for prefill-interference; 1 for speculative)", int)
    .option("--ctx-size <n>", "context tokens per slot (default 4096; prefill-interference 8192)", int)
    .option("--max-queue <n>", "requests that may wait for a slot before 503 (overload default: 2)", int)
    .addOption(new Option("--gpu <backend>", "compute backend of the in-process server").choices(["auto", "cuda", "vulkan", "metal", "cpu"]).default("cpu"))
    .addOption(new Option("--api <api>", "endpoint to drive (default chat; completions for prefill-interference and speculative)").choices(["chat", "completions"]))
    .option("--concurrency <list>", "requests in flight per level (default 1,2,4,8); prefill-interference: decoding streams, the first value (default 4)", intList)
    .option("--prompt-tokens <n>", "approximate prompt length (default 128; prefix-cache 2000; prefill-interference: the long prompt, 4000)", int)
    .option("--output-tokens <n>", "completion tokens per request, ignore_eos (default 64; 8 for prefix-cache and overload; 256 prefill-interference; 128 speculative)", int)
    .option("--requests <n>", "requests per level (default max(2 × concurrency, 4)); prefix-cache: pairs (3); overload: extra requests (32); speculative: per workload and mode (3)", int)
    .option("--shared-prefix <fraction>", "fraction of the prompt shared by all requests, 0..1", number, 0)
    .option("--no-baseline", "skip the raw node-llama-cpp baseline")
    .option("--price-per-hour <usd>", "machine cost, for USD and CNY per 1M output tokens", number)
    .option("--usd-cny <rate>", "CNY per USD; an assumption, not a live rate", number, 7.2)
    .option("--warmup <n>", "unmeasured requests before the first level", int, 1)
    .option("--seed <n>", "seed of the random prompts", int, 1)
    .option("--out <dir>", "write bench.json, bench.md and bench.svg here")
    .action(async (flags: Record<string, unknown>) => {
      const { runBenchCommand } = await import("./bench-command.ts");
      await runBenchCommand(flags);
    });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const program = new Command().name("sputnik");
  registerBenchCommand(program);
  try {
    await program.parseAsync(["node", "sputnik", "bench", ...process.argv.slice(2)]);
  } catch (error) {
    console.error(`sputnik: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
