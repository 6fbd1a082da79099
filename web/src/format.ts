/** Number, size, money and time formatting for the UI (locale-aware through Intl). */

export function formatBytes(bytes: number, locale?: string): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

export function formatNumber(value: number, locale?: string, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value);
}

/** Micro-units as money: enough decimals to show sub-cent costs of single answers. */
export function formatMicros(micros: number, currency: string, locale?: string): string {
  const amount = micros / 1_000_000;
  const digits = amount === 0 ? 2 : amount < 0.01 ? 6 : amount < 1 ? 4 : 2;
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

export function formatDateTime(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(ms);
}

/** Which sidebar group a conversation falls in, by its last update. */
export type DateGroup = "today" | "yesterday" | "week" | "month" | "older";

export function dateGroup(ms: number, now: number): DateGroup {
  const startOfToday = new Date(now);
  startOfToday.setHours(0, 0, 0, 0);
  const today = startOfToday.getTime();
  const day = 86_400_000;
  if (ms >= today) return "today";
  if (ms >= today - day) return "yesterday";
  if (ms >= today - 7 * day) return "week";
  if (ms >= today - 30 * day) return "month";
  return "older";
}
