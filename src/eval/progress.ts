/**
 * The run's progress display: a `cli-progress` bar with items, failures and an ETA on a terminal;
 * a plain line every tenth of the run elsewhere (CI logs). The ETA counts only items asked in this
 * process, so a resumed run does not think the skipped ones took no time.
 */
import cliProgress from "cli-progress";
import type { RunProgress } from "./runner.ts";

/** What the runner reports into. */
export interface EvalProgress {
  update(progress: RunProgress): void;
  note(message: string): void;
  stop(): void;
}

/** Seconds as `1m05s`. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "…";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** Creates the display on `out` (usually stderr). */
export function createEvalProgress(out: NodeJS.WritableStream & { isTTY?: boolean }, now: () => number = Date.now): EvalProgress {
  const started = now();
  let bar: cliProgress.SingleBar | undefined;
  let firstDone: number | undefined;
  let lastDecile = -1;
  const eta = (p: RunProgress) => {
    firstDone ??= p.done - (p.result ? 1 : 0);
    const asked = p.done - firstDone;
    const elapsed = (now() - started) / 1000;
    return asked > 0 ? formatEta(((p.total - p.done) * elapsed) / asked) : "…";
  };
  return {
    update(p) {
      const payload = { failed: p.failed, eta: eta(p) };
      if (out.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar({
            stream: out,
            format: "eval [{bar}] {percentage}% | {value}/{total} items | {failed} failed | ETA {eta}",
            hideCursor: true,
            barsize: 30,
            fps: 5,
          });
          bar.start(p.total, p.done, payload);
        } else {
          bar.update(p.done, payload);
        }
        return;
      }
      const decile = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 10;
      if (decile > lastDecile) {
        lastDecile = decile;
        out.write(`eval ${p.done}/${p.total} items (${Math.round((100 * p.done) / Math.max(1, p.total))} %), ${p.failed} failed, ETA ${payload.eta}\n`);
      }
    },
    note(message) {
      // On a terminal, clear the bar's line first; it redraws on the next update.
      out.write(`${bar ? "\r\x1b[2K" : ""}${message}\n`);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
