/**
 * The privacy shield: replaces private data with stable placeholders (`[EMAIL_1]`) before text
 * leaves the process, and restores them in what comes back — also when a streamed answer splits
 * a placeholder across tokens (`[EMA` + `IL_1]`). The same value always gets the same placeholder
 * within one vault, so a model can refer to "[EMAIL_1]" consistently across a conversation.
 */
import { PII_DETECTORS, PII_KINDS, type PiiKind } from "./detectors.ts";
import { findPii, type PiiMatch } from "./find-pii.ts";

const PLACEHOLDER_RE = /\[([A-Z][A-Z_]*)_(\d+)\]/g;

/** Placeholder ↔ original value, for one request (or one conversation). Never leaves the process. */
export class PiiVault {
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  /** Placeholders that occur literally in masked input: never handed out, so they cannot be confused. */
  readonly #reserved = new Set<string>();
  readonly #counters = new Map<string, number>();

  get size(): number {
    return this.#byPlaceholder.size;
  }

  /** The placeholder for `value`, minting the next free `[LABEL_n]` the first time. */
  placeholderFor(kind: PiiKind, value: string): string {
    const key = `${kind}\u0000${value}`;
    const known = this.#byValue.get(key);
    if (known) return known;
    const label = PII_DETECTORS[kind].label;
    let n = this.#counters.get(label) ?? 0;
    let placeholder: string;
    do placeholder = `[${label}_${++n}]`;
    while (this.#reserved.has(placeholder));
    this.#counters.set(label, n);
    this.#byValue.set(key, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  original(placeholder: string): string | undefined {
    return this.#byPlaceholder.get(placeholder);
  }

  /** Marks every placeholder-shaped string in `text` as taken. */
  reserveLiterals(text: string): void {
    for (const m of text.matchAll(PLACEHOLDER_RE)) if (!this.#byPlaceholder.has(m[0])) this.#reserved.add(m[0]);
  }

  /** Whether `fragment` (starting with `[`) could still grow into one of this vault's placeholders. */
  couldBecomePlaceholder(fragment: string): boolean {
    for (const placeholder of this.#byPlaceholder.keys()) if (placeholder.length > fragment.length && placeholder.startsWith(fragment)) return true;
    return false;
  }

  /** The known placeholder `text` starts with at `index`, if any. */
  placeholderAt(text: string, index: number): string | undefined {
    const close = text.indexOf("]", index);
    if (close < 0) return undefined;
    const candidate = text.slice(index, close + 1);
    return this.#byPlaceholder.has(candidate) ? candidate : undefined;
  }
}

export interface PrivacyShieldOptions {
  /** Which detectors run. Defaults to all of them. */
  kinds?: readonly PiiKind[];
}

export interface MaskResult {
  text: string;
  vault: PiiVault;
  /** What was replaced, in the original text's coordinates. */
  findings: PiiMatch[];
}

export class PrivacyShield {
  readonly kinds: readonly PiiKind[];

  constructor(options: PrivacyShieldOptions = {}) {
    this.kinds = options.kinds ?? PII_KINDS;
  }

  /** Private data found in `text` (for `block` mode and for rules). */
  find(text: string): PiiMatch[] {
    return findPii(text, this.kinds);
  }

  /** Replaces private data with placeholders from `vault` (a new one unless given). */
  mask(text: string, vault: PiiVault = new PiiVault()): MaskResult {
    vault.reserveLiterals(text);
    const findings = this.find(text);
    return { text: replaceSpans(text, findings, (m) => vault.placeholderFor(m.kind, m.value)), vault, findings };
  }

  /** Puts the originals back for every placeholder of `vault` in `text`. */
  unmask(text: string, vault: PiiVault): string {
    const unmasker = new StreamUnmasker(vault);
    return unmasker.push(text) + unmasker.flush();
  }

  /** Replaces private data by its kind alone (`[EMAIL]`), irreversibly: for logs and stored text. */
  redact(text: string): string {
    return replaceSpans(text, this.find(text), (m) => `[${PII_DETECTORS[m.kind].label}]`);
  }
}

/**
 * Restores placeholders in a stream. Text after a `[` is held back only while it could still
 * become one of the vault's placeholders; everything else passes straight through.
 */
export class StreamUnmasker {
  #pending = "";

  constructor(private readonly vault: PiiVault) {}

  push(delta: string): string {
    this.#pending += delta;
    let out = "";
    let i = 0;
    const text = this.#pending;
    while (i < text.length) {
      const open = text.indexOf("[", i);
      if (open < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, open);
      const placeholder = this.vault.placeholderAt(text, open);
      if (placeholder) {
        out += this.vault.original(placeholder);
        i = open + placeholder.length;
      } else if (this.vault.couldBecomePlaceholder(text.slice(open))) {
        // Possibly the first half of a split placeholder: wait for the next token.
        this.#pending = text.slice(open);
        return out;
      } else {
        out += "[";
        i = open + 1;
      }
    }
    this.#pending = "";
    return out;
  }

  /** The end of the stream: whatever was held back is released as it is. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = "";
    return rest;
  }
}

function replaceSpans(text: string, spans: readonly PiiMatch[], replacement: (match: PiiMatch) => string): string {
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + replacement(span);
    at = span.end;
  }
  return out + text.slice(at);
}
