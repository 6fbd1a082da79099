/**
 * One message of the branch shown. A question: right-aligned bubble, edit (which adds a sibling
 * branch) and "< 2/3 >" to walk its siblings. An answer: reasoning panel, Markdown, end notice,
 * copy / regenerate / details, and the same sibling navigation.
 */
import { Check, ChevronLeft, ChevronRight, Copy, Info, Pencil, RefreshCw } from "lucide-react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { AnswerDetails, Message } from "../api/client.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { DetailsTable, EndNotice } from "./AnswerFooter.tsx";
import { copyText } from "./copy-text.ts";
import { Markdown } from "./Markdown.tsx";
import { ReasoningPanel } from "./ReasoningPanel.tsx";
import { SputnikMark } from "./SputnikMark.tsx";

export interface BranchInfo {
  index: number;
  count: number;
  onPrevious(): void;
  onNext(): void;
}

function BranchNav({ branch, disabled }: { branch: BranchInfo; disabled: boolean }) {
  const { t } = useI18n();
  if (branch.count < 2) return null;
  return (
    <div className="branch-nav" data-testid="branch-nav">
      <button type="button" className="icon-button small" onClick={branch.onPrevious} disabled={disabled || branch.index === 0} aria-label={t("chat.previousBranch")}>
        <ChevronLeft size={16} />
      </button>
      <span data-testid="branch-position">
        {branch.index + 1} / {branch.count}
      </span>
      <button type="button" className="icon-button small" onClick={branch.onNext} disabled={disabled || branch.index === branch.count - 1} aria-label={t("chat.nextBranch")}>
        <ChevronRight size={16} />
      </button>
    </div>
  );
}

function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="icon-button small"
      title={copied ? t("chat.copied") : t("chat.copy")}
      aria-label={t("chat.copy")}
      onClick={() =>
        void copyText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        })
      }
    >
      {copied ? <Check size={16} /> : <Copy size={16} />}
    </button>
  );
}

export function UserMessage({ message, branch, busy, onEdit }: { message: Message; branch: BranchInfo; busy: boolean; onEdit(text: string): void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (editing) {
      area.current?.focus();
      area.current?.setSelectionRange(area.current.value.length, area.current.value.length);
    }
  }, [editing]);
  const submit = () => {
    if (!draft.trim()) return;
    setEditing(false);
    onEdit(draft);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape") {
      setEditing(false);
    }
  };
  if (editing) {
    return (
      <div className="message user editing" data-testid="message-user">
        <div className="edit-box">
          <textarea ref={area} value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} rows={Math.min(10, draft.split("\n").length + 1)} data-testid="edit-input" />
          <div className="edit-actions">
            <button type="button" className="button ghost" onClick={() => setEditing(false)}>
              {t("chat.cancel")}
            </button>
            <button type="button" className="button primary" onClick={submit} disabled={busy || !draft.trim()} data-testid="edit-send">
              {t("chat.saveAndSend")}
            </button>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="message user" data-testid="message-user">
      <div className="bubble">{message.content}</div>
      <div className="message-actions">
        <CopyButton text={message.content} />
        <button
          type="button"
          className="icon-button small"
          onClick={() => {
            setDraft(message.content);
            setEditing(true);
          }}
          disabled={busy}
          aria-label={t("chat.edit")}
          title={t("chat.edit")}
          data-testid="edit-button"
        >
          <Pencil size={16} />
        </button>
        <BranchNav branch={branch} disabled={busy} />
      </div>
    </div>
  );
}

export interface AnswerView {
  content: string;
  reasoning: string;
  reasoningMs: number | undefined;
  model: string | null;
  details: AnswerDetails | null;
  streaming: boolean;
  /** Reasoning still streaming (no answer text yet). */
  thinking: boolean;
}

export function AssistantMessage({
  answer,
  branch,
  busy,
  maxTokens,
  onRegenerate,
}: {
  answer: AnswerView;
  branch: BranchInfo | null;
  busy: boolean;
  maxTokens?: number;
  onRegenerate?(): void;
}) {
  const { t } = useI18n();
  const [showDetails, setShowDetails] = useState(false);
  const waiting = answer.streaming && !answer.content && !answer.reasoning;
  return (
    <div className={`message assistant${answer.streaming ? " streaming" : ""}`} data-testid="message-assistant" data-streaming={answer.streaming ? "true" : "false"}>
      <div className="avatar" aria-hidden="true">
        <SputnikMark size={20} />
      </div>
      <div className="answer">
        {answer.reasoning && <ReasoningPanel text={answer.reasoning} ms={answer.reasoningMs} active={answer.thinking} />}
        {waiting ? (
          <div className="typing" aria-label={t("chat.loading")}>
            <span />
            <span />
            <span />
          </div>
        ) : (
          answer.content && (
            <div data-testid="answer-text">
              <Markdown text={answer.content} />
            </div>
          )
        )}
        {answer.details && <EndNotice details={answer.details} maxTokens={maxTokens} />}
        {!answer.streaming && (
          <>
            <div className="message-actions">
              <CopyButton text={answer.content} />
              {onRegenerate && (
                <button type="button" className="icon-button small" onClick={onRegenerate} disabled={busy} aria-label={t("chat.regenerate")} title={t("chat.regenerate")} data-testid="regenerate-button">
                  <RefreshCw size={16} />
                </button>
              )}
              {answer.details && (
                <button
                  type="button"
                  className={`icon-button small${showDetails ? " active" : ""}`}
                  onClick={() => setShowDetails((s) => !s)}
                  aria-label={t("chat.details")}
                  title={t("chat.details")}
                  aria-expanded={showDetails}
                  data-testid="details-button"
                >
                  <Info size={16} />
                </button>
              )}
              {branch && <BranchNav branch={branch} disabled={busy} />}
            </div>
            {showDetails && answer.details && <DetailsTable details={answer.details} model={answer.model} />}
          </>
        )}
      </div>
    </div>
  );
}
