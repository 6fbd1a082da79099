/** The collapsible reasoning block above an answer: "Thinking…" while it streams, then "Thought for N seconds". */
import { ChevronDown, Atom } from "lucide-react";
import { useState } from "react";
import { useI18n } from "../i18n/i18n.tsx";

export function ReasoningPanel({ text, ms, active }: { text: string; ms: number | undefined; active: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(true);
  const seconds = ms === undefined ? undefined : Math.max(1, Math.round(ms / 1000));
  const label = active ? t("chat.thinking") : seconds === undefined ? t("chat.reasoning") : seconds === 1 ? t("chat.thoughtForOne") : t("chat.thoughtFor", { n: seconds });
  return (
    <div className={`reasoning${open ? " open" : ""}${active ? " active" : ""}`} data-testid="reasoning-panel">
      <button type="button" className="reasoning-toggle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <Atom size={15} className={active ? "spin" : undefined} />
        <span data-testid="reasoning-label">{label}</span>
        <ChevronDown size={15} className="chevron" />
      </button>
      {open && (
        <div className="reasoning-body" data-testid="reasoning-text">
          {text}
        </div>
      )}
    </div>
  );
}
