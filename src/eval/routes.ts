/**
 * The web view of evaluations, as a Hono sub-app the server mounts:
 *
 * - `GET /evals` — the runs in the data dir, newest first (JSON);
 * - `GET /evals/:id` — the run's HTML report, rendered from the stored results on each request,
 *   so a run still in progress shows what it has so far;
 * - `GET /evals/:id/report.json` and `/evals/:id/report.md` — the other renderings.
 *
 * Mount with `app.route("/", evalRoutes({ dataDir }))`.
 */
import { Hono } from "hono";
import { renderReports } from "./report.ts";
import { isValidRunId, listRuns, loadRun, RunNotFoundError } from "./store.ts";

/** Options of {@link evalRoutes}. */
export interface EvalRoutesOptions {
  /** Sputnik's data directory (runs live in `<dataDir>/evals/`). */
  dataDir: string;
  /** chart.js source to inline (tests); read from node_modules when omitted. */
  chartJs?: string;
}

function notFound(id: string) {
  return { error: { message: `No evaluation run "${id}".`, type: "invalid_request_error", param: "id", code: "eval_run_not_found" } };
}

/** Builds the `/evals` routes. */
export function evalRoutes(options: EvalRoutesOptions): Hono {
  const app = new Hono();
  app.get("/evals", async (c) => c.json({ object: "list", data: await listRuns(options.dataDir) }));

  // One handler for the three renderings; an unknown or unsafe id is a 404, never a path lookup.
  const render = async (id: string) => {
    if (!isValidRunId(id)) return undefined;
    try {
      const { meta, results } = await loadRun(options.dataDir, id);
      return await renderReports(meta, results, { chartJs: options.chartJs });
    } catch (error) {
      // A missing run is a 404; a broken one is a bug worth a 500.
      if (error instanceof RunNotFoundError) return undefined;
      throw error;
    }
  };
  app.get("/evals/:id", async (c) => {
    const reports = await render(c.req.param("id"));
    if (!reports) return c.json(notFound(c.req.param("id")), 404);
    return c.html(reports.html);
  });
  app.get("/evals/:id/report.json", async (c) => {
    const reports = await render(c.req.param("id"));
    if (!reports) return c.json(notFound(c.req.param("id")), 404);
    return c.json(reports.data);
  });
  app.get("/evals/:id/report.md", async (c) => {
    const reports = await render(c.req.param("id"));
    if (!reports) return c.json(notFound(c.req.param("id")), 404);
    return c.body(reports.markdown, 200, { "content-type": "text/markdown; charset=utf-8" });
  });
  return app;
}
