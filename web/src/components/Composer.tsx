/**
 * The message box: Enter sends, Shift+Enter adds a line (Enter while an IME is composing Korean or
 * Chinese text only confirms the characters), Esc stops the answer. DeepThink switches reasoning
 * for models that can; the round button sends, or stops while an answer streams.
 */
import { ArrowUp, Atom, Square } from "lucide-react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useI18n } from "../i18n/i18n.tsx";

export interface ComposerProps {
  busy: boolean;
  disabled: boolean;
  deepThink: boolean;
  /** `switchable`: the model can think or not; `unsupported`: it never thinks. */
  thinking: "switchable" | "unsupported";
  onDeepThink(on: boolean): void;
  onSend(text: string): void;
  onStop(): void;
}

export function Composer({ busy, disabled, deepThink, thinking, onDeepThink, onSend, onStop }: ComposerProps) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const area = useRef<HTMLTextAreaElement>(null);

  // Grow with the text up to a limit, then scroll.
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);

  useEffect(() => {
    if (!busy) area.current?.focus();
  }, [busy]);

  const send = () => {
    if (busy || disabled || !text.trim()) return;
    onSend(text);
    setText("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const canThink = thinking === "switchable";
  return (
    <div className="composer" data-testid="composer">
      <textarea
        ref={area}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={t("chat.placeholder")}
        rows={2}
        aria-label={t("chat.placeholder")}
        data-testid="composer-input"
      />
      <div className="composer-bar">
        <button
          type="button"
          className={`pill${deepThink && canThink ? " on" : ""}`}
          onClick={() => onDeepThink(!deepThink)}
          disabled={!canThink}
          aria-pressed={deepThink && canThink}
          title={!canThink ? t("chat.deepThinkUnsupported") : deepThink ? t("chat.deepThinkOn") : t("chat.deepThinkOff")}
          data-testid="deepthink-toggle"
        >
          <Atom size={16} />
          <span>{t("chat.deepThink")}</span>
        </button>
        <span className="spacer" />
        {busy ? (
          <button type="button" className="send-button stop" onClick={onStop} aria-label={t("chat.stop")} title={`${t("chat.stop")} (Esc)`} data-testid="stop-button">
            <Square size={14} fill="currentColor" />
          </button>
        ) : (
          <button type="button" className="send-button" onClick={send} disabled={disabled || !text.trim()} aria-label={t("chat.send")} title={t("chat.send")} data-testid="send-button">
            <ArrowUp size={18} strokeWidth={2.5} />
          </button>
        )}
      </div>
    </div>
  );
}
