/** The key just created, shown once: copy it, or use it in this browser. */
import { Check, Copy, KeyRound } from "lucide-react";
import { useState } from "react";
import { setApiKey } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { copyText } from "./copy-text.ts";

export function NewKeyDialog({ token, onClose }: { token: string; onClose(): void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="modal-backdrop top">
      <div className="modal" role="dialog" aria-modal="true" data-testid="new-key">
        <h2>
          <KeyRound size={20} /> {t("keys.create")}
        </h2>
        <p>{t("keys.created1")}</p>
        <div className="key-box">
          <code data-testid="new-key-token">{token}</code>
          <button type="button" className="icon-button small" onClick={() => void copyText(token).then(() => setCopied(true))} aria-label={copied ? t("chat.copied") : t("chat.copy")}>
            {copied ? <Check size={15} /> : <Copy size={15} />}
          </button>
        </div>
        <div className="modal-actions">
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setApiKey(token);
              onClose();
            }}
          >
            {t("keys.useHere")}
          </button>
          <button type="button" className="button primary" onClick={onClose} data-testid="new-key-done">
            {t("keys.done")}
          </button>
        </div>
      </div>
    </div>
  );
}
