/**
 * A tiny typed dictionary instead of an i18n library: three languages and a few hundred strings
 * need no plural engine or loader, and `MessageKey` makes a missing or misspelt key a type error.
 */
import { en, type MessageKey } from "./en.ts";
import { ko } from "./ko.ts";
import { zh } from "./zh.ts";

export type { MessageKey };
export const LANGUAGES = ["en", "ko", "zh"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switcher. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: "English", ko: "한국어", zh: "中文" };

/** The `lang` attribute per language (so the browser picks CJK fonts and line breaking right). */
export const HTML_LANG: Readonly<Record<Language, string>> = { en: "en", ko: "ko", zh: "zh-CN" };

export const DICTIONARIES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, ko, zh };

export type TranslateVars = Readonly<Record<string, string | number>>;

/** The text for `key` in `language`, with `{name}` placeholders filled from `vars`. */
export function translate(language: Language, key: MessageKey, vars?: TranslateVars): string {
  const template = DICTIONARIES[language][key] ?? en[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

/** The first of the browser's preferred languages that the app speaks; English otherwise. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return "en";
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}
