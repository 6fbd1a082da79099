/**
 * The state and actions of the chat column: the loaded conversation (or a draft before the first
 * message), the branch shown, and the answer streaming now. The browser drives generation
 * (`/v1/chat/completions`) and saves each question and answer to `/api/conversations`.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import {
  ApiError,
  apiFetch,
  apiJson,
  conversationsApi,
  errorFromResponse,
  type AnswerDetails,
  type ConversationWithMessages,
  type Message,
  type SamplingSettings,
} from "../api/client.ts";
import { deriveTitle } from "../../../src/webapp/conversations/title.ts";
import { readSseData } from "../api/sse.ts";
import { applyChunk, finishAnswer, startAnswer, toDetails, type AnswerState, type ChatChunk } from "./chat-stream.ts";
import { buildChatRequest } from "./chat-request.ts";
import { newestLeafFrom, pathTo, siblingsOf } from "./tree.ts";

const DEEP_THINK_KEY = "sputnik.deepThink";

export interface Streaming {
  /** The question being answered. */
  parentId: string;
  model: string;
  answer: AnswerState;
}

export interface ChatOptions {
  conversationId: string | null;
  /** The model used when the conversation names none (or names one no longer served). */
  defaultModel: string | null;
  /** Whether a model can switch reasoning (`meta.thinking`). */
  supportsThinking(model: string): boolean;
  onCreated(id: string): void;
  /** A title or the order of the sidebar list may have changed. */
  onChanged(): void;
}

export type LoadState = "ready" | "loading" | "not-found" | { error: string };

const emptyDraft = (): ConversationWithMessages => ({
  id: "",
  title: "",
  model: null,
  created_at: 0,
  updated_at: 0,
  system_prompt: "",
  settings: {},
  current_leaf_id: null,
  messages: [],
});

