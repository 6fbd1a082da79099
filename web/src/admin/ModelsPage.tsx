/** Served models, and pulling a new one with a live progress bar (`POST /api/models/pull`, SSE). */
import { Download, RefreshCw } from "lucide-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { apiFetch, apiJson, errorFromResponse, type ModelInfo } from "../api/client.ts";
import { readSseData } from "../api/sse.ts";
import { formatBytes, formatNumber } from "../format.ts";
import { useI18n } from "../i18n/i18n.tsx";

interface CatalogEntry {
  alias: string;
  parameters: string;
  quantization: string;
  thinking: boolean;
  approx_bytes: number;
  description: string;
  downloaded: boolean;
}

type PullEvent =
  | { type: "progress"; downloaded_bytes: number; total_bytes: number | null }
  | { type: "loading"; id: string }
  | { type: "done"; id: string }
  | { type: "error"; error: { message: string } };

type PullState =
  | { phase: "idle" }
  | { phase: "downloading"; done: number; total: number | null }
  | { phase: "loading"; id: string }
  | { phase: "done"; id: string }
  | { phase: "error"; message: string };

export function ModelsPage({ models, refresh }: { models: ModelInfo[] | null; refresh(): void }) {
  const { t, language } = useI18n();
  const [spec, setSpec] = useState("");
  const [pull, setPull] = useState<PullState>({ phase: "idle" });
  const [catalog, setCatalog] = useState<CatalogEntry[]>([]);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    apiJson<{ data: CatalogEntry[] }>("/api/models/catalog").then(
      (list) => setCatalog(list.data),
      () => setCatalog([]),
    );
    return () => abort.current?.abort();
  }, []);

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const value = spec.trim();
    if (!value || abort.current) return;
    const controller = new AbortController();
    abort.current = controller;
    setPull({ phase: "downloading", done: 0, total: null });
    try {
      const response = await apiFetch("/api/models/pull", { method: "POST", body: JSON.stringify({ spec: value }), signal: controller.signal });
      if (!response.ok || !response.body) throw await errorFromResponse(response);
      for await (const data of readSseData(response.body, controller.signal)) {
        const e = JSON.parse(data) as PullEvent;
        if (e.type === "progress") setPull({ phase: "downloading", done: e.downloaded_bytes, total: e.total_bytes });
        else if (e.type === "loading") setPull({ phase: "loading", id: e.id });
        else if (e.type === "done") setPull({ phase: "done", id: e.id });
        else if (e.type === "error") setPull({ phase: "error", message: e.error.message });
      }
    } catch (error) {
      if (!controller.signal.aborted) setPull({ phase: "error", message: (error as Error).message });
    } finally {
      abort.current = null;
      refresh();
    }
  };

  const percent = pull.phase === "downloading" && pull.total ? Math.min(100, (pull.done / pull.total) * 100) : pull.phase === "loading" || pull.phase === "done" ? 100 : 0;
  const busy = pull.phase === "downloading" || pull.phase === "loading";
  return (
    <div className="page" data-testid="models-page">
      <div className="page-head">
        <h2>{t("models.loaded")}</h2>
        <button type="button" className="button ghost" onClick={refresh}>
          <RefreshCw size={15} /> {t("admin.refresh")}
        </button>
      </div>
      {models && models.length === 0 ? (
        <p className="empty-state">{t("models.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="models-table">
            <thead>
              <tr>
                <th>{t("models.id")}</th>
                <th>{t("models.status")}</th>
                <th>{t("models.architecture")}</th>
                <th className="num">{t("models.context")}</th>
                <th className="num">{t("models.slots")}</th>
                <th className="num">{t("models.size")}</th>
                <th>{t("models.thinking")}</th>
              </tr>
            </thead>
            <tbody>
              {(models ?? []).map((m) => (
                <tr key={m.id} data-testid={`model-row-${m.id}`}>
                  <td className="mono">{m.id}</td>
                  <td>
                    <span className={`status ${m.meta.status}`} title={m.meta.error}>
                      {m.meta.status}
                    </span>
                  </td>
                  <td>{m.meta.architecture ?? "—"}</td>
                  <td className="num">{m.meta.context_length !== undefined ? formatNumber(m.meta.context_length, language) : "—"}</td>
                  <td className="num">{m.meta.slots ?? "—"}</td>
                  <td className="num">{m.meta.file_bytes !== undefined ? formatBytes(m.meta.file_bytes, language) : "—"}</td>
                  <td>{m.meta.thinking === undefined ? "—" : m.meta.thinking ? t("models.yes") : t("models.no")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("models.pull")}</h2>
      <p className="hint">{t("models.pullHint")}</p>
      <form className="inline-form" onSubmit={start}>
        <input list="catalog-aliases" value={spec} onChange={(e) => setSpec(e.target.value)} placeholder="qwen3:0.6b" disabled={busy} data-testid="pull-input" />
        <datalist id="catalog-aliases">
          {catalog.map((entry) => (
            <option key={entry.alias} value={entry.alias}>
              {`${entry.parameters} ${entry.quantization}, ~${formatBytes(entry.approx_bytes, language)}${entry.downloaded ? ` (${t("models.downloaded")})` : ""}`}
            </option>
          ))}
        </datalist>
        <button type="submit" className="button primary" disabled={busy || !spec.trim()} data-testid="pull-button">
          <Download size={15} /> {t("models.pullButton")}
        </button>
      </form>
      {pull.phase !== "idle" && (
        <div className="pull-status" data-testid="pull-status" data-phase={pull.phase}>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)} data-testid="pull-progress">
            <div className={`progress-bar${pull.phase === "error" ? " error" : ""}`} style={{ width: `${percent}%` }} />
          </div>
          <p>
            {pull.phase === "downloading" &&
              (pull.total
                ? `${t("models.pulling", { done: formatBytes(pull.done, language), total: formatBytes(pull.total, language) })} · ${formatNumber(percent, language, 0)}%`
                : t("models.pullingUnknown", { done: formatBytes(pull.done, language) }))}
            {pull.phase === "loading" && t("models.loadingModel", { id: pull.id })}
            {pull.phase === "done" && t("models.pulled", { id: pull.id })}
            {pull.phase === "error" && <span className="form-error">{t("common.error", { message: pull.message })}</span>}
          </p>
        </div>
      )}
    </div>
  );
}
