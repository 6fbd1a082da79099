/**
 * The privacy shield's detectors: one entry per kind of private data, each a global regular
 * expression for the shape, an optional validator (check digits, dates) that turns near-misses
 * away, and what the streaming scanner needs to know to hold back no more text than necessary.
 */
import { chineseIdValid, ibanValid, koreanRrnValid, luhnValid } from "./checksums.ts";
import { shannonEntropy, wordLikeness } from "./token-shape.ts";

export const PII_KINDS = ["email", "phone", "kr-rrn", "cn-id", "credit-card", "iban", "secret"] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiDetector {
  kind: PiiKind;
  /** Placeholder label: `[EMAIL_1]`. */
  label: string;
  /** Global (`g`) expression for the shape; scanned with `lastIndex`, so lookbehinds see the text before. */
  pattern: RegExp;
  /** Rejects shape matches whose check digits or dates are wrong. */
  validate?: (match: string) => boolean;
  /** Longest match, in UTF-16 units: how far back a stream re-scan must reach. */
  maxLength: number;
  /**
   * Length of the longest tail of `text` that could still be the start of a match. Only that much
   * is held back from the client (and re-scanned on the next token) while the rest flows on.
   */
  tail: (text: string) => number;
}

/** Not preceded by a character that would make the match the middle of a longer token. */
const DIGIT_START = String.raw`(?<![\p{L}\p{N}_+])`;
const DIGIT_END = String.raw`(?![\p{N}])`;

const PHONE_PATTERNS = [
  // Korea: mobile 010-1234-5678, Seoul 02-123-4567, regions 031-123-4567; optional +82 with the 0 dropped.
  String.raw`(?:\+82[ -]?|\b0)(?:1[016789]|2|[3-6][1-5])[ -]?\d{3,4}[ -]?\d{4}`,
  // China: mobile 138 0013 8000 (with optional +86), landlines 010-12345678 / 0755-1234567.
  String.raw`(?:\+86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}`,
  String.raw`\b0\d{2,3}-\d{7,8}`,
  // North America: (415) 555-2671, 415-555-2671, 415.555.2671, +1 415 555 2671; area and exchange start 2-9.
  String.raw`(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}`,
  // International E.164 with a plus: +44 20 7946 0958, +49-30-1234567 (7 to 15 digits).
  String.raw`\+[1-9]\d{0,2}(?:[ .-]?\d){6,13}`,
];

