/**
 * Conversations and their message trees, per owner, on the platform's database (SQLite or
 * PostgreSQL through Kysely). Every query is scoped by owner: another owner's conversation is a
 * 404, never a 403, so ids cannot be probed.
 */
import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Selectable } from "kysely";
import { invalidRequest, SputnikError } from "../../core/errors.ts";
import type { ConversationMessageTable, ConversationTable, DatabaseSchema } from "../../platform/store/schema.ts";
import { deriveTitle } from "./title.ts";
import {
  answerDetailsSchema,
  samplingSettingsSchema,
  type Conversation,
  type ConversationList,
  type ConversationWithMessages,
  type CreateConversation,
  type CreateMessage,
  type Message,
  type UpdateConversation,
} from "./wire.ts";

export interface ConversationStoreDeps {
  db: Kysely<DatabaseSchema>;
  /** Epoch ms. Defaults to `Date.now`. */
  now?: () => number;
  /** Random part of new ids. Defaults to a UUID without dashes. */
  newId?: () => string;
  /**
   * The text to store for a message (moderation's privacy shield masks private data when the
   * policy says `privacy.conversations: mask`). Defaults to the text unchanged.
   */
  textForStorage?: (text: string) => string;
}

export interface ListOptions {
  q?: string;
  limit: number;
  offset: number;
}

export class ConversationStore {
  readonly #db: Kysely<DatabaseSchema>;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #textForStorage: (text: string) => string;

  constructor(deps: ConversationStoreDeps) {
    this.#db = deps.db;
    this.#now = deps.now ?? Date.now;
    this.#newId = deps.newId ?? (() => randomUUID().replaceAll("-", ""));
    this.#textForStorage = deps.textForStorage ?? ((text) => text);
  }

  /** The owner's conversations, most recently updated first; `q` searches titles and message text. */
  async list(owner: string, options: ListOptions): Promise<ConversationList> {
    let query = this.#db.selectFrom("conversations").selectAll().where("owner", "=", owner);
    const q = options.q?.trim();
    if (q) {
      const pattern = `%${escapeLike(q.toLowerCase())}%`;
      // lower() on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
      query = query.where((eb) =>
        eb.or([
          sql<boolean>`lower(${eb.ref("conversations.title")}) like ${pattern} escape '\\'`,
          eb.exists(
            eb
              .selectFrom("conversation_messages")
              .select(sql`1`.as("one"))
              .whereRef("conversation_messages.conversation_id", "=", "conversations.id")
              .where(sql<boolean>`lower(${sql.ref("conversation_messages.content")}) like ${pattern} escape '\\'`),
          ),
        ]),
      );
    }
    const rows = await query
      .orderBy("updated_at", "desc")
      .orderBy("id", "desc")
      .limit(options.limit + 1)
      .offset(options.offset)
      .execute();
    return {
      data: rows.slice(0, options.limit).map((row) => ({
        id: row.id,
        title: row.title,
        model: row.model,
        created_at: row.created_at,
        updated_at: row.updated_at,
      })),
      has_more: rows.length > options.limit,
    };
  }

  async create(owner: string, input: CreateConversation): Promise<Conversation> {
    const now = this.#now();
    const row: Selectable<ConversationTable> = {
      id: `conv_${this.#newId()}`,
      owner,
      title: input.title ?? "",
      model: input.model ?? null,
      system_prompt: input.system_prompt ?? "",
      settings: JSON.stringify(input.settings ?? {}),
      current_leaf_id: null,
      created_at: now,
      updated_at: now,
    };
    await this.#db.insertInto("conversations").values(row).execute();
    return toConversation(row);
  }

  async get(owner: string, id: string): Promise<ConversationWithMessages> {
    const row = await this.#find(owner, id);
    const messages = await this.#db
      .selectFrom("conversation_messages")
      .selectAll()
      .where("conversation_id", "=", id)
      .orderBy("created_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return { ...toConversation(row), messages: messages.map(toMessage) };
  }

  async update(owner: string, id: string, patch: UpdateConversation): Promise<Conversation> {
    const row = await this.#find(owner, id);
    if (patch.current_leaf_id != null) await this.#findMessage(id, patch.current_leaf_id, "current_leaf_id");
    const next: Selectable<ConversationTable> = {
      ...row,
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.model !== undefined ? { model: patch.model } : {}),
      ...(patch.system_prompt !== undefined ? { system_prompt: patch.system_prompt } : {}),
      ...(patch.settings !== undefined ? { settings: JSON.stringify(patch.settings) } : {}),
      ...(patch.current_leaf_id !== undefined ? { current_leaf_id: patch.current_leaf_id } : {}),
    };
    // Switching branches is browsing, not new activity: it does not move the chat up the list.
    const touched = Object.keys(patch).some((key) => key !== "current_leaf_id" && patch[key as keyof UpdateConversation] !== undefined);
    if (touched) next.updated_at = this.#now();
    await this.#db
      .updateTable("conversations")
      .set({
        title: next.title,
        model: next.model,
        system_prompt: next.system_prompt,
        settings: next.settings,
        current_leaf_id: next.current_leaf_id,
        updated_at: next.updated_at,
      })
      .where("id", "=", id)
      .where("owner", "=", owner)
      .execute();
    return toConversation(next);
  }

