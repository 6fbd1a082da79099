/**
 * The admin pages in a real browser: models (pull with a live progress bar from a mock hub), usage
 * charts (chart.js), the audit log (and its empty states), API keys — and the key prompt that
 * appears once keys exist.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startMockHub, type MockHub } from "../../src/models/hf-mock-server.ts";
import type { RunningServer } from "../../src/server.ts";
import { launchBrowser, openPage, screenshot, skipBrowserTests } from "./helpers/browser.ts";
import { startWebTestServer } from "./helpers/web-server.ts";

/** Polls until the expectation holds; server work under a loaded CI machine may take seconds. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

let server: RunningServer;
let browser: Browser;
let hub: MockHub;

beforeAll(async () => {
  if (skipBrowserTests) return;
  hub = await startMockHub();
  hub.setFile("sputnik-test/tiny-GGUF", "tiny-pulled.gguf", readFileSync(inject("tinyModels").chatml));
  [server, browser] = await Promise.all([startWebTestServer({ models: ["tiny", "r1"], hfEndpoint: hub.endpoint }), launchBrowser()]);
  // Some usage to chart: two models, a few requests.
  for (const [model, maxTokens] of [["tiny", 24], ["tiny", 12], ["r1", 32]] as const) {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "Usage for the charts" }], max_tokens: maxTokens }),
    });
    expect(response.status).toBe(200);
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.close(0);
  await hub?.close();
});

/** Pixels drawn on a chart's canvas (not transparent). */
async function paintedPixels(page: Page, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement | null;
    if (!canvas || canvas.width === 0) return 0;
    const data = (canvas.getContext("2d") as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    return painted;
  }, testId);
}