export function useChat(options: ChatOptions) {
  const [conversation, setConversation] = useState<ConversationWithMessages>(emptyDraft);
  const [load, setLoad] = useState<LoadState>("ready");
  const [streaming, setStreaming] = useState<Streaming | null>(null);
  /** A question or answer that could not be saved (server gone, key revoked…). */
  const [error, setError] = useState<string | null>(null);
  const [deepThinkDefault, setDeepThinkDefault] = useState(() => localStorage.getItem(DEEP_THINK_KEY) === "1");
  const abortRef = useRef<AbortController | null>(null);
  const conversationRef = useRef(conversation);
  conversationRef.current = conversation;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  // Load the conversation named by the route, unless it is the one already here (just created).
  useEffect(() => {
    const id = options.conversationId;
    if (id !== null && id === conversationRef.current.id) return;
    // Another chat was opened: the answer streaming here stops (and is saved as stopped).
    abortRef.current?.abort();
    if (id === null) {
      setConversation(emptyDraft());
      setLoad("ready");
      return;
    }
    let cancelled = false;
    setLoad("loading");
    conversationsApi.get(id).then(
      (loaded) => {
        if (cancelled) return;
        setConversation(loaded);
        setLoad("ready");
      },
      (error: unknown) => {
        if (cancelled) return;
        setLoad(error instanceof ApiError && error.status === 404 ? "not-found" : { error: (error as Error).message });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [options.conversationId]);

  const model = conversation.model ?? options.defaultModel;
  const deepThink = conversation.settings.thinking ?? deepThinkDefault;

  /** Saves a change of model, system prompt or settings (or keeps it in the draft). */
  const update = useCallback(async (patch: { model?: string; system_prompt?: string; settings?: SamplingSettings }) => {
    setConversation((c) => ({ ...c, ...patch }));
    const id = conversationRef.current.id;
    if (id) {
      await conversationsApi.update(id, patch);
      optionsRef.current.onChanged();
    }
  }, []);

  const setDeepThink = useCallback(
    (on: boolean) => {
      localStorage.setItem(DEEP_THINK_KEY, on ? "1" : "0");
      setDeepThinkDefault(on);
      void update({ settings: { ...conversationRef.current.settings, thinking: on } });
    },
    [update],
  );

  /** Streams an answer to `question` (already saved) and saves it as the question's newest child. */
  const generate = useCallback(async (conversationId: string, question: Message, messages: Message[]) => {
    const current = conversationRef.current;
    const answerModel = current.model ?? optionsRef.current.defaultModel;
    if (!answerModel) return;
    const controller = new AbortController();
    abortRef.current = controller;
    let answer = startAnswer(Date.now());
    let frame = 0;
    const show = () => {
      frame = 0;
      setStreaming({ parentId: question.id, model: answerModel, answer });
    };
    show();
    const settings = current.settings;
    try {
      const body = buildChatRequest({
        model: answerModel,
        systemPrompt: current.system_prompt,
        settings,
        history: pathTo(messages, question.id),
        supportsThinking: optionsRef.current.supportsThinking(answerModel),
        deepThink: settings.thinking ?? localStorage.getItem(DEEP_THINK_KEY) === "1",
      });
      const response = await apiFetch("/v1/chat/completions", { method: "POST", body: JSON.stringify(body), signal: controller.signal });
      if (!response.ok || !response.body) throw await errorFromResponse(response);
      for await (const data of readSseData(response.body, controller.signal)) {
        let chunk: ChatChunk;
        try {
          chunk = JSON.parse(data) as ChatChunk;
        } catch {
          continue;
        }
        answer = applyChunk(answer, chunk, Date.now());
        // One render per frame however fast tokens come.
        if (!frame) frame = requestAnimationFrame(show);
      }
      answer = finishAnswer(answer, Date.now(), { stopped: controller.signal.aborted });
    } catch (error) {
      answer = controller.signal.aborted ? finishAnswer(answer, Date.now(), { stopped: true }) : finishAnswer(answer, Date.now(), { error: (error as Error).message });
    }
    if (frame) cancelAnimationFrame(frame);
    show();
    const details: AnswerDetails = toDetails(answer, { maxTokens: settings.max_tokens });
    if (details.completion_id && details.finish_reason !== "error") {
      const cost = await fetchCost(details.completion_id);
      if (cost) details.cost = cost;
    }
    try {
      const saved = await conversationsApi.addMessage(conversationId, {
        parent_id: question.id,
        role: "assistant",
        content: answer.content,
        reasoning_content: answer.reasoning || null,
        model: answerModel,
        details,
      });
      setConversation((c) => (c.id === conversationId ? { ...c, messages: [...c.messages, saved], current_leaf_id: saved.id } : c));
    } finally {
      abortRef.current = null;
      setStreaming(null);
      optionsRef.current.onChanged();
    }
  }, []);

  /** Adds a question under `parentId` (creating the conversation first if needed), then answers it. */
  const ask = useCallback(
    async (text: string, parentId: string | null) => {
      if (abortRef.current || !text.trim()) return;
      setError(null);
      try {
        let current = conversationRef.current;
        if (!current.id) {
          const created = await conversationsApi.create({
            model: current.model ?? optionsRef.current.defaultModel,
            system_prompt: current.system_prompt,
            settings: { ...current.settings, thinking: current.settings.thinking ?? localStorage.getItem(DEEP_THINK_KEY) === "1" },
          });
          current = { ...created, messages: [] };
          conversationRef.current = current;
          setConversation(current);
          optionsRef.current.onCreated(created.id);
        }
        const question = await conversationsApi.addMessage(current.id, { parent_id: parentId, role: "user", content: text });
        const messages = [...current.messages, question];
        const next = { ...current, messages, current_leaf_id: question.id, title: current.title || deriveTitle(question.content) };
        conversationRef.current = next;
        setConversation(next);
        optionsRef.current.onChanged();
        await generate(current.id, question, messages);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [generate],
  );

  const send = useCallback((text: string) => ask(text, conversationRef.current.current_leaf_id), [ask]);

  const editAndSend = useCallback(
    (message: Message, text: string) => ask(text, message.parent_id),
    [ask],
  );

  const regenerate = useCallback(
    async (answer: Message) => {
      if (abortRef.current || !answer.parent_id) return;
      const current = conversationRef.current;
      const question = current.messages.find((m) => m.id === answer.parent_id);
      if (!question) return;
      setError(null);
      await generate(current.id, question, current.messages).catch((e: Error) => setError(e.message));
    },
    [generate],
  );

  const stop = useCallback(() => abortRef.current?.abort(), []);

  /** Shows the previous (-1) or next (+1) sibling of `message`, down to that branch's newest leaf. */
  const switchBranch = useCallback((message: Message, delta: -1 | 1) => {
    if (abortRef.current) return;
    const current = conversationRef.current;
    const { siblings, index } = siblingsOf(current.messages, message);
    const target = siblings[index + delta];
    if (!target) return;
    const leaf = newestLeafFrom(current.messages, target.id);
    setConversation({ ...current, current_leaf_id: leaf });
    void conversationsApi.update(current.id, { current_leaf_id: leaf });
  }, []);

  // Esc stops the answer, wherever the focus is.
  useEffect(() => {
    if (!streaming) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        stop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [streaming, stop]);

  // Leaving the page (or this chat) stops its answer.
  useEffect(() => () => abortRef.current?.abort(), []);

  const shown = streaming ? pathTo(conversation.messages, streaming.parentId) : pathTo(conversation.messages, conversation.current_leaf_id);
  return { conversation, load, streaming, error, dismissError: () => setError(null), shown, model, deepThink, setDeepThink, update, send, editAndSend, regenerate, stop, switchBranch };
}

/**
 * The answer's cost from the usage ledger. The ledger row settles a moment after the last frame,
 * so a `pending` row is asked for again a few times; no ledger (404) means no cost to show.
 */
async function fetchCost(completionId: string): Promise<AnswerDetails["cost"]> {
  for (const delay of [0, 100, 300, 600]) {
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      const row = await apiJson<{ status: string; cost_micros: number; currency: string }>(`/api/usage/${encodeURIComponent(completionId)}`);
      if (row.status !== "pending") return { micros: row.cost_micros, currency: row.currency };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
