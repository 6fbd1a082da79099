/**
 * Public API of the models module: catalog, `--model` parsing, downloads, `sputnik pull`
 * and the local model store. Import from here rather than from the individual files.
 */
export { CATALOG, DEFAULT_MODEL_ALIAS, catalogAliases, findCatalogEntry } from "./catalog.ts";
export type { CatalogEntry, ModelFamily } from "./catalog.ts";
export { DEFAULT_REVISION, parseModelSpec } from "./model-spec.ts";
export type { ModelSpec, ParseModelSpecOptions, RemoteSource } from "./model-spec.ts";
export { DEFAULT_HF_ENDPOINT, downloadModel, resolveUrl } from "./download.ts";
export type { DownloadOptions, DownloadProgress, DownloadResult } from "./download.ts";
export {
  assertGgufFile,
  createProgressReporter,
  formatRemoteSource,
  resolveModelPath,
  resolveModelPathWithProgress,
  runPullCommand,
} from "./pull-command.ts";
export type { ModelFetchOptions, OutputStream, ProgressReporter, PullOptions, ResolveOptions } from "./pull-command.ts";
export { findVerifiedModel, isModelDownloaded, listLocalModels, localPathFor, modelsDir } from "./store.ts";
export type { LocalModel, VerifiedModel } from "./store.ts";
export { DownloadError, ModelError, ModelFileError, ModelSpecError } from "./errors.ts";
export type { DownloadErrorCode, ModelFileErrorCode, ModelSpecErrorCode } from "./errors.ts";