  async delete(owner: string, id: string): Promise<void> {
    await this.#find(owner, id);
    // Messages first: the foreign key cascades too, but SQLite enforces it only with the pragma on.
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("conversation_messages").where("conversation_id", "=", id).execute();
      await trx.deleteFrom("conversations").where("id", "=", id).where("owner", "=", owner).execute();
    });
  }

  /**
   * Appends a message under `parent_id` and makes it the current leaf. Turns alternate: a user
   * message starts the tree or follows an answer, an answer follows a user message. A second child
   * of the same parent is a branch (an edited question, a regenerated answer).
   */
  async addMessage(owner: string, conversationId: string, input: CreateMessage): Promise<Message> {
    const conversation = await this.#find(owner, conversationId);
    if (input.parent_id === null) {
      if (input.role !== "user") throw invalidRequest("The first message of a conversation must be a user message.", "role", "invalid_value");
    } else {
      const parent = await this.#findMessage(conversationId, input.parent_id, "parent_id");
      if (parent.role === input.role) {
        throw invalidRequest(`A ${input.role} message cannot follow another ${input.role} message.`, "role", "invalid_value");
      }
    }
    // Strictly increasing within a conversation, so siblings keep their order even within one millisecond.
    const now = Math.max(this.#now(), conversation.updated_at + 1);
    const row: Selectable<ConversationMessageTable> = {
      id: `msg_${this.#newId()}`,
      conversation_id: conversationId,
      parent_id: input.parent_id,
      role: input.role,
      content: this.#textForStorage(input.content),
      reasoning_content: input.reasoning_content == null ? null : this.#textForStorage(input.reasoning_content),
      model: input.model ?? null,
      details: input.details ? JSON.stringify(input.details) : null,
      created_at: now,
    };
    const title = conversation.title === "" && input.role === "user" ? deriveTitle(row.content) : conversation.title;
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto("conversation_messages").values(row).execute();
      await trx
        .updateTable("conversations")
        .set({ current_leaf_id: row.id, updated_at: now, title })
        .where("id", "=", conversationId)
        .execute();
    });
    return toMessage(row);
  }

  async #find(owner: string, id: string): Promise<Selectable<ConversationTable>> {
    const row = await this.#db.selectFrom("conversations").selectAll().where("id", "=", id).where("owner", "=", owner).executeTakeFirst();
    if (!row) throw conversationNotFound(id);
    return row;
  }

  async #findMessage(conversationId: string, id: string, param: string): Promise<Selectable<ConversationMessageTable>> {
    const row = await this.#db
      .selectFrom("conversation_messages")
      .selectAll()
      .where("id", "=", id)
      .where("conversation_id", "=", conversationId)
      .executeTakeFirst();
    if (!row) throw invalidRequest(`No message \`${id}\` in this conversation.`, param, "message_not_found");
    return row;
  }
}

export function conversationNotFound(id: string): SputnikError {
  return new SputnikError(`No conversation \`${id}\`.`, { status: 404, type: "not_found_error", code: "conversation_not_found" });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function toConversation(row: Selectable<ConversationTable>): Conversation {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    created_at: row.created_at,
    updated_at: row.updated_at,
    system_prompt: row.system_prompt,
    settings: parseJson(row.settings, samplingSettingsSchema) ?? {},
    current_leaf_id: row.current_leaf_id,
  };
}

function toMessage(row: Selectable<ConversationMessageTable>): Message {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    parent_id: row.parent_id,
    role: row.role === "assistant" ? "assistant" : "user",
    content: row.content,
    reasoning_content: row.reasoning_content,
    model: row.model,
    details: row.details === null ? null : (parseJson(row.details, answerDetailsSchema) ?? null),
    created_at: row.created_at,
  };
}

/** Stored JSON read back through its schema; a row written by an older version degrades to undefined. */
function parseJson<T>(text: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): T | undefined {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
