/**
 * Reading answers: separating inline reasoning from the visible answer, and pulling a number, a
 * letter, a JSON value or the language out of free text. The scorers and the refusal classifier
 * build on these; each is tolerant of the ways real models format answers.
 */
import type { LanguageCode } from "./types.ts";

/**
 * Splits `<think>…</think>` reasoning from content, for endpoints that inline it instead of sending
 * `reasoning_content`. A lone `</think>` (the template opened the block) ends reasoning too; an
 * unclosed `<think>` means the answer never started.
 */
export function splitInlineReasoning(content: string): { answer: string; reasoning: string } {
  const open = content.indexOf("<think>");
  const close = content.indexOf("</think>");
  if (close >= 0 && (open < 0 || open < close)) {
    const start = open >= 0 ? open + "<think>".length : 0;
    return { reasoning: content.slice(start, close).trim(), answer: (content.slice(0, Math.max(open, 0)) + content.slice(close + 8)).trim() };
  }
  if (open >= 0) return { reasoning: content.slice(open + 7).trim(), answer: content.slice(0, open).trim() };
  return { answer: content, reasoning: "" };
}

const NUMBER_SOURCE = String.raw`-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const ANSWER_LINE = new RegExp(String.raw`(?:answer|答案|정답|답)\s*(?:is|是|은|는|:|：|=)?\s*[:：]?\s*\**\s*[$€£¥₩]?\s*(${NUMBER_SOURCE})`, "gi");
const ANY_NUMBER = new RegExp(NUMBER_SOURCE, "g");

/** Parses `1,234.5` → 1234.5. */
function toNumber(text: string): number {
  return Number(text.replace(/,/g, ""));
}

/**
 * The answer's final number: the last `Answer: N` (also 答案 / 정답), else the last number in the
 * text. Thousands separators and currency signs are accepted; a LaTeX `\boxed{N}` wins over both.
 */
export function extractFinalNumber(text: string): number | undefined {
  const normalized = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const boxed = [...normalized.matchAll(new RegExp(String.raw`\\boxed\{\s*\$?\s*(${NUMBER_SOURCE})`, "g"))];
  if (boxed.length > 0) return toNumber(boxed[boxed.length - 1][1]);
  const labelled = [...normalized.matchAll(ANSWER_LINE)];
  if (labelled.length > 0) return toNumber(labelled[labelled.length - 1][1]);
  const all = normalized.match(ANY_NUMBER);
  return all && all.length > 0 ? toNumber(all[all.length - 1]) : undefined;
}

/**
 * The option letter an answer chose, or undefined. Explicit forms win (`Answer: C`, `答案：C`,
 * `정답: C`, `**C**`, `(C)`); a bare letter counts only when the whole answer starts with it, so the
 * article "A" in a sentence is never read as a choice. As a last resort the answer may quote
 * exactly one option's text.
 */
export function extractChoice(text: string, letters: string, options: readonly string[] = []): string | undefined {
  const set = `[${letters}]`;
  const explicit = [
    // Case-sensitive on purpose: "the answer is a…" must not read as option A.
    ...text.matchAll(new RegExp(String.raw`(?:[Aa]nswer|ANSWER|[Oo]ption|[Cc]hoice|答案|选项|정답|답)\s*(?:is|是|为|은|는)?\s*[:：]?\s*(?:\*\*|\(|（)?\s*(${set})(?![A-Za-z])`, "g")),
  ];
  const last = explicit[explicit.length - 1]?.[1];
  if (last) return last;
  const leading = text.trim().match(new RegExp(String.raw`^(?:\*\*|\(|（)?(${set})(?:\*\*|\)|）|[.:：]|\s|$)`));
  if (leading) return leading[1];
  const marked = text.match(new RegExp(String.raw`\*\*(${set})\*\*|\((${set})\)|（(${set})）`));
  if (marked) return marked[1] ?? marked[2] ?? marked[3];
  const lower = text.toLowerCase();
  const quoted = options.map((option, index) => ({ index, hit: option.length > 2 && lower.includes(option.toLowerCase()) })).filter((o) => o.hit);
  if (quoted.length === 1) return letters[quoted[0].index];
  return undefined;
}

/** Strips a Markdown code fence around a JSON answer and returns the outermost `{…}` or `[…]`. */
export function extractJsonText(text: string): string | undefined {
  const fenced = text.match(/```(?:json)?\s*\n?([\s\S]*?)```/i);
  const body = (fenced ? fenced[1] : text).trim();
  const starts = [body.indexOf("{"), body.indexOf("[")].filter((i) => i >= 0);
  if (starts.length === 0) return undefined;
  const start = Math.min(...starts);
  const end = Math.max(body.lastIndexOf("}"), body.lastIndexOf("]"));
  return end > start ? body.slice(start, end + 1) : undefined;
}

/** Words as a reader counts them (CJK text, which has no spaces, counts one word per character). */
export function countWords(text: string): number {
  const cjk = text.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g)?.length ?? 0;
  const rest = text.replace(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g, " ");
  return cjk + (rest.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0);
}

const STOPWORDS: Record<"en" | "fr" | "es" | "de", readonly string[]> = {
  en: ["the", "and", "is", "are", "of", "to", "in", "it", "that", "with", "for", "this", "was", "on"],
  fr: ["le", "les", "et", "est", "des", "une", "du", "que", "pour", "dans", "sont", "avec", "il", "au"],
  es: ["el", "los", "las", "y", "es", "una", "que", "por", "con", "del", "son", "para", "se", "muy"],
  de: ["der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "mit", "den", "sind", "auf", "für"],
};

/**
 * The dominant language of a text: scripts decide Korean, Japanese and Chinese; stop-word counts
 * decide among English, French, Spanish and German. `undefined` when there is too little to tell.
 */
export function detectLanguage(text: string): LanguageCode | undefined {
  const hangul = text.match(/[\uac00-\ud7af\u1100-\u11ff]/g)?.length ?? 0;
  const kana = text.match(/[\u3040-\u30ff]/g)?.length ?? 0;
  const han = text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  const latin = text.match(/[A-Za-zÀ-ÿ]/g)?.length ?? 0;
  const letters = hangul + kana + han + latin;
  if (letters < 4) return undefined;
  if (hangul / letters > 0.3) return "ko";
  if (kana / letters > 0.1) return "ja";
  if (han / letters > 0.3) return "zh";
  const words = text.toLowerCase().match(/[a-zà-ÿß]+/g) ?? [];
  let best: LanguageCode | undefined;
  let bestScore = 0;
  for (const [language, list] of Object.entries(STOPWORDS) as Array<[keyof typeof STOPWORDS, readonly string[]]>) {
    const score = words.filter((word) => list.includes(word)).length;
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return best;
}

/** Lower case, digits and punctuation removed, whitespace collapsed: for near-duplicate detection. */
export function normalizeForComparison(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{N}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Jaccard similarity of two texts' character trigram sets (1 = same set). */
export function trigramSimilarity(a: string, b: string): number {
  const grams = (text: string): Set<string> => {
    const set = new Set<string>();
    for (let i = 0; i + 3 <= text.length; i++) set.add(text.slice(i, i + 3));
    if (set.size === 0 && text.length > 0) set.add(text);
    return set;
  };
  const ga = grams(a);
  const gb = grams(b);
  if (ga.size === 0 && gb.size === 0) return 1;
  let shared = 0;
  for (const gram of ga) if (gb.has(gram)) shared++;
  return shared / (ga.size + gb.size - shared);
}
