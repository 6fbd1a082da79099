/**
 * Drives Debian's Chromium with playwright-core (`npx playwright install` cannot download here).
 * CI installs it (`.ci/run`: `apt-get install chromium`); without it these tests fail in CI and are
 * skipped elsewhere with a message saying how to install it.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Where every run leaves its screenshots (git-ignored). */
export const ARTIFACTS_DIR = path.resolve("artifacts/screenshots");
/** Commit-ready copies, written only when `SPUTNIK_DOCS_SCREENSHOTS=1` (`npm run screenshots`). */
export const DOCS_DIR = path.resolve("docs/screenshots");

export const browserAvailable = existsSync(CHROMIUM_PATH);
/** In CI a missing browser is a failure, not a skip. */
export const skipBrowserTests = !browserAvailable && !process.env.CI;
if (skipBrowserTests) console.warn(`[web tests] ${CHROMIUM_PATH} not found: browser tests skipped (install it: apt-get install chromium).`);

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

export interface PageOptions {
  width?: number;
  height?: number;
  language?: string;
  colorScheme?: "light" | "dark";
}

/** A fresh context (own storage) and page; page errors fail the test that reads `errors`. */
export async function openPage(browser: Browser, baseURL: string, options: PageOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    deviceScaleFactor: 1,
    locale: options.language ?? "en-US",
    colorScheme: options.colorScheme ?? "light",
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  // Nothing may come from another origin: no CDN, fonts or scripts from elsewhere.
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])[a-z-]+:\/\//, (route) => {
    errors.push(`request to another origin: ${route.request().url()}`);
    return route.abort();
  });
  return { context, page, errors };
}

/** Saves a screenshot to artifacts/screenshots, and a docs copy when asked for. */
export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), animations: "disabled", caret: "hide" });
  if (options.docs && process.env.SPUTNIK_DOCS_SCREENSHOTS === "1") {
    mkdirSync(DOCS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(DOCS_DIR, `${name}.png`), animations: "disabled", caret: "hide" });
  }
}

/**
 * Records every text the streaming answer shows, from the page itself (a MutationObserver), so a
 * test can check that the answer grew in steps without sampling on a timer.
 */
export async function recordStreaming(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __streamed: string[] }).__streamed = seen;
    new MutationObserver(() => {
      const live = document.querySelector('[data-testid="message-assistant"][data-streaming="true"]');
      if (!live) return;
      const text = `${live.querySelector('[data-testid="reasoning-label"]')?.textContent ?? ""}|${live.querySelector('[data-testid="reasoning-text"]')?.textContent ?? ""}|${live.querySelector('[data-testid="answer-text"]')?.textContent ?? ""}`;
      if (seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export async function streamedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __streamed: string[] }).__streamed);
}
