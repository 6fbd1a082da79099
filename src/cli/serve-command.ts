import chalk from "chalk";
import { parseServeConfig, type ServeConfig } from "../core/config.ts";
import { DEFAULT_MODEL_ALIAS } from "../models/catalog.ts";
import { parseModelSpec } from "../models/model-spec.ts";
import { resolveModelPathWithProgress } from "../models/pull-command.ts";
import { startServer, type ModelSource } from "../server.ts";

export interface ServeFlags {
  model: string[];
  host: string;
  port: number;
  threads?: number;
  parallel?: number;
  ctxSize?: number;
  maxQueue?: number;
  gpu: ServeConfig["gpu"];
  dataDir?: string;
  pull: boolean;
  cacheDisk: boolean;
  cacheDiskMax?: number;
  prefillChunk?: number;
  speculative: "off" | "lookup";
  databaseUrl?: string;
  /** undefined unless `--auth` or `--no-auth` was given. */
  auth?: boolean;
  prices?: string;
  pricePerHour?: string;
  currency: "USD" | "CNY";
  /** `--policy FILE`: moderation, privacy shield, audit and retention. */
  policy?: string;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const config = parseServeConfig(
    {
      host: flags.host,
      port: flags.port,
      models: flags.model.length > 0 ? flags.model : [DEFAULT_MODEL_ALIAS],
      threads: flags.threads,
      parallel: flags.parallel,
      contextSize: flags.ctxSize,
      maxQueue: flags.maxQueue,
      gpu: flags.gpu,
      dataDir: flags.dataDir,
      pull: flags.pull,
      cacheDisk: flags.cacheDisk,
      cacheDiskMaxMiB: flags.cacheDiskMax,
      prefillChunk: flags.prefillChunk,
      speculative: flags.speculative,
      databaseUrl: flags.databaseUrl,
      auth: flags.auth,
      pricesFile: flags.prices,
      pricePerHour: flags.pricePerHour,
      priceCurrency: flags.currency,
      policyFile: flags.policy,
    },
    process.env,
  );
  const sources: ModelSource[] = config.models.map((value) => {
    const spec = parseModelSpec(value);
    return {
      id: spec.id,
      path: () => resolveModelPathWithProgress(spec, config, process.stderr),
    };
  });
  const server = await startServer(config, sources);
  console.error(`${chalk.bold("sputnik")} listening on ${server.url} (threads ${config.threads}, ${config.parallel} slots per model)`);
  const auth = { off: "off (--no-auth)", on: "API keys required", auto: "key-free until the first key is created" }[server.platform.auth];
  console.error(`  store ${server.platform.database.location}, auth ${auth}`);
  if (config.policyFile) console.error(`  policy ${config.policyFile}: ${server.moderation.policies.current.policies.join(", ") || "(no policies)"}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: finishing in-flight requests (up to ${config.shutdownGraceSeconds} s)…`);
    await server.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // SIGHUP re-reads the policy file (validated first; a bad file keeps the old policy and says why).
  process.on("SIGHUP", () => void server.moderation.policies.reload());
  try {
    const models = await server.ready;
    for (const model of models) {
      const info = model.engine.info;
      console.error(`  ${chalk.green("ready")} ${model.id}  ${info.architecture}, context ${info.contextSize} × ${info.slots} slots  (${info.path})`);
    }
  } catch (error) {
    console.error(chalk.red(`sputnik: ${(error as Error).message}`));
    await server.close(0);
    process.exit(1);
  }
}
