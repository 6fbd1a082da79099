/**
 * Every migration, by name. Kysely applies them in the names' sort order, each once, in a
 * transaction, at start-up (`openDatabase`).
 *
 * To add one: create `NNNN-what.ts` next to this file exporting a `Migration`, and add it below
 * under a name with your own prefix — platform `00xx`, web app `01xx` (`0100_conversations`),
 * moderation `02xx` (`0200_moderation_audit`). Prefixes keep teams from colliding; unordered
 * application is allowed (a database that already ran `0200_…` still gets a later-added `0101_…`),
 * so a migration must not depend on another team's being applied before it.
 */
import type { Migration } from "kysely";
import { platformMigration } from "./0001-platform.ts";
import { conversationsMigration } from "./0100-conversations.ts";
import { moderationAuditMigration } from "./0200-moderation-audit.ts";

export const migrations: Readonly<Record<string, Migration>> = {
  "0001_platform": platformMigration,
  "0100_conversations": conversationsMigration,
  "0200_moderation_audit": moderationAuditMigration,
};
