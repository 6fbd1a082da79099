import { hubSettings, resolveDataDir } from "../core/config.ts";
import { CATALOG } from "../models/catalog.ts";
import { formatBytes } from "../models/format.ts";
import { listLocalModels, runPullCommand } from "../models/pull-command.ts";

export async function pullCommand(spec: string, flags: { dataDir?: string }): Promise<void> {
  await runPullCommand(spec, {
    dataDir: resolveDataDir(flags.dataDir, process.env),
    ...hubSettings(process.env),
  });
}

export async function listCommand(flags: { dataDir?: string }): Promise<void> {
  const dataDir = resolveDataDir(flags.dataDir, process.env);
  console.log("Catalog (sputnik pull <alias>, sputnik serve --model <alias>):");
  for (const entry of CATALOG) {
    console.log(`  ${entry.alias.padEnd(22)} ${entry.parameters.padEnd(6)} ${entry.quantization.padEnd(8)} ~${formatBytes(entry.approxBytes).padEnd(10)} ${entry.repo}`);
  }
  const local = await listLocalModels(dataDir);
  console.log(`\nDownloaded (${dataDir}):`);
  if (local.length === 0) console.log("  (none)");
  for (const model of local) console.log(`  ${formatBytes(model.bytes).padEnd(10)} ${model.path}`);
}
