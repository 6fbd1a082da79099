/**
 * The sidebar: new chat, search, conversations grouped by date (rename, export, delete), the admin
 * pages for admins, and language / theme / API key at the bottom.
 */
import {
  BarChart3,
  Boxes,
  Ellipsis,
  KeyRound,
  Languages,
  LogOut,
  MessageSquarePlus,
  Moon,
  PanelLeftClose,
  Pencil,
  Search,
  ShieldCheck,
  Sun,
  Trash,
  X,
} from "./icons.ts";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { conversationsApi, getApiKey, setApiKey, type ConversationSummary } from "../api/client.ts";
import { dateGroup, type DateGroup } from "../format.ts";
import type { ConversationListState } from "../hooks.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { LANGUAGE_NAMES, LANGUAGES, type MessageKey } from "../i18n/translate.ts";
import type { AdminTab, Route } from "../router.ts";
import { useTheme } from "../theme.tsx";
import { Popover } from "./Popover.tsx";
import { SputnikMark } from "./SputnikMark.tsx";

const GROUP_LABELS: Record<DateGroup, MessageKey> = {
  today: "sidebar.today",
  yesterday: "sidebar.yesterday",
  week: "sidebar.week",
  month: "sidebar.month",
  older: "sidebar.older",
};

const ADMIN_LINKS: Array<{ tab: AdminTab; label: MessageKey; icon: typeof Boxes }> = [
  { tab: "models", label: "nav.models", icon: Boxes },
  { tab: "keys", label: "nav.keys", icon: KeyRound },
  { tab: "usage", label: "nav.usage", icon: BarChart3 },
  { tab: "audit", label: "nav.audit", icon: ShieldCheck },
];

export interface SidebarProps {
  route: Route;
  list: ConversationListState;
  isAdmin: boolean;
  open: boolean;
  onClose(): void;
  navigate(route: Route): void;
}