describe.skipIf(skipBrowserTests)("admin pages in the browser", () => {
  it("lists the served models and pulls a new one with a live progress bar", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/");
    await page.click('[data-testid="nav-models"]');
    await page.waitForURL(/\/manage\/models$/);
    await page.waitForSelector('[data-testid="model-row-tiny"]');
    expect(await page.textContent('[data-testid="model-row-r1"]')).toContain("ready");

    // Every width the bar takes, recorded by the page itself.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="pull-progress"]');
        const value = bar?.getAttribute("aria-valuenow");
        if (value !== null && value !== undefined && seen.at(-1) !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.fill('[data-testid="pull-input"]', "hf:sputnik-test/tiny-GGUF/tiny-pulled.gguf");
    await page.click('[data-testid="pull-button"]');
    await page.waitForSelector('[data-testid="pull-status"][data-phase="done"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="pull-status"]')).toContain("tiny-pulled is ready.");
    const widths = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(widths.at(-1)).toBe("100");
    await page.waitForSelector('[data-testid="model-row-tiny-pulled"]');
    await eventually(() => page.textContent('[data-testid="model-row-tiny-pulled"]')).toContain("ready");
    await screenshot(page, "models", { docs: true });

    // The pulled model is in the chat's model menu.
    await page.click('[data-testid="new-chat"]');
    await page.click('[data-testid="model-picker"]');
    await page.waitForSelector('[data-testid="model-option-tiny-pulled"]');

    // A failed pull says why.
    await page.goto("/manage/models");
    await page.fill('[data-testid="pull-input"]', "hf:sputnik-test/tiny-GGUF/missing.gguf");
    await page.click('[data-testid="pull-button"]');
    await page.waitForSelector('[data-testid="pull-status"][data-phase="error"]');
    expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
    await context.close();
  });

  it("draws usage charts: tokens and cost per day, tokens per model", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/manage/usage");
    await page.waitForSelector('[data-testid="usage-chart-tokens"] canvas');
    await eventually(() => paintedPixels(page, "usage-chart-tokens")).toBeGreaterThan(500);
    await eventually(() => paintedPixels(page, "usage-chart-cost")).toBeGreaterThan(500);
    await eventually(() => paintedPixels(page, "usage-chart-models")).toBeGreaterThan(500);
    const stats = await page.textContent(".stat-cards");
    expect(stats).toMatch(/Requests\s*[3-9]/);
    const perModel = await page.textContent('[data-testid="usage-chart-models"] table');
    expect(perModel).toContain("tiny");
    expect(perModel).toContain("r1");
    await screenshot(page, "usage", { docs: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("lists moderation decisions, and says so when there are none or moderation is off", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/manage/audit");
    await page.waitForSelector('[data-testid="audit-empty"]');
    expect(await page.textContent('[data-testid="audit-empty"]')).toBe("No moderation decisions recorded.");

    const rows = [
      { time: "2025-06-01T10:00:00.000Z", requestId: "chatcmpl-1", keyId: "key_abc", model: "tiny", policy: "default", rule: "pii-email", action: "redact", excerpt: "mail me at [EMAIL]" },
      { time: "2025-06-01T10:05:00.000Z", requestId: "chatcmpl-2", keyId: null, model: "r1", policy: "strict", rule: "weapons", action: "block", excerpt: "how to build a …" },
    ];
    await page.route("**/admin/audit?*", (route) => route.fulfill({ json: { object: "list", data: rows } }));
    await page.reload();
    await page.waitForSelector('[data-testid="audit-table"]');
    expect(await page.locator('[data-testid="audit-table"] tbody tr').count()).toBe(2);
    expect(await page.textContent('[data-testid="audit-table"]')).toContain("pii-email");
    await screenshot(page, "audit");

    await page.unroute("**/admin/audit?*");
    await page.route("**/admin/audit?*", (route) => route.fulfill({ status: 404, json: { error: { message: "Unknown route", type: "not_found_error", param: null, code: "unknown_route" } } }));
    await page.reload();
    await page.waitForSelector('[data-testid="audit-empty"]');
    expect(await page.textContent('[data-testid="audit-empty"]')).toContain("not enabled");
    expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
    await context.close();
  });

  // Last: the first key turns auth on (auth mode `auto`), so the app then asks for one.
  it("creates and revokes API keys; once keys exist the app asks for one", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/manage/keys");
    await page.waitForSelector('[data-testid="keys-page"]');
    expect(await page.textContent('[data-testid="keys-page"]')).toContain("The first key turns API keys on");
    await page.fill('[data-testid="key-name"]', "laptop");
    await page.click('[data-testid="keys-page"] button[type="submit"]');
    await page.waitForSelector('[data-testid="new-key"]');
    const chatKey = (await page.textContent('[data-testid="new-key-token"]')) ?? "";
    expect(chatKey).toMatch(/^sk-/);
    await screenshot(page, "new-key");
    // Auth is on now: the page's next request needed a key, so the key prompt is under the dialog.
    await page.click('[data-testid="new-key-done"]');
    await page.waitForSelector('[data-testid="auth-dialog"]');
    await page.fill('[data-testid="auth-input"]', "sk-wrong");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="auth-dialog"] .form-error');

    // A chat key: the chat works, the admin pages do not show.
    await page.fill('[data-testid="auth-input"]', chatKey);
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="auth-dialog"]', { state: "detached" });
    await page.waitForSelector('[data-testid="admin-view"] .empty-state');
    expect(await page.textContent('[data-testid="admin-view"] .empty-state')).toContain("admin scope");
    expect(await page.locator('[data-testid="nav-models"]').count()).toBe(0);

    // An admin key sees everything, and can revoke the chat key.
    const admin = await server.platform.keys.create({ name: "ops", scopes: ["chat", "admin"] });
    await page.evaluate((token) => localStorage.setItem("sputnik.apiKey", token), admin.token);
    await page.reload();
    await page.waitForSelector('[data-testid="keys-table"]');
    expect(await page.locator('[data-testid="keys-table"] tbody tr').count()).toBe(2);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.locator('[data-testid="keys-table"] tr', { hasText: "laptop" }).locator("button").click();
    await eventually(() => page.textContent('[data-testid="keys-table"] tr:has-text("laptop")')).toContain("revoked");
    await screenshot(page, "keys");
    expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
    await context.close();
  });
});
