/** Asks for an API key when the server needs one; the key stays in this browser (localStorage). */
import { KeyRound } from "lucide-react";
import { useState, type FormEvent } from "react";
import { ApiError, setApiKey } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";

export function AuthDialog() {
  const { t } = useI18n();
  const [key, setKey] = useState("");
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = key.trim();
    if (!value) return;
    setChecking(true);
    setProblem(undefined);
    try {
      const response = await fetch("/api/me", { headers: { Authorization: `Bearer ${value}` } });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
        throw new ApiError(body.error?.message ?? response.statusText, response.status);
      }
      setApiKey(value);
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setChecking(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <form className="modal" onSubmit={submit} data-testid="auth-dialog">
        <h2>
          <KeyRound size={20} /> {t("auth.title")}
        </h2>
        <p>{t("auth.body")}</p>
        <input type="password" autoFocus value={key} onChange={(e) => setKey(e.target.value)} placeholder={t("auth.placeholder")} autoComplete="off" data-testid="auth-input" />
        {problem && <p className="form-error">{t("auth.invalid", { message: problem ?? "" })}</p>}
        <button type="submit" className="button primary" disabled={checking || !key.trim()}>
          {t("auth.save")}
        </button>
      </form>
    </div>
  );
}
