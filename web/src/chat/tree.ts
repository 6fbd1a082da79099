/**
 * The message tree of a conversation: every edit or regeneration adds a sibling under the same
 * parent, so earlier branches stay. Pure functions over the flat message list (oldest first).
 */
export interface TreeMessage {
  id: string;
  parent_id: string | null;
  created_at: number;
}

/** Messages from the first one down to `leafId`, oldest first (empty for a null or unknown leaf). */
export function pathTo<M extends TreeMessage>(messages: readonly M[], leafId: string | null): M[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const path: M[] = [];
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

/** The children of `parentId` (null: the first messages), oldest first. */
export function childrenOf<M extends TreeMessage>(messages: readonly M[], parentId: string | null): M[] {
  return messages.filter((m) => m.parent_id === parentId).sort((a, b) => a.created_at - b.created_at);
}

/** The message and its siblings (itself included), oldest first, and its position among them. */
export function siblingsOf<M extends TreeMessage>(messages: readonly M[], message: M): { siblings: M[]; index: number } {
  const siblings = childrenOf(messages, message.parent_id);
  return { siblings, index: siblings.findIndex((m) => m.id === message.id) };
}

/** The leaf reached from `id` by always following the newest child: where a switched-to branch ends. */
export function newestLeafFrom<M extends TreeMessage>(messages: readonly M[], id: string): string {
  let current = id;
  const seen = new Set<string>();
  for (;;) {
    seen.add(current);
    const children = childrenOf(messages, current);
    const newest = children.at(-1);
    if (!newest || seen.has(newest.id)) return current;
    current = newest.id;
  }
}
