/** The model menu in the top bar: served models with their state and whether they reason. */
import { Check, ChevronDown } from "lucide-react";
import type { ModelInfo } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Popover } from "./Popover.tsx";

export function ModelPicker({ models, value, onChange, disabled }: { models: ModelInfo[]; value: string | null; onChange(id: string): void; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <Popover
      trigger={({ toggle, open }) => (
        <button type="button" className="model-picker" onClick={toggle} aria-expanded={open} disabled={disabled} data-testid="model-picker" title={t("model.pick")}>
          <span className="model-name">{value ?? "—"}</span>
          <ChevronDown size={16} />
        </button>
      )}
    >
      {(close) =>
        models.map((model) => {
          const ready = model.meta.status === "ready";
          return (
            <button
              key={model.id}
              type="button"
              role="menuitemradio"
              aria-checked={model.id === value}
              className="menu-item"
              disabled={!ready}
              data-testid={`model-option-${model.id}`}
              onClick={() => {
                onChange(model.id);
                close();
              }}
            >
              <span className="menu-check">{model.id === value && <Check size={15} />}</span>
              <span className="menu-label">{model.id}</span>
              {model.meta.thinking && <span className="tag">{t("model.thinking")}</span>}
              {model.meta.status === "loading" && <span className="tag">{t("model.loading")}</span>}
              {model.meta.status === "failed" && <span className="tag danger">{t("model.failed")}</span>}
            </button>
          );
        })
      }
    </Popover>
  );
}
