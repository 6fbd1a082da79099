/**
 * Client-side routes on the History API (the server answers index.html for any non-API path):
 *   /            a new chat
 *   /c/:id       a conversation
 *   /manage/:tab models | keys | usage | audit   (`/admin` is the API's prefix, so not used here)
 */
import { useCallback, useEffect, useState } from "react";

export const ADMIN_TABS = ["models", "keys", "usage", "audit"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

export type Route = { page: "chat"; conversationId: string | null } | { page: "admin"; tab: AdminTab };

export function parseRoute(pathname: string): Route {
  const chat = /^\/c\/([^/]+)\/?$/.exec(pathname);
  if (chat) return { page: "chat", conversationId: decodeURIComponent(chat[1]) };
  const admin = /^\/manage(?:\/([^/]+))?\/?$/.exec(pathname);
  if (admin) {
    const tab = (ADMIN_TABS as readonly string[]).includes(admin[1] ?? "") ? (admin[1] as AdminTab) : "models";
    return { page: "admin", tab };
  }
  return { page: "chat", conversationId: null };
}

export function routePath(route: Route): string {
  if (route.page === "admin") return `/manage/${route.tab}`;
  return route.conversationId ? `/c/${encodeURIComponent(route.conversationId)}` : "/";
}

export function useRoute(): [Route, (route: Route, options?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const path = routePath(next);
    if (path !== location.pathname) {
      if (options.replace) history.replaceState(null, "", path);
      else history.pushState(null, "", path);
    }
    setRoute(next);
  }, []);
  return [route, navigate];
}