/** Known secret prefixes (OpenAI/Anthropic, GitHub, AWS, Slack, Google, GitLab, Hugging Face), and JWTs. */
const SECRET_PREFIXED = [
  String.raw`sk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{20,}`,
  String.raw`(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}`,
  String.raw`github_pat_[A-Za-z0-9_]{22,}`,
  String.raw`(?:AKIA|ASIA)[0-9A-Z]{16}`,
  String.raw`xox[abposr]-[A-Za-z0-9-]{10,}`,
  String.raw`AIza[0-9A-Za-z_-]{35}`,
  String.raw`glpat-[A-Za-z0-9_-]{20}`,
  String.raw`hf_[A-Za-z0-9]{30,}`,
  String.raw`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
];
const SECRET_PREFIX_RE = new RegExp(`^(?:${SECRET_PREFIXED.join("|")})$`);
/** A high-entropy token must be at least this long (shorter random strings are too common). */
export const MIN_ENTROPY_TOKEN_LENGTH = 24;
/** Bits per character below which a token is too repetitive to be random (random 24-char base62: ≥ 3.6). */
export const MIN_SECRET_ENTROPY = 3.5;
/** Share of common English letter pairs from which a token reads as words (identifiers: ≥ 0.55; random: ~0.18). */
export const MAX_SECRET_WORD_LIKENESS = 0.5;

/**
 * Long random-looking tokens: letters and digits mixed, varied, and not made of words. Pure
 * hexadecimal (with or without dashes) is left alone: commit ids, hashes and UUIDs are far more
 * common in chat than hex secrets.
 */
function highEntropySecret(token: string): boolean {
  if (SECRET_PREFIX_RE.test(token)) return true;
  if (token.length < MIN_ENTROPY_TOKEN_LENGTH) return false;
  if (/^[0-9a-fA-F-]+$/.test(token)) return false;
  if (!/\d/.test(token) || !/[A-Za-z]/.test(token)) return false;
  return shannonEntropy(token) >= MIN_SECRET_ENTROPY && wordLikeness(token) < MAX_SECRET_WORD_LIKENESS;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnumOrSign = (c: number) => isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;

/**
 * A tail measure for shapes made of one set of characters: walk back over the run of `inRun`
 * characters ending the text (at most `MAX_TAIL` of them), then skip forward to the first
 * character a match may start with. A backward walk, not an end-anchored regex, which would
 * retry from every position of the window on every token.
 */
function runTail(inRun: (code: number) => boolean, canStart: (code: number) => boolean): (text: string) => number {
  return (text) => {
    let start = text.length;
    const floor = Math.max(0, text.length - MAX_TAIL);
    while (start > floor && inRun(text.charCodeAt(start - 1))) start--;
    while (start < text.length && !canStart(text.charCodeAt(start))) start++;
    return text.length - start;
  };
}

/** Longest tail any detector holds back (the longest secret or e-mail address it looks for). */
const MAX_TAIL = 400;

export const PII_DETECTORS: Readonly<Record<PiiKind, PiiDetector>> = {
  email: {
    kind: "email",
    label: "EMAIL",
    pattern: /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b/gu,
    validate: (m) => !m.startsWith(".") && !m.includes(".."),
    maxLength: 160,
    tail: runTail((c) => isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 64 || c === 45, isAlnumOrSign),
  },
  phone: {
    kind: "phone",
    label: "PHONE",
    pattern: new RegExp(`${DIGIT_START}(?:${PHONE_PATTERNS.join("|")})${DIGIT_END}`, "gu"),
    validate: (m) => m.replace(/\D/g, "").length >= 7,
    maxLength: 24,
    tail: runTail((c) => isDigit(c) || c === 32 || c === 40 || c === 41 || c === 46 || c === 43 || c === 45, (c) => isDigit(c) || c === 43 || c === 40),
  },
  "kr-rrn": {
    kind: "kr-rrn",
    label: "KR_RRN",
    pattern: new RegExp(`${DIGIT_START}\\d{6}-?[0-9]\\d{6}${DIGIT_END}`, "gu"),
    // With the dash the format is distinctive; a bare 13-digit run also needs the old check digit.
    validate: (m) => koreanRrnValid(m, !m.includes("-")),
    maxLength: 14,
    tail: runTail((c) => isDigit(c) || c === 45, isDigit),
  },
  "cn-id": {
    kind: "cn-id",
    label: "CN_ID",
    pattern: new RegExp(`${DIGIT_START}[1-9]\\d{16}[\\dXx](?![\\p{L}\\p{N}])`, "gu"),
    validate: chineseIdValid,
    maxLength: 18,
    tail: runTail((c) => isDigit(c) || c === 88 || c === 120, isDigit),
  },
  "credit-card": {
    kind: "credit-card",
    label: "CARD",
    // 13-19 digits, optionally in groups separated by single spaces or dashes; issuer ranges 2-6.
    pattern: new RegExp(`${DIGIT_START}[2-6]\\d{3}(?:[ -]?\\d{1,4}){2,4}\\d?${DIGIT_END}`, "gu"),
    validate: (m) => {
      const digits = m.replace(/[ -]/g, "");
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
    },
    maxLength: 23,
    tail: runTail((c) => isDigit(c) || c === 32 || c === 45, isDigit),
  },
  iban: {
    kind: "iban",
    label: "IBAN",
    // Upper-case country code and check digits, then the account in groups of up to four.
    pattern: /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}(?![\p{L}\p{N}])/gu,
    validate: ibanValid,
    maxLength: 42,
    tail: (text) => /[A-Z]{1,2}(?:\d[A-Z0-9 ]*)?$/.exec(text.slice(-42))?.[0].length ?? 0,
  },
  secret: {
    kind: "secret",
    label: "SECRET",
    pattern: /(?<![A-Za-z0-9_+/=.-])(?:eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|[A-Za-z0-9][A-Za-z0-9_+/=-]{15,})/g,
    validate: highEntropySecret,
    maxLength: 400,
    tail: runTail((c) => isAlnum(c) || c === 95 || c === 43 || c === 47 || c === 61 || c === 46 || c === 45, isAlnum),
  },
};

/** When two detectors claim overlapping text, the earlier kind in this list wins. */
export const PII_PRIORITY: readonly PiiKind[] = ["secret", "credit-card", "iban", "cn-id", "kr-rrn", "email", "phone"];