export function Sidebar({ route, list, isAdmin, open, onClose, navigate }: SidebarProps) {
  const { t, language, setLanguage } = useI18n();
  const { theme, toggle } = useTheme();
  const activeId = route.page === "chat" ? route.conversationId : null;
  const now = Date.now();
  const groups = new Map<DateGroup, ConversationSummary[]>();
  for (const item of list.items) {
    const group = dateGroup(item.updated_at, now);
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  const go = (next: Route) => {
    navigate(next);
    onClose();
  };
  return (
    <>
      {open && <div className="sidebar-backdrop" onClick={onClose} />}
      <nav className={`sidebar${open ? " open" : ""}`} data-testid="sidebar">
        <div className="sidebar-head">
          <button type="button" className="brand" onClick={() => go({ page: "chat", conversationId: null })}>
            <SputnikMark size={26} />
            <span>{t("app.name")}</span>
          </button>
          <button type="button" className="icon-button only-narrow" onClick={onClose} aria-label={t("sidebar.collapse")}>
            <PanelLeftClose size={20} />
          </button>
        </div>
        <button type="button" className="new-chat" onClick={() => go({ page: "chat", conversationId: null })} data-testid="new-chat">
          <MessageSquarePlus size={18} />
          <span>{t("sidebar.newChat")}</span>
        </button>
        <label className="search">
          <Search size={16} />
          <input type="search" value={list.query} onChange={(e) => list.setQuery(e.target.value)} placeholder={t("sidebar.search")} data-testid="search-input" />
          {list.query && (
            <button type="button" className="icon-button small" onClick={() => list.setQuery("")} aria-label={t("common.close")}>
              <X size={14} />
            </button>
          )}
        </label>
        <div className="conversation-list" data-testid="conversation-list">
          {list.loaded && list.items.length === 0 && <p className="list-empty">{list.query ? t("sidebar.noResults", { q: list.query }) : t("sidebar.empty")}</p>}
          {[...groups.entries()].map(([group, items]) => (
            <div key={group} className="list-group">
              <h3>{t(GROUP_LABELS[group])}</h3>
              {items.map((item) => (
                <ConversationItem key={item.id} item={item} active={item.id === activeId} onOpen={() => go({ page: "chat", conversationId: item.id })} list={list} onDeleted={() => item.id === activeId && navigate({ page: "chat", conversationId: null })} />
              ))}
            </div>
          ))}
        </div>
        <div className="sidebar-foot">
          {isAdmin && (
            <div className="admin-links">
              <h3>{t("sidebar.admin")}</h3>
              {ADMIN_LINKS.map(({ tab, label, icon: Icon }) => (
                <button key={tab} type="button" className={`nav-link${route.page === "admin" && route.tab === tab ? " active" : ""}`} onClick={() => go({ page: "admin", tab })} data-testid={`nav-${tab}`}>
                  <Icon size={17} />
                  <span>{t(label)}</span>
                </button>
              ))}
            </div>
          )}
          <div className="prefs">
            <label className="lang-select" title={t("settings.language")}>
              <Languages size={16} />
              <select value={language} onChange={(e) => setLanguage(e.target.value as typeof language)} aria-label={t("settings.language")} data-testid="language-select">
                {LANGUAGES.map((code) => (
                  <option key={code} value={code}>
                    {LANGUAGE_NAMES[code]}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="icon-button" onClick={toggle} aria-label={t("settings.theme")} title={theme === "dark" ? t("settings.light") : t("settings.dark")} data-testid="theme-toggle">
              {theme === "dark" ? <Sun size={18} /> : <Moon size={18} />}
            </button>
            {getApiKey() && (
              <button type="button" className="icon-button" onClick={() => setApiKey(null)} aria-label={t("settings.signOut")} title={t("settings.signOut")}>
                <LogOut size={18} />
              </button>
            )}
          </div>
        </div>
      </nav>
    </>
  );
}

function ConversationItem({ item, active, onOpen, list, onDeleted }: { item: ConversationSummary; active: boolean; onOpen(): void; list: ConversationListState; onDeleted(): void }) {
  const { t } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(item.title);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (renaming) input.current?.select();
  }, [renaming]);
  const label = item.title || t("sidebar.untitled");
  const commit = async () => {
    setRenaming(false);
    const next = title.trim();
    if (next && next !== item.title) {
      await conversationsApi.update(item.id, { title: next });
      list.refresh();
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") void commit();
    if (event.key === "Escape") {
      setTitle(item.title);
      setRenaming(false);
    }
  };
  if (renaming) {
    return (
      <div className="conversation-item renaming">
        <input ref={input} value={title} onChange={(e) => setTitle(e.target.value)} onBlur={() => void commit()} onKeyDown={onKeyDown} maxLength={200} data-testid="rename-input" />
      </div>
    );
  }
  return (
    <div className={`conversation-item${active ? " active" : ""}`} data-testid="conversation-item" data-id={item.id}>
      <button type="button" className="conversation-link" onClick={onOpen} title={label}>
        {label}
      </button>
      <Popover
        align="right"
        className="item-menu"
        trigger={({ toggle, open }) => (
          <button type="button" className="icon-button small" onClick={toggle} aria-expanded={open} aria-label={t("sidebar.more")} data-testid="conversation-menu">
            <Ellipsis size={16} />
          </button>
        )}
      >
        {(close) => (
          <>
            <button
              type="button"
              className="menu-item"
              onClick={() => {
                close();
                setTitle(item.title);
                setRenaming(true);
              }}
              data-testid="rename-conversation"
            >
              <Pencil size={15} />
              <span className="menu-label">{t("sidebar.rename")}</span>
            </button>
            <button
              type="button"
              className="menu-item danger"
              onClick={async () => {
                close();
                if (!window.confirm(t("sidebar.confirmDelete", { title: label }))) return;
                await conversationsApi.remove(item.id);
                list.refresh();
                onDeleted();
              }}
              data-testid="delete-conversation"
            >
              <Trash size={15} />
              <span className="menu-label">{t("sidebar.delete")}</span>
            </button>
          </>
        )}
      </Popover>
    </div>
  );
}
