/**
 * Usage charts from `GET /admin/usage`: tokens per day (cached prompt, uncached prompt, output),
 * cost per day (per currency), and tokens and cost per model. Drawn by chart.js, themed from the
 * app's CSS variables.
 */
import { BarElement, CategoryScale, Chart as ChartJS, Filler, Legend, LinearScale, LineElement, PointElement, Tooltip, type ChartOptions } from "chart.js";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Bar, Line } from "react-chartjs-2";
import { ApiError, apiJson } from "../api/client.ts";
import { formatMicros, formatNumber } from "../format.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useTheme } from "../theme.tsx";
import { byDay, byModel, daysBetween, type UsageRow } from "./usage-data.ts";

ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Tooltip, Legend, Filler);

const RANGES = [7, 30, 90] as const;
const DAY_MS = 86_400_000;

type State = { status: "loading" } | { status: "ready"; days: UsageRow[]; models: UsageRow[]; from: number; to: number } | { status: "unavailable" } | { status: "error"; message: string };

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export default function UsagePage() {
  const { t, language } = useI18n();
  const { theme } = useTheme();
  const [range, setRange] = useState<(typeof RANGES)[number]>(7);
  const [state, setState] = useState<State>({ status: "loading" });

  const load = useCallback(() => {
    const to = Date.now();
    const from = to - (range - 1) * DAY_MS;
    const fromDay = new Date(from).toISOString().slice(0, 10);
    const query = (groupBy: string) => apiJson<{ data: UsageRow[] }>(`/admin/usage?${new URLSearchParams({ group_by: groupBy, from: fromDay })}`);
    Promise.all([query("day"), query("model")]).then(
      ([days, models]) => setState({ status: "ready", days: days.data, models: models.data, from, to }),
      (error: unknown) => setState(error instanceof ApiError && error.status === 404 ? { status: "unavailable" } : { status: "error", message: (error as Error).message }),
    );
  }, [range]);
  useEffect(load, [load]);

  // Colours come from the theme's CSS variables, re-read when the theme changes.
  const colors = useMemo(() => {
    void theme;
    return {
      text: cssVar("--text-2"),
      grid: cssVar("--border"),
      primary: cssVar("--primary"),
      primarySoft: cssVar("--chart-2"),
      third: cssVar("--chart-3"),
      fourth: cssVar("--chart-4"),
    };
  }, [theme]);

  if (state.status === "loading") return <p className="empty-state">{t("chat.loading")}</p>;
  if (state.status === "unavailable") return <p className="empty-state">{t("usage.unavailable")}</p>;
  if (state.status === "error") return <p className="form-error">{t("common.error", { message: state.message })}</p>;

  const series = byDay(state.days, daysBetween(state.from, state.to));
  const models = byModel(state.models);
  const labels = series.days.map((d) => new Intl.DateTimeFormat(language, { month: "short", day: "numeric", timeZone: "UTC" }).format(Date.parse(`${d}T00:00:00Z`)));
  const currencies = [...series.cost.keys()];
  const palette = [colors.primary, colors.third, colors.fourth];

  const base: ChartOptions<"bar"> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { position: "bottom", labels: { color: colors.text, boxWidth: 12 } }, tooltip: { mode: "index", intersect: false } },
    scales: {
      x: { stacked: true, ticks: { color: colors.text }, grid: { display: false } },
      y: { stacked: true, beginAtZero: true, ticks: { color: colors.text }, grid: { color: colors.grid } },
    },
  };
  // Per-answer costs are fractions of a cent: three significant digits, in the currency.
  const money = (value: number, currency = currencies[0] ?? "USD") => {
    try {
      return new Intl.NumberFormat(language, { style: "currency", currency, maximumSignificantDigits: 3 }).format(value);
    } catch {
      return `${value} ${currency}`;
    }
  };
  const lineOptions: ChartOptions<"line"> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { position: "bottom", labels: { color: colors.text, boxWidth: 12 } },
      tooltip: { mode: "index", intersect: false, callbacks: { label: (item) => `${item.dataset.label}: ${money(Number(item.raw))}` } },
    },
    scales: {
      x: { ticks: { color: colors.text }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: colors.text, callback: (value) => money(Number(value)) }, grid: { color: colors.grid } },
    },
  };
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const n = (value: number) => formatNumber(value, language);

  return (
    <div className="page" data-testid="usage-page">
      <div className="page-head">
        <h2>{t("usage.title")}</h2>
        <div className="segmented" role="group" aria-label={t("usage.range")}>
          {RANGES.map((days) => (
            <button key={days} type="button" className={days === range ? "active" : undefined} onClick={() => setRange(days)}>
              {t("usage.days", { n: days })}
            </button>
          ))}
        </div>
      </div>
      <div className="stat-cards">
        <div className="stat">
          <span>{t("usage.requests")}</span>
          <strong>{n(state.days.reduce((a, r) => a + r.requests, 0))}</strong>
        </div>
        <div className="stat">
          <span>{t("usage.promptTokens")}</span>
          <strong>{n(total(series.cached) + total(series.uncached))}</strong>
        </div>
        <div className="stat">
          <span>{t("usage.completionTokens")}</span>
          <strong>{n(total(series.completion))}</strong>
        </div>
        {currencies.map((currency) => (
          <div className="stat" key={currency}>
            <span>{t("usage.cost", { currency })}</span>
            <strong>{formatMicros(Math.round(total(series.cost.get(currency) ?? []) * 1_000_000), currency, language)}</strong>
          </div>
        ))}
      </div>
      {state.days.length === 0 && <p className="empty-state">{t("usage.empty")}</p>}
      <div className="charts">
        <figure className="chart-card" data-testid="usage-chart-tokens">
          <figcaption>{t("usage.tokensPerDay")}</figcaption>
          <div className="chart-box">
            <Bar
              options={base}
              data={{
                labels,
                datasets: [
                  { label: t("usage.cachedTokens"), data: series.cached, backgroundColor: colors.primarySoft, borderRadius: 3 },
                  { label: t("usage.promptTokens"), data: series.uncached, backgroundColor: colors.primary, borderRadius: 3 },
                  { label: t("usage.completionTokens"), data: series.completion, backgroundColor: colors.third, borderRadius: 3 },
                ],
              }}
            />
          </div>
        </figure>
        <figure className="chart-card" data-testid="usage-chart-cost">
          <figcaption>{t("usage.costPerDay")}</figcaption>
          <div className="chart-box">
            <Line
              options={lineOptions}
              data={{
                labels,
                datasets: (currencies.length > 0 ? currencies : ["USD"]).map((currency, i) => ({
                  label: t("usage.cost", { currency }),
                  data: series.cost.get(currency) ?? series.days.map(() => 0),
                  borderColor: palette[i % palette.length],
                  backgroundColor: `${palette[i % palette.length]}22`,
                  fill: true,
                  tension: 0,
                })),
              }}
            />
          </div>
        </figure>
        <figure className="chart-card wide" data-testid="usage-chart-models">
          <figcaption>{t("usage.byModel")}</figcaption>
          <div className="chart-box short">
            <Bar
              options={{ ...base, indexAxis: "y" }}
              data={{
                labels: models.map((m) => m.model),
                datasets: [
                  { label: t("usage.promptTokens"), data: models.map((m) => m.promptTokens), backgroundColor: colors.primary, borderRadius: 3 },
                  { label: t("usage.completionTokens"), data: models.map((m) => m.completionTokens), backgroundColor: colors.third, borderRadius: 3 },
                ],
              }}
            />
          </div>
          {models.length > 0 && (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th>{t("models.id")}</th>
                    <th className="num">{t("usage.requests")}</th>
                    <th className="num">{t("usage.promptTokens")}</th>
                    <th className="num">{t("usage.completionTokens")}</th>
                    <th className="num">{t("usage.reasoningTokens")}</th>
                    <th className="num">{t("details.cost")}</th>
                  </tr>
                </thead>
                <tbody>
                  {models.map((m) => (
                    <tr key={m.model}>
                      <td className="mono">{m.model}</td>
                      <td className="num">{n(m.requests)}</td>
                      <td className="num">{n(m.promptTokens)}</td>
                      <td className="num">{n(m.completionTokens)}</td>
                      <td className="num">{n(m.reasoningTokens)}</td>
                      <td className="num">
                        {[...m.cost.entries()].map(([currency, amount]) => formatMicros(Math.round(amount * 1_000_000), currency, language)).join(" · ")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </figure>
      </div>
    </div>
  );
}
