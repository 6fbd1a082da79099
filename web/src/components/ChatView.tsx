/** The chat column: top bar (model, settings, export), the branch shown, and the composer. */
import { Download, Menu, OctagonX, SlidersHorizontal, X } from "lucide-react";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { conversationsApi, type Message, type ModelInfo } from "../api/client.ts";
import { reasoningMs } from "../chat/chat-stream.ts";
import { siblingsOf } from "../chat/tree.ts";
import { useChat } from "../chat/use-chat.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { Composer } from "./Composer.tsx";
import { AssistantMessage, UserMessage, type BranchInfo } from "./MessageItem.tsx";
import { ModelPicker } from "./ModelPicker.tsx";
import { Popover } from "./Popover.tsx";
import { SettingsDrawer } from "./SettingsDrawer.tsx";
import { SputnikMark } from "./SputnikMark.tsx";

export interface ChatViewProps {
  conversationId: string | null;
  models: ModelInfo[] | null;
  onOpenSidebar(): void;
  onCreated(id: string): void;
  onChanged(): void;
}

export function ChatView({ conversationId, models, onOpenSidebar, onCreated, onChanged }: ChatViewProps) {
  const { t } = useI18n();
  const ready = (models ?? []).filter((m) => m.meta.status === "ready");
  const modelInfo = (id: string | null) => (models ?? []).find((m) => m.id === id);
  const supportsThinking = useCallback((id: string) => (models ?? []).find((m) => m.id === id)?.meta.thinking === true, [models]);
  const chat = useChat({ conversationId, defaultModel: ready[0]?.id ?? null, supportsThinking, onCreated, onChanged });
  const [drawer, setDrawer] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // The chosen model may no longer be served: fall back to the first ready one.
  const model = chat.model && modelInfo(chat.model)?.meta.status === "ready" ? chat.model : (ready[0]?.id ?? chat.model);
  const busy = chat.streaming !== null;
  const messages = chat.conversation.messages;

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  });
  useEffect(() => {
    stick.current = true;
  }, [conversationId]);
  const title = chat.conversation.title;
  useEffect(() => {
    document.title = title ? `${title} · Sputnik` : "Sputnik";
  }, [title]);

  const branchOf = (message: Message): BranchInfo => {
    const { siblings, index } = siblingsOf(messages, message);
    return {
      index,
      count: siblings.length,
      onPrevious: () => chat.switchBranch(message, -1),
      onNext: () => chat.switchBranch(message, 1),
    };
  };

  const empty = chat.shown.length === 0 && !chat.streaming && chat.load === "ready";
  const thinking = model && supportsThinking(model) ? "switchable" : "unsupported";
  const composer = (
    <Composer
      busy={busy}
      disabled={!model || chat.load !== "ready"}
      deepThink={chat.deepThink}
      thinking={thinking}
      onDeepThink={chat.setDeepThink}
      onSend={(text) => {
        stick.current = true;
        void chat.send(text);
      }}
      onStop={chat.stop}
    />
  );

  return (
    <section className="chat" data-testid="chat-view">
      <header className="topbar">
        <button type="button" className="icon-button only-narrow" onClick={onOpenSidebar} aria-label={t("sidebar.open")} data-testid="open-sidebar">
          <Menu size={20} />
        </button>
        <ModelPicker models={models ?? []} value={model} onChange={(id) => void chat.update({ model: id })} disabled={busy} />
        <h1 className="topbar-title" title={chat.conversation.title}>
          {chat.conversation.title}
        </h1>
        <span className="spacer" />
        {chat.conversation.id && (
          <Popover
            align="right"
            trigger={({ toggle, open }) => (
              <button type="button" className="icon-button" onClick={toggle} aria-expanded={open} aria-label={t("export.title")} title={t("export.title")} data-testid="export-button">
                <Download size={18} />
              </button>
            )}
          >
            {(close) => (
              <>
                {(["markdown", "json"] as const).map((format) => (
                  <button
                    key={format}
                    type="button"
                    className="menu-item"
                    data-testid={`export-${format}`}
                    onClick={() => {
                      close();
                      void conversationsApi.download(chat.conversation.id, format);
                    }}
                  >
                    <span className="menu-label">{format === "markdown" ? t("export.markdown") : t("export.json")}</span>
                  </button>
                ))}
              </>
            )}
          </Popover>
        )}
        <button type="button" className="icon-button" onClick={() => setDrawer(true)} aria-label={t("drawer.title")} title={t("drawer.title")} data-testid="settings-button">
          <SlidersHorizontal size={18} />
        </button>
      </header>

      {chat.load === "loading" && <div className="center-note">{t("chat.loading")}</div>}
      {chat.load === "not-found" && <div className="center-note">{t("chat.notFound")}</div>}
      {typeof chat.load === "object" && <div className="center-note error">{t("common.error", { message: chat.load.error })}</div>}

      {empty ? (
        <div className="welcome">
          <div className="welcome-title">
            <SputnikMark size={44} />
            <h2>{t("chat.greeting")}</h2>
          </div>
          <p className="welcome-sub">{t("chat.greetingSub")}</p>
          {models !== null && ready.length === 0 && <p className="center-note">{t("chat.noModels")}</p>}
          {chat.error && (
            <p className="notice danger" role="alert" data-testid="send-error">
              {t("common.error", { message: chat.error })}
            </p>
          )}
          <div className="composer-wrap">{composer}</div>
        </div>
      ) : (
        chat.load === "ready" && (
          <>
            <div className="messages" ref={scroller} onScroll={onScroll} data-testid="messages">
              <div className="messages-inner">
                {chat.shown.map((message) =>
                  message.role === "user" ? (
                    <UserMessage key={message.id} message={message} branch={branchOf(message)} busy={busy} onEdit={(text) => void chat.editAndSend(message, text)} />
                  ) : (
                    <AssistantMessage
                      key={message.id}
                      answer={{
                        content: message.content,
                        reasoning: message.reasoning_content ?? "",
                        reasoningMs: message.details?.reasoning_ms,
                        model: message.model,
                        details: message.details,
                        streaming: false,
                        thinking: false,
                      }}
                      branch={branchOf(message)}
                      busy={busy}
                      maxTokens={chat.conversation.settings.max_tokens}
                      onRegenerate={() => {
                        stick.current = true;
                        void chat.regenerate(message);
                      }}
                    />
                  ),
                )}
                {chat.streaming && (
                  <AssistantMessage
                    key="streaming"
                    answer={{
                      content: chat.streaming.answer.content,
                      reasoning: chat.streaming.answer.reasoning,
                      reasoningMs: reasoningMs(chat.streaming.answer, Date.now()),
                      model: chat.streaming.model,
                      details: null,
                      streaming: true,
                      thinking: chat.streaming.answer.reasoning !== "" && chat.streaming.answer.content === "" && chat.streaming.answer.endedAt === undefined,
                    }}
                    branch={null}
                    busy
                  />
                )}
              </div>
            </div>
            <div className="composer-dock">
              {chat.error && (
                <div className="notice danger send-error" role="alert" data-testid="send-error">
                  <OctagonX size={15} />
                  <span>{t("common.error", { message: chat.error })}</span>
                  <button type="button" className="icon-button small" onClick={chat.dismissError} aria-label={t("common.close")}>
                    <X size={14} />
                  </button>
                </div>
              )}
              {composer}
              <p className="disclaimer">{t("chat.disclaimer")}</p>
            </div>
          </>
        )
      )}

      {drawer && (
        <SettingsDrawer
          value={{ system_prompt: chat.conversation.system_prompt, settings: chat.conversation.settings }}
          onChange={(next) => void chat.update({ system_prompt: next.system_prompt, settings: { ...next.settings, thinking: chat.conversation.settings.thinking } })}
          onClose={() => setDrawer(false)}
        />
      )}
    </section>
  );
}
