/**
 * `sputnik` — the command line. Each command parses its flags, builds a config and calls into the
 * library; no logic lives here beyond that.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { SPUTNIK_VERSION } from "../version.ts";
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
  .addOption(new Option("--speculative <mode>", "speculative decoding by prompt lookup").choices(["off", "lookup"]).default("off"))
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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`sputnik: ${(error as Error).message}`);
  process.exitCode = 1;
}
