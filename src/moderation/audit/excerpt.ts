/**
 * What of a matched text goes into the audit log, per the policy file's `audit` settings: the text
 * itself (private data masked by kind, cut to `excerptChars`), its SHA-256, or nothing.
 */
import { createHash } from "node:crypto";
import type { PrivacyShield } from "../pii/privacy-shield.ts";
import type { AuditConfig } from "../policy/policy-schema.ts";

export function auditExcerpt(text: string, config: AuditConfig, shield: PrivacyShield): string | null {
  switch (config.excerpt) {
    case "drop":
      return null;
    case "hash":
      // Lets an operator check whether a given text was matched, without storing it.
      return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
    case "keep": {
      const shown = config.maskPii ? shield.redact(text) : text;
      return shown.length > config.excerptChars ? `${shown.slice(0, config.excerptChars)}…` : shown;
    }
  }
}
