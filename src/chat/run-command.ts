/**
 * `sputnik run [model]`: a terminal chat with a model, either on a running server (`--url`) or
 * started in this process for the length of the chat.
 */
import type { EventEmitter } from "node:events";
import type { ServeConfig } from "../core/config.ts";
import { DEFAULT_MODEL_ALIAS } from "../models/catalog.ts";
import { ApiError } from "./api-error.ts";
import { listModels, normalizeBaseUrl, type ServedModelInfo } from "./api.ts";
import { Conversation } from "./conversation.ts";
import { startLocalServer, type LocalServer } from "./local-server.ts";
import { ChatView } from "./render.ts";
import { isInteractive, runChatSession } from "./session.ts";

export interface RunChatFlags {
  /** A running Sputnik (or OpenAI-compatible) server; without it the model runs in-process. */
  url?: string;
  /** Initial system prompt. */
  system?: string;
  /** Initial thinking switch (`--no-think` gives false). Default on. */
  think?: boolean;
  /** Data directory for in-process mode (models, downloads). */
  dataDir?: string;
  /** ggml threads for in-process mode. */
  threads?: number;
  /** Default `process.stdin`. */
  input?: NodeJS.ReadableStream;
  /** Default `process.stdout`. */
  output?: NodeJS.WritableStream;
  /** @internal Errors and loading messages; default `process.stderr`. */
  errorOutput?: NodeJS.WritableStream;
  /** @internal `max_tokens` of every answer (tests keep answers short). */
  maxTokens?: number;
  /** @internal Server config for in-process mode instead of the defaults (tests: CPU, one thread). */
  serveConfig?: ServeConfig;
  /** @internal Source of process-level SIGINT; default `process`. */
  signals?: EventEmitter;
}

/**
 * Runs the chat until the user leaves.
 *
 * @param model with `--url`, a model id the server serves (optional when it serves exactly one);
 *   otherwise a `--model`-style spec (path, NAME=PATH, catalog alias, hf:…), default the catalog's
 *   default model.
 * @throws when the chat cannot start: the model cannot be found or loaded, or the server is
 *   unreachable and no model was named. Errors during the chat are printed and the chat goes on.
 */
export async function runChatCommand(model: string | undefined, flags: RunChatFlags): Promise<void> {
  const input = flags.input ?? process.stdin;
  const output = flags.output ?? process.stdout;
  const errorOutput = flags.errorOutput ?? process.stderr;
  let local: LocalServer | undefined;
  try {
    let baseUrl: string;
    let wanted = model;
    if (flags.url) {
      baseUrl = normalizeBaseUrl(flags.url);
    } else {
      local = await startLocalServer(model ?? DEFAULT_MODEL_ALIAS, {
        dataDir: flags.dataDir,
        threads: flags.threads,
        config: flags.serveConfig,
        log: errorOutput,
      });
      baseUrl = local.url;
      wanted = local.id;
    }
    const view = new ChatView(output, errorOutput);
    const chosen = await chooseModel(baseUrl, wanted, view);
    const conversation = new Conversation({
      model: chosen.id,
      system: flags.system,
      thinking: flags.think ?? true,
      // Only a server that says the model cannot think gets no `thinking` field.
      sendThinking: chosen.thinking !== false,
      maxTokens: flags.maxTokens,
    });
    if (isInteractive(input, output)) {
      const thinking = chosen.thinking === false ? "" : `, thinking ${conversation.thinking ? "on" : "off"}`;
      view.note(`Chatting with ${chosen.id}${thinking}. /help for commands, Ctrl-D or /exit to quit.`);
    }
    await runChatSession({ baseUrl, conversation, supportsThinking: chosen.thinking, input, output, view, signals: flags.signals });
  } finally {
    await local?.close();
  }
}

/**
 * Picks the model to chat with from the server's list. A named model must be served; with no
 * name, a server serving exactly one model gets that one. If the list cannot be fetched but a
 * model was named, the chat starts anyway (the server may come up) and errors show per message.
 */
async function chooseModel(baseUrl: string, wanted: string | undefined, view: ChatView): Promise<ServedModelInfo> {
  let models: ServedModelInfo[];
  try {
    models = await listModels(baseUrl);
  } catch (error) {
    if (wanted === undefined || !(error instanceof ApiError)) throw error;
    view.error(error.describe());
    return { id: wanted };
  }
  const ids = models.map((m) => m.id).join(", ") || "none";
  if (wanted === undefined) {
    if (models.length === 1) return models[0];
    throw new Error(`${baseUrl} serves ${models.length} models (${ids}); name one: sputnik run <model> --url ${baseUrl}`);
  }
  const found = models.find((m) => m.id === wanted);
  if (!found) throw new Error(`${baseUrl} does not serve "${wanted}". It serves: ${ids}.`);
  return found;
}
