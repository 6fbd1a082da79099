/**
 * Conversation export: Markdown (the branch shown, readable anywhere) and JSON (everything,
 * every branch, as the API returns it — for backup or another tool).
 */
import type { ConversationWithMessages, Message } from "./wire.ts";

/** The messages from the first one down to `leafId` (the branch shown), oldest first. */
export function branchTo(messages: readonly Message[], leafId: string | null): Message[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const path: Message[] = [];
  const seen = new Set<string>();
  for (let id = leafId; id !== null && !seen.has(id); ) {
    const message = byId.get(id);
    if (!message) break;
    seen.add(id);
    path.push(message);
    id = message.parent_id;
  }
  return path.reverse();
}

export function toMarkdown(conversation: ConversationWithMessages): string {
  const lines: string[] = [`# ${conversation.title || "Untitled conversation"}`, ""];
  const meta = [conversation.model ? `Model: ${conversation.model}` : undefined, `Created: ${new Date(conversation.created_at).toISOString()}`];
  lines.push(meta.filter(Boolean).join(" · "), "");
  if (conversation.system_prompt.trim()) lines.push("## System", "", conversation.system_prompt.trim(), "");
  for (const message of branchTo(conversation.messages, conversation.current_leaf_id)) {
    if (message.role === "user") {
      lines.push("## You", "", message.content, "");
      continue;
    }
    lines.push(`## Assistant${message.model ? ` (${message.model})` : ""}`, "");
    if (message.reasoning_content?.trim()) {
      const seconds = message.details?.reasoning_ms !== undefined ? Math.max(1, Math.round(message.details.reasoning_ms / 1000)) : undefined;
      // A <details> block keeps the reasoning collapsed on GitHub and most Markdown viewers.
      lines.push(`<details><summary>${seconds !== undefined ? `Thought for ${seconds} s` : "Reasoning"}</summary>`, "");
      lines.push(message.reasoning_content.trim(), "", "</details>", "");
    }
    lines.push(message.content, "");
    const notice = endNotice(message);
    if (notice) lines.push(`> ${notice}`, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function endNotice(message: Message): string | undefined {
  const details = message.details;
  if (!details) return undefined;
  switch (details.finish_reason) {
    case "length":
      return details.length_cause === "context" ? "The answer was cut: the context window is full." : "The answer was cut: it reached the token limit.";
    case "content_filter":
      return details.moderation ? `Withheld by policy ${details.moderation.policy}: ${details.moderation.reason}` : "Withheld by a content policy.";
    case "stopped":
      return "Stopped by the user.";
    case "error":
      return `Error: ${details.error ?? "the answer failed"}`;
    default:
      return undefined;
  }
}

/** A file name from the title: letters, digits and dashes, never empty. */
export function exportFileName(conversation: ConversationWithMessages, extension: "md" | "json"): string {
  const base = conversation.title
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${base || conversation.id}.${extension}`;
}
