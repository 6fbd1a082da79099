/** Data the whole app shares: who we are, the served models, the sidebar's conversation list. */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, AUTH_REQUIRED_EVENT, conversationsApi, meApi, modelsApi, type ConversationSummary, type Me, type ModelInfo } from "./api/client.ts";

export type MeState = { status: "loading" } | { status: "ready"; me: Me } | { status: "needs-key"; error?: string } | { status: "error"; error: string };

export function useMe(): [MeState, () => void] {
  const [state, setState] = useState<MeState>({ status: "loading" });
  const refresh = useCallback(() => {
    meApi.get().then(
      (me) => setState({ status: "ready", me }),
      (error: unknown) =>
        setState(error instanceof ApiError && error.status === 401 ? { status: "needs-key", error: error.message } : { status: "error", error: (error as Error).message }),
    );
  }, []);
  useEffect(() => {
    refresh();
    const onAuth = () => setState((s) => (s.status === "needs-key" ? s : { status: "needs-key" }));
    const onKey = () => refresh();
    window.addEventListener(AUTH_REQUIRED_EVENT, onAuth);
    window.addEventListener("sputnik:api-key", onKey);
    return () => {
      window.removeEventListener(AUTH_REQUIRED_EVENT, onAuth);
      window.removeEventListener("sputnik:api-key", onKey);
    };
  }, [refresh]);
  return [state, refresh];
}

/** Served models; polled while any is still loading, so a pulled model appears by itself. */
export function useModels(enabled: boolean): [ModelInfo[] | null, () => void] {
  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      modelsApi.list().then(
        (list) => {
          if (cancelled) return;
          setModels(list);
          if (list.some((m) => m.meta.status === "loading")) timer = setTimeout(poll, 2000);
        },
        () => {
          if (!cancelled) timer = setTimeout(poll, 5000);
        },
      );
    };
    poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [enabled, tick]);
  return [models, refresh];
}

export interface ConversationListState {
  items: ConversationSummary[];
  loaded: boolean;
  query: string;
  setQuery(q: string): void;
  refresh(): void;
}

export function useConversationList(enabled: boolean): ConversationListState {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [query, setQuery] = useState("");
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    if (!enabled) return;
    const request = ++latest.current;
    // Typing in the search box waits for a pause; other refreshes go at once.
    const timer = setTimeout(
      () => {
        conversationsApi.list(query, 200).then(
          (list) => {
            if (request !== latest.current) return;
            setItems(list.data);
            setLoaded(true);
          },
          () => undefined,
        );
      },
      query ? 200 : 0,
    );
    return () => clearTimeout(timer);
  }, [enabled, query, tick]);
  return { items, loaded, query, setQuery, refresh };
}
