/** The admin pages (admin key, or local mode): models, API keys, usage charts, audit log. */
import { lazy, Suspense } from "react";
import { Menu } from "lucide-react";
import type { ModelInfo } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { MessageKey } from "../i18n/translate.ts";
import { ADMIN_TABS, type AdminTab, type Route } from "../router.ts";
import { AuditPage } from "./AuditPage.tsx";
import { KeysPage } from "./KeysPage.tsx";
import { ModelsPage } from "./ModelsPage.tsx";

// chart.js is the largest dependency: only the usage page loads it.
const UsagePage = lazy(() => import("./UsagePage.tsx"));

const TAB_LABELS: Record<AdminTab, MessageKey> = { models: "nav.models", keys: "nav.keys", usage: "nav.usage", audit: "nav.audit" };

export function AdminView({
  tab,
  allowed,
  local,
  onKeyCreated,
  models,
  refreshModels,
  navigate,
  onOpenSidebar,
}: {
  tab: AdminTab;
  allowed: boolean;
  local: boolean;
  onKeyCreated(token: string): void;
  models: ModelInfo[] | null;
  refreshModels(): void;
  navigate(route: Route): void;
  onOpenSidebar(): void;
}) {
  const { t } = useI18n();
  return (
    <section className="admin" data-testid="admin-view">
      <header className="topbar">
        <button type="button" className="icon-button only-narrow" onClick={onOpenSidebar} aria-label={t("sidebar.open")}>
          <Menu size={20} />
        </button>
        <nav className="tabs" role="tablist">
          {ADMIN_TABS.map((name) => (
            <button key={name} type="button" role="tab" aria-selected={name === tab} className={`tab${name === tab ? " active" : ""}`} onClick={() => navigate({ page: "admin", tab: name })} data-testid={`tab-${name}`}>
              {t(TAB_LABELS[name])}
            </button>
          ))}
        </nav>
      </header>
      <div className="admin-body">
        {!allowed ? (
          <p className="empty-state">{t("admin.forbidden")}</p>
        ) : tab === "models" ? (
          <ModelsPage models={models} refresh={refreshModels} />
        ) : tab === "keys" ? (
          <KeysPage local={local} onCreated={onKeyCreated} />
        ) : tab === "usage" ? (
          <Suspense fallback={<p className="empty-state">{t("chat.loading")}</p>}>
            <UsagePage />
          </Suspense>
        ) : (
          <AuditPage />
        )}
      </div>
    </section>
  );
}
