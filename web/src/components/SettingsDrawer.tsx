/** The per-conversation settings drawer: system prompt and sampling (saved as they change). */
import { X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import type { SamplingSettings } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";

export interface SettingsValue {
  system_prompt: string;
  settings: SamplingSettings;
}

/** Saves after a pause in typing, so each keystroke is not a request. */
const SAVE_DELAY_MS = 400;

export function SettingsDrawer({ value, onChange, onClose }: { value: SettingsValue; onChange(next: SettingsValue): void; onClose(): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(draft);
  latest.current = draft;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const change = (next: SettingsValue) => {
    setDraft(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onChangeRef.current(next), SAVE_DELAY_MS);
  };
  // Closing the drawer saves what is pending at once.
  useEffect(
    () => () => {
      if (timer.current !== undefined) {
        clearTimeout(timer.current);
        onChangeRef.current(latest.current);
      }
    },
    [],
  );
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const setSetting = <K extends keyof SamplingSettings>(key: K, v: SamplingSettings[K]) => {
    const settings = { ...draft.settings };
    if (v === undefined) delete settings[key];
    else settings[key] = v;
    change({ ...draft, settings });
  };
  const temperature = draft.settings.temperature;
  const topP = draft.settings.top_p;
  return (
    <>
      <div className="drawer-backdrop" onClick={onClose} />
      <aside className="drawer" aria-label={t("drawer.title")} data-testid="settings-drawer">
        <header className="drawer-header">
          <h2>{t("drawer.title")}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t("drawer.close")}>
            <X size={18} />
          </button>
        </header>
        <label className="field">
          <span className="field-label">{t("drawer.system")}</span>
          <textarea rows={6} value={draft.system_prompt} onChange={(e) => change({ ...draft, system_prompt: e.target.value })} data-testid="system-prompt" />
          <span className="field-hint">{t("drawer.systemHint")}</span>
        </label>
        <label className="field">
          <span className="field-label">
            {t("drawer.temperature")} <output>{temperature ?? `${t("drawer.auto")} (1)`}</output>
          </span>
          <input type="range" min={0} max={2} step={0.05} value={temperature ?? 1} onChange={(e) => setSetting("temperature", Number(e.target.value))} data-testid="temperature" />
        </label>
        <label className="field">
          <span className="field-label">
            {t("drawer.topP")} <output>{topP ?? `${t("drawer.auto")} (1)`}</output>
          </span>
          <input type="range" min={0.05} max={1} step={0.05} value={topP ?? 1} onChange={(e) => setSetting("top_p", Number(e.target.value))} />
        </label>
        <label className="field">
          <span className="field-label">{t("drawer.maxTokens")}</span>
          <input
            type="number"
            min={1}
            step={1}
            placeholder={t("drawer.auto")}
            value={draft.settings.max_tokens ?? ""}
            onChange={(e) => {
              const n = Number.parseInt(e.target.value, 10);
              setSetting("max_tokens", Number.isFinite(n) && n > 0 ? n : undefined);
            }}
            data-testid="max-tokens"
          />
        </label>
        <button
          type="button"
          className="button ghost"
          onClick={() => change({ system_prompt: "", settings: draft.settings.thinking === undefined ? {} : { thinking: draft.settings.thinking } })}
        >
          {t("drawer.reset")}
        </button>
      </aside>
    </>
  );
}
