/** The shell: sidebar + chat or admin page, the API-key prompt when the server needs one. */
import { useCallback, useEffect, useState } from "react";
import { AdminView } from "./admin/AdminView.tsx";
import { AuthDialog } from "./components/AuthDialog.tsx";
import { ChatView } from "./components/ChatView.tsx";
import { preloadMarkdown } from "./components/Markdown.tsx";
import { NewKeyDialog } from "./components/NewKeyDialog.tsx";
import { Sidebar } from "./components/Sidebar.tsx";
import { useConversationList, useMe, useModels } from "./hooks.ts";
import { useI18n } from "./i18n/i18n.tsx";
import { useRoute } from "./router.ts";

export function App() {
  const { t } = useI18n();
  const [route, navigate] = useRoute();
  const [me] = useMe();
  const signedIn = me.status === "ready";
  const [models, refreshModels] = useModels(signedIn);
  const list = useConversationList(signedIn);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [newKey, setNewKey] = useState<string | null>(null);
  useEffect(preloadMarkdown, []);
  const isAdmin = signedIn && (me.me.local || me.me.scopes.includes("admin"));

  const onCreated = useCallback((id: string) => navigate({ page: "chat", conversationId: id }, { replace: route.page === "chat" && route.conversationId === null }), [navigate, route]);

  return (
    <div className="app">
      <Sidebar route={route} list={list} isAdmin={isAdmin} open={sidebarOpen} onClose={() => setSidebarOpen(false)} navigate={navigate} />
      <main className="main">
        {me.status === "error" && <div className="center-note error">{t("common.error", { message: me.error })}</div>}
        {route.page === "admin" ? (
          <AdminView tab={route.tab} allowed={isAdmin} local={signedIn && me.me.local} onKeyCreated={setNewKey} models={models} refreshModels={refreshModels} navigate={navigate} onOpenSidebar={() => setSidebarOpen(true)} />
        ) : (
          <ChatView conversationId={route.conversationId} models={models} onOpenSidebar={() => setSidebarOpen(true)} onCreated={onCreated} onChanged={list.refresh} />
        )}
      </main>
      {me.status === "needs-key" && <AuthDialog />}
      {newKey && <NewKeyDialog token={newKey} onClose={() => setNewKey(null)} />}
    </div>
  );
}
