/** Moderation decisions from `GET /admin/audit?format=json`; an empty state when moderation is off (404). */
import { RefreshCw } from "lucide-react";
import { useCallback, useEffect, useState } from "react";
import { ApiError, apiJson } from "../api/client.ts";
import { formatDateTime } from "../format.ts";
import { useI18n } from "../i18n/i18n.tsx";

export interface AuditRow {
  time: string | number;
  requestId: string;
  keyId: string | null;
  model: string;
  policy: string;
  rule: string;
  action: string;
  excerpt: string;
}

type State = { status: "loading" } | { status: "ready"; rows: AuditRow[] } | { status: "unavailable" } | { status: "error"; message: string };

export function AuditPage() {
  const { t, language } = useI18n();
  const [state, setState] = useState<State>({ status: "loading" });
  const load = useCallback(() => {
    apiJson<AuditRow[] | { data: AuditRow[] }>("/admin/audit?format=json").then(
      (body) => setState({ status: "ready", rows: Array.isArray(body) ? body : (body.data ?? []) }),
      (error: unknown) => setState(error instanceof ApiError && error.status === 404 ? { status: "unavailable" } : { status: "error", message: (error as Error).message }),
    );
  }, []);
  useEffect(load, [load]);
  return (
    <div className="page" data-testid="audit-page">
      <div className="page-head">
        <h2>{t("audit.title")}</h2>
        <button type="button" className="button ghost" onClick={load}>
          <RefreshCw size={15} /> {t("admin.refresh")}
        </button>
      </div>
      {state.status === "unavailable" && <p className="empty-state" data-testid="audit-empty">{t("audit.unavailable")}</p>}
      {state.status === "error" && <p className="form-error">{t("common.error", { message: state.message })}</p>}
      {state.status === "ready" && state.rows.length === 0 && <p className="empty-state" data-testid="audit-empty">{t("audit.empty")}</p>}
      {state.status === "ready" && state.rows.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t("audit.time")}</th>
                <th>{t("audit.request")}</th>
                <th>{t("audit.key")}</th>
                <th>{t("audit.model")}</th>
                <th>{t("audit.policy")}</th>
                <th>{t("audit.rule")}</th>
                <th>{t("audit.action")}</th>
                <th>{t("audit.excerpt")}</th>
              </tr>
            </thead>
            <tbody>
              {state.rows.map((row, i) => (
                <tr key={`${row.requestId}-${i}`}>
                  <td className="nowrap">{formatDateTime(typeof row.time === "number" ? row.time : Date.parse(row.time), language)}</td>
                  <td className="mono">{row.requestId}</td>
                  <td className="mono">{row.keyId ?? "local"}</td>
                  <td>{row.model}</td>
                  <td>{row.policy}</td>
                  <td>{row.rule}</td>
                  <td>
                    <span className={`status ${row.action}`}>{row.action}</span>
                  </td>
                  <td className="excerpt">{row.excerpt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
