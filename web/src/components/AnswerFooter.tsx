/** Under an answer: how it ended (cut, withheld, stopped, failed) and its details (tokens, speed, cost). */
import { CircleStop, Info, OctagonX, Scissors, ShieldBan } from "lucide-react";
import type { AnswerDetails } from "../api/client.ts";
import { formatMicros, formatNumber } from "../format.ts";
import { useI18n } from "../i18n/i18n.tsx";

export function EndNotice({ details, maxTokens }: { details: AnswerDetails; maxTokens?: number }) {
  const { t } = useI18n();
  const moderation = details.moderation;
  switch (details.finish_reason) {
    case "length":
      return (
        <div className="notice warn" role="status" data-testid="notice-cut">
          <Scissors size={15} />
          <span>
            {details.length_cause === "context"
              ? t("chat.cutContext")
              : maxTokens !== undefined
                ? t("chat.cutLength", { n: maxTokens })
                : t("chat.cutLengthNoLimit")}
          </span>
        </div>
      );
    case "content_filter":
      return (
        <div className="notice danger" role="status" data-testid="notice-withheld">
          <ShieldBan size={15} />
          <span>{moderation ? t("chat.withheld", { policy: moderation.policy, reason: moderation.reason }) : t("chat.withheldNoReason")}</span>
        </div>
      );
    case "stopped":
      return (
        <div className="notice muted" role="status" data-testid="notice-stopped">
          <CircleStop size={15} />
          <span>{t("chat.stopped")}</span>
        </div>
      );
    case "error":
      return (
        <div className="notice danger" role="alert" data-testid="notice-error">
          <OctagonX size={15} />
          <span>{t("chat.error", { message: details.error ?? "" })}</span>
        </div>
      );
    default:
      // An answer may pass with an annotation (or a redaction) from a policy: say so.
      return moderation ? (
        <div className="notice info" role="status" data-testid="notice-moderated">
          <Info size={15} />
          <span>{t("chat.moderated", { policy: moderation.policy, reason: moderation.reason })}</span>
        </div>
      ) : null;
  }
}

export function DetailsTable({ details, model }: { details: AnswerDetails; model: string | null }) {
  const { t, language } = useI18n();
  const n = (value: number, digits = 0) => formatNumber(value, language, digits);
  const usage = details.usage;
  const rows: Array<[string, string]> = [];
  if (model) rows.push([t("details.model"), model]);
  if (usage) {
    rows.push([t("details.prompt"), `${t("details.tokens", { n: n(usage.prompt_tokens) })} (${n(usage.cached_tokens)} ${t("details.cached")})`]);
    if (usage.reasoning_tokens > 0) rows.push([t("details.reasoning"), t("details.tokens", { n: n(usage.reasoning_tokens) })]);
    rows.push([t("details.output"), t("details.tokens", { n: n(usage.completion_tokens) })]);
  }
  if (details.tokens_per_second !== undefined) rows.push([t("details.speed"), t("details.tps", { n: n(details.tokens_per_second, 1) })]);
  if (details.ttft_ms !== undefined) rows.push([t("details.ttft"), t("details.ms", { n: n(details.ttft_ms) })]);
  if (details.duration_ms !== undefined) rows.push([t("details.duration"), t("details.s", { n: n(details.duration_ms / 1000, 1) })]);
  if (details.cost) rows.push([t("details.cost"), formatMicros(details.cost.micros, details.cost.currency, language)]);
  return (
    <dl className="details" data-testid="answer-details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
