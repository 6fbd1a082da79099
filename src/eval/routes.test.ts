import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evalRoutes } from "./routes.ts";
import { RunStore } from "./store.ts";
import { FAKE_RUN_CONFIG as config, makeResult } from "./test-fakes.ts";


async function withRun() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "sputnik-routes-"));
  const store = await RunStore.create(dataDir, config, "20250101-000000-beef");
  await store.append(makeResult({ target: "t1", suite: "math", itemId: "math-0000", correct: true }));
  await store.append(makeResult({ target: "t1", suite: "math", itemId: "math-0001", correct: false }));
  return { dataDir, app: evalRoutes({ dataDir, chartJs: "/* fake chart.js */ window.Chart = undefined;" }) };
}

describe("evalRoutes", () => {
  it("lists runs as JSON", async () => {
    const { app } = await withRun();
    const response = await app.request("/evals");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; data: Array<{ id: string; results: number; status: string }> };
    expect(body.object).toBe("list");
    expect(body.data).toEqual([expect.objectContaining({ id: "20250101-000000-beef", results: 2, status: "running", targets: ["t1"] })]);
  });

  it("serves the HTML report of a run, rendered from its results", async () => {
    const { app } = await withRun();
    const response = await app.request("/evals/20250101-000000-beef");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("Sputnik evaluation 20250101-000000-beef");
    expect(html).toContain("fake chart.js");
    expect(html).toMatch(/50\.0 %/);
  });

  it("serves JSON and Markdown renderings too", async () => {
    const { app } = await withRun();
    const json = (await (await app.request("/evals/20250101-000000-beef/report.json")).json()) as { cells: Array<{ correct: number; n: number }> };
    expect(json.cells[0]).toMatchObject({ correct: 1, n: 2 });
    const md = await app.request("/evals/20250101-000000-beef/report.md");
    expect(md.headers.get("content-type")).toContain("text/markdown");
    expect(await md.text()).toContain("## Accuracy");
  });

  it("answers 404 for unknown runs and path tricks", async () => {
    const { app } = await withRun();
    for (const url of ["/evals/nope", "/evals/..%2F..%2Fetc", "/evals/%2E%2E"]) {
      const response = await app.request(url);
      expect(response.status, url).toBe(404);
    }
    const body = (await (await app.request("/evals/nope")).json()) as { error: { code: string } };
    expect(body.error.code).toBe("eval_run_not_found");
  });

  it("lists nothing for a fresh data dir", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "sputnik-routes-empty-"));
    const body = (await (await evalRoutes({ dataDir }).request("/evals")).json()) as { data: unknown[] };
    expect(body.data).toEqual([]);
  });
});
