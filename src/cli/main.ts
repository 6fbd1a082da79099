/**
 * `sputnik` — the command line. Each command parses its flags, builds a config and calls into the
 * library; no logic lives here beyond that.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { SPUTNIK_VERSION } from "../version.ts";
import { registerBenchCommand } from "../../bench/cli.ts";
import { serveCommand } from "./serve-command.ts";

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("expected an integer");
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const program = new Command()
  .name("sputnik")
  .description("Your own DeepSeek: serve open-weight GGUF models with OpenAI- and DeepSeek-compatible APIs.")
  .version(SPUTNIK_VERSION);

program
  .command("serve")
  .description("Serve one or more models over HTTP")
  .option("-m, --model <spec>", "model to serve: PATH, NAME=PATH, a catalog alias (qwen3:0.6b) or hf:org/repo/file.gguf; repeatable", collect, [])
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("--port <port>", "port to listen on", int, 8080)
  .option("--threads <n>", "ggml threads (default: cores - 1, see README)", int)
  .option("--parallel <n>", "parallel sequences (slots) per model", int)
  .option("--ctx-size <n>", "context tokens per slot (default 4096, at most the model's training context)", int)
  .option("--max-queue <n>", "requests that may wait for a slot before 503", int)
  .addOption(new Option("--gpu <backend>", "compute backend").choices(["auto", "cuda", "vulkan", "metal", "cpu"]).default("auto"))
  .option("--data-dir <dir>", "data directory (env SPUTNIK_HOME, default ~/.sputnik)")
  .option("--no-pull", "never download models; fail if a catalog model is not on disk")
  .option("--no-cache-disk", "do not keep prompt KV states on disk (context caching)")
  .option("--cache-disk-max <MiB>", "size cap of the disk prompt cache per model, in MiB", int)
  .option("--prefill-chunk <n>", "prompt tokens per step while other streams run (default 16; smaller = smoother streams, slower long prompts)", int)
  .addOption(new Option("--speculative <mode>", "speculative decoding by prompt lookup").choices(["off", "lookup"]).default("off"))
  .option("--database-url <url>", "PostgreSQL for keys, balances and the ledger, shared by instances (env SPUTNIK_DATABASE_URL; default SQLite in the data dir)")
  .option("--auth", "require an API key on every request, even before any key exists")
  .option("--no-auth", "serve without API keys, even on a non-loopback address")
  .option("--prices <file>", "JSON price table per model (see README, Keys, metering and limits)")
  .option("--price-per-hour <amount>", "derive prices of unlisted models from this machine cost per hour and measured throughput")
  .addOption(new Option("--currency <currency>", "currency of --price-per-hour").choices(["USD", "CNY"]).default("USD"))
  .option("--policy <file>", "moderation, privacy and retention policy (YAML or JSON; see README, Moderation and privacy); reloads on change or SIGHUP")
  .action(serveCommand);

program
  .command("run")
  .description("Chat with a model in the terminal (started in-process, or on a running server with --url)")
  .argument("[model]", "PATH, NAME=PATH, catalog alias or hf:…; with --url, a served model id")
  .option("--url <url>", "chat with a running server, e.g. http://127.0.0.1:8080")
  .option("--system <text>", "system prompt")
  .option("--no-think", "start with thinking off (/think on|off switches it)")
  .option("--data-dir <dir>", "data directory (env SPUTNIK_HOME, default ~/.sputnik)")
  .option("--threads <n>", "ggml threads for the in-process model", int)
  .action(async (model: string | undefined, options: { url?: string; system?: string; think: boolean; dataDir?: string; threads?: number }) => {
    const { runChatCommand } = await import("../chat/run-command.ts");
    await runChatCommand(model, options);
  });

program
  .command("eval")
  .description("Evaluate models on built-in or your own suites, with a censorship audit; writes HTML, Markdown and JSON reports")
  .option("--suite <list>", "comma-separated: math, instruct, code, knowledge, refusal, all, or a .jsonl file (NAME=PATH) (default: all built-in)")
  .option("--target <spec>", "remote model NAME=BASE_URL,MODEL[,API_KEY_ENV]; repeatable", collect, [])
  .option("-m, --model <spec>", "local model evaluated in-process: PATH, NAME=PATH or a catalog alias; repeatable", collect, [])
  .option("--limit <n>", "items per suite (default: each suite's size)", int)
  .option("--seed <n>", "seed of generated items, order and sampling (default 1)", int)
  .option("--concurrency <n>", "requests in flight per target (default 4)", int)
  .option("--max-tokens <n>", "answer length limit (default 1024)", int)
  .option("--temperature <t>", "sampling temperature (default 0)", Number)
  .option("--judge <target>", "also classify refusal-audit answers with this target (a target name, or NAME=BASE_URL,MODEL[,API_KEY_ENV])")
  .option("--price <spec>", "TARGET=IN_PER_MILLION,OUT_PER_MILLION[,CURRENCY] for cost columns; repeatable", collect, [])
  .option("--out <dir>", "also write report.html, report.md and report.json here")
  .option("--resume <runId>", "continue an interrupted run")
  .option("--data-dir <dir>", "data directory (env SPUTNIK_HOME, default ~/.sputnik)")
  .option("--threads <n>", "ggml threads for --model", int)
  .addOption(new Option("--gpu <backend>", "compute backend for --model").choices(["auto", "cuda", "vulkan", "metal", "cpu"]))
  .option("--list-suites", "list the built-in suites and exit")
  .action(async (flags) => {
    const { runEvalCommand } = await import("../eval/eval-command.ts");
    const result = await runEvalCommand(flags, process.env);
    if (result?.outcome.aborted) process.exitCode = 130;
  });

program
  .command("synth")
  .description("Write a random-weight GGUF model with a real model's shapes and the real Qwen tokenizer")
  .requiredOption("--shape <shape>", "tiny | qwen2.5-0.5b | qwen3-0.6b | r1-distill-qwen-1.5b")
  .option("--quant <quant>", "q8_0 | q4_0 | f16", "q8_0")
  .option("--template <template>", "chatml | qwen3 | deepseek-r1 (default: the shape's own)")
  .requiredOption("--out <file>", "output .gguf path")
  .option("--seed <n>", "random seed", "0")
  .action(async (options: { shape: string; quant?: string; template?: string; out: string; seed?: string }) => {
    const { runSynthCommand } = await import("../synth/command.ts");
    await runSynthCommand(options);
  });

program
  .command("pull")
  .description("Download a catalog model (qwen3:0.6b) or hf:org/repo/file.gguf into the data directory")
  .argument("<spec>", "alias or hf: reference")
  .option("--data-dir <dir>", "data directory (env SPUTNIK_HOME, default ~/.sputnik)")
  .action(async (spec: string, options: { dataDir?: string }) => {
    const { pullCommand } = await import("./pull-command.ts");
    await pullCommand(spec, options);
  });

program
  .command("list")
  .description("List the catalog and the models downloaded into the data directory")
  .option("--data-dir <dir>", "data directory")
  .action(async (options: { dataDir?: string }) => {
    const { listCommand } = await import("./pull-command.ts");
    await listCommand(options);
  });

const storeOptions = (command: Command) =>
  command
    .option("--data-dir <dir>", "data directory holding the SQLite store (env SPUTNIK_HOME, default ~/.sputnik)")
    .option("--database-url <url>", "PostgreSQL store instead (env SPUTNIK_DATABASE_URL)");
const keys = program.command("keys").description("Create, list and revoke API keys (on the store; the server need not run)");
storeOptions(keys.command("create").description("Create an API key; prints it once"))
  .requiredOption("--name <name>", "a name to recognise the key by")
  .option("--admin", "also allow the admin routes (/admin/*, /metrics)")
  .option("--rpm <n>", "requests per minute", int)
  .option("--tpm <n>", "tokens per minute (prompt + max_tokens while running)", int)
  .option("--max-concurrent <n>", "requests in flight at once", int)
  .option("--balance <amount>", "prepaid balance, e.g. 10.50")
  .addOption(new Option("--currency <currency>", "currency of the balance and budgets").choices(["USD", "CNY"]).default("USD"))
  .option("--daily-budget <amount>", "most the key may spend per UTC day")
  .option("--monthly-budget <amount>", "most the key may spend per UTC month")
  .option("--expires <date>", "expiry, ISO date or date-time (2026-12-31)")
  .option("--json", "print the key and its settings as JSON")
  .action(async (options) => {
    const { keysCreateCommand } = await import("../platform/cli/keys-command.ts");
    await keysCreateCommand(options);
  });
storeOptions(keys.command("list").description("List API keys (never the keys themselves)"))
  .option("--json", "print JSON")
  .action(async (options) => {
    const { keysListCommand } = await import("../platform/cli/keys-command.ts");
    await keysListCommand(options);
  });
storeOptions(keys.command("revoke").description("Revoke an API key at once, on every instance").argument("<id>", "key id (key_…)")).action(
  async (id: string, options) => {
    const { keysRevokeCommand } = await import("../platform/cli/keys-command.ts");
    await keysRevokeCommand(id, options);
  },
);
storeOptions(program.command("usage").description("Usage and cost from the ledger, as a table, CSV or JSON"))
  .option("--from <date>", "ISO date or date-time (default: 30 days ago)")
  .option("--to <date>", "ISO date (inclusive) or date-time (exclusive) (default: now)")
  .addOption(new Option("--group-by <by>", "group rows by").choices(["key", "model", "day"]).default("day"))
  .option("--key <id>", "only this key")
  .addOption(new Option("--format <format>", "output").choices(["table", "csv", "json"]).default("table"))
  .action(async (options) => {
    const { usageCommand } = await import("../platform/cli/usage-command.ts");
    await usageCommand(options);
  });

registerBenchCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`sputnik: ${(error as Error).message}`);
  process.exitCode = 1;
}
