/** API keys (`/admin/keys`): list, create (the new key is shown once), revoke. */
import { Plus, RefreshCw } from "lucide-react";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError, apiJson } from "../api/client.ts";
import { formatDateTime } from "../format.ts";
import { useI18n } from "../i18n/i18n.tsx";

interface KeyJson {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

type State = { status: "loading" } | { status: "ready"; keys: KeyJson[] } | { status: "unavailable" } | { status: "error"; message: string };

/** `local`: this browser talks to a key-free server (the first key will turn keys on). */
export function KeysPage({ local, onCreated }: { local: boolean; onCreated(token: string): void }) {
  const { t, language } = useI18n();
  const [state, setState] = useState<State>({ status: "loading" });
  const [name, setName] = useState("");
  const [admin, setAdmin] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(() => {
    apiJson<{ data: KeyJson[] }>("/admin/keys").then(
      (body) => setState({ status: "ready", keys: body.data }),
      (error: unknown) => setState(error instanceof ApiError && error.status === 404 ? { status: "unavailable" } : { status: "error", message: (error as Error).message }),
    );
  }, []);
  useEffect(load, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const body = await apiJson<KeyJson & { key: string }>("/admin/keys", { method: "POST", body: JSON.stringify({ name: name.trim(), admin }) });
      // Shown by the app, above everything: creating the first key may lock this page at once.
      onCreated(body.key);
      setName("");
      setAdmin(false);
      load();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const revoke = async (key: KeyJson) => {
    if (!window.confirm(t("keys.confirmRevoke", { name: key.name }))) return;
    try {
      await apiJson(`/admin/keys/${encodeURIComponent(key.id)}`, { method: "DELETE" });
    } catch (error) {
      setProblem((error as Error).message);
    }
    load();
  };
  const statusOf = (key: KeyJson) => (key.revoked_at ? "revoked" : key.expires_at && Date.parse(key.expires_at) <= Date.now() ? "expired" : "active");

  return (
    <div className="page" data-testid="keys-page">
      <div className="page-head">
        <h2>{t("keys.title")}</h2>
        <button type="button" className="button ghost" onClick={load}>
          <RefreshCw size={15} /> {t("admin.refresh")}
        </button>
      </div>
      {state.status === "unavailable" && <p className="empty-state">{t("keys.unavailable")}</p>}
      {state.status === "error" && <p className="form-error">{t("common.error", { message: state.message })}</p>}
      {state.status === "ready" && (
        <>
          <form className="inline-form" onSubmit={create}>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t("keys.namePlaceholder")} maxLength={100} data-testid="key-name" />
            <label className="checkbox">
              <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} /> {t("keys.admin")}
            </label>
            <button type="submit" className="button primary" disabled={!name.trim()}>
              <Plus size={15} /> {t("keys.create")}
            </button>
          </form>
          {problem && <p className="form-error">{t("common.error", { message: problem })}</p>}
          {local && state.keys.length === 0 && <p className="notice info">{t("keys.firstKeyHint")}</p>}
          {state.keys.length === 0 ? (
            <p className="empty-state">{t("keys.none")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table" data-testid="keys-table">
                <thead>
                  <tr>
                    <th>{t("keys.name")}</th>
                    <th>{t("keys.prefix")}</th>
                    <th>{t("keys.scopes")}</th>
                    <th>{t("keys.created")}</th>
                    <th>{t("keys.status")}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {state.keys.map((key) => {
                    const status = statusOf(key);
                    return (
                      <tr key={key.id}>
                        <td>{key.name}</td>
                        <td className="mono">{key.prefix}…</td>
                        <td>{key.scopes.join(", ")}</td>
                        <td className="nowrap">{formatDateTime(Date.parse(key.created_at), language)}</td>
                        <td>
                          <span className={`status ${status}`}>{t(`keys.${status}`)}</span>
                        </td>
                        <td className="num">
                          {status === "active" && (
                            <button type="button" className="button ghost danger" onClick={() => void revoke(key)}>
                              {t("keys.revoke")}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
