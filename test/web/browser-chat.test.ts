/**
 * The chat in a real browser (Debian's Chromium) against a real server with the tiny models:
 * streaming, stop, DeepThink and the reasoning panel, reload, edit and branches, regenerate,
 * Markdown rendering, export, languages, theme, phone width. Screenshots go to artifacts/screenshots.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server.ts";
import type { Conversation, Message } from "../../src/webapp/conversations/wire.ts";
import { launchBrowser, openPage, recordStreaming, screenshot, skipBrowserTests, streamedTexts } from "./helpers/browser.ts";
import { startWebTestServer } from "./helpers/web-server.ts";

/** Polls until the expectation holds; server work under a loaded CI machine may take seconds. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (skipBrowserTests) return;
  // qwen3 answers under a policy that withholds everything it writes, to show the notice.
  const policy = {
    policies: [{ name: "test-policy", models: ["qwen3"], rules: [{ name: "everything", on: "output", action: "block", reason: "nothing may be said", regex: ["[\\s\\S]"] }] }],
  };
  [server, browser] = await Promise.all([startWebTestServer({ models: ["tiny", "r1", "qwen3"], policy }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close(0);
});

const composer = '[data-testid="composer-input"]';
const doneAnswer = '[data-testid="message-assistant"][data-streaming="false"]';

async function setMaxTokens(page: Page, value: string) {
  await page.click('[data-testid="settings-button"]');
  await page.fill('[data-testid="max-tokens"]', value);
  await page.keyboard.press("Escape");
  await page.waitForSelector('[data-testid="settings-drawer"]', { state: "detached" });
}

async function pickModel(page: Page, id: string) {
  await page.click('[data-testid="model-picker"]');
  await page.click(`[data-testid="model-option-${id}"]`);
  await eventually(() => page.textContent('[data-testid="model-picker"]')).toContain(id);
}

async function setDeepThink(page: Page, on: boolean) {
  const toggle = page.locator('[data-testid="deepthink-toggle"]');
  if ((await toggle.getAttribute("aria-pressed")) !== String(on)) await toggle.click();
  await eventually(() => toggle.getAttribute("aria-pressed")).toBe(String(on));
}

/** The text of the (first) finished answer, once the Markdown renderer replaced the plain fallback. */
async function answerText(page: Page): Promise<string | null> {
  const answer = page.locator(doneAnswer).first();
  await answer.locator(".plain-text").waitFor({ state: "detached" });
  return answer.locator('[data-testid="answer-text"]').textContent();
}

async function send(page: Page, text: string) {
  await page.fill(composer, text);
  await page.keyboard.press("Enter");
}

describe.skipIf(skipBrowserTests)("chat in the browser", () => {
  it("streams an answer as it is generated, keeps Shift+Enter for new lines, and shows its details", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/");
    await page.waitForSelector(composer);
    await screenshot(page, "welcome");
    await setMaxTokens(page, "120");
    await page.fill(composer, "First line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    expect(await page.inputValue(composer)).toBe("First line\nsecond line");
    await recordStreaming(page);
    await page.keyboard.press("Enter");

    await page.waitForSelector('[data-testid="message-assistant"][data-streaming="true"]');
    await page.waitForSelector(doneAnswer, { timeout: 30_000 });
    expect(await page.textContent('[data-testid="message-user"] .bubble')).toBe("First line\nsecond line");
    // The answer showed in several steps while streaming (Markdown may re-flow between steps).
    const seen = (await streamedTexts(page)).map((s) => s.split("|")[2]).filter(Boolean);
    expect(new Set(seen).size).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)?.length).toBeGreaterThan(seen[0].length);

    // Cut by max_tokens: said so.
    await eventually(() => page.textContent('[data-testid="notice-cut"]')).toContain("limit of 120 tokens");
    await page.click('[data-testid="details-button"]');
    const details = await page.textContent('[data-testid="answer-details"]');
    expect(details).toMatch(/Output\s*120 tokens/);
    expect(details).toMatch(/tok\/s/);
    expect(details).toMatch(/First token/);
    // 120 output tokens at $1.10 per million, plus the prompt: about a hundredth of a cent.
    expect(details).toMatch(/Cost\s*\$0\.000(1[3-9]|2)\d/);
    // The URL names the new conversation; the sidebar lists it under its first line.
    expect(page.url()).toMatch(/\/c\/conv_\w+$/);
    await eventually(() => page.textContent('[data-testid="conversation-list"]')).toContain("First line");
    await screenshot(page, "chat-streamed");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("stops mid-stream with Esc and keeps what was written", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/");
    await page.waitForSelector(composer);
    await send(page, "Write a very long story");
    // No max_tokens: the tiny model would write until the context is full.
    await page.waitForFunction(() => (document.querySelector('[data-streaming="true"] [data-testid="answer-text"]')?.textContent ?? "").length > 20);
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="notice-stopped"]');
    await page.waitForSelector('[data-testid="send-button"]');
    const partial = await answerText(page);
    expect(partial?.length).toBeGreaterThan(20);

    // Saved as stopped: a reload shows the same partial answer and notice.
    await page.reload();
    await page.waitForSelector('[data-testid="notice-stopped"]');
    expect(await answerText(page)).toBe(partial);
    // The stop button works too.
    await send(page, "Another long one");
    await page.waitForSelector('[data-testid="stop-button"]');
    await page.waitForFunction(() => (document.querySelector('[data-streaming="true"] [data-testid="answer-text"]')?.textContent ?? "").length > 0);
    await page.click('[data-testid="stop-button"]');
    await eventually(() => page.locator('[data-testid="notice-stopped"]').count()).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the reasoning panel with DeepThink on a thinking model, and none with it off", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/");
    await page.waitForSelector(composer);
    await pickModel(page, "r1");
    await setMaxTokens(page, "64");
    await setDeepThink(page, true);
    await recordStreaming(page);
    await send(page, "Why is the sky blue?");
    await page.waitForSelector('[data-testid="reasoning-panel"]');
    await page.waitForSelector(doneAnswer, { timeout: 30_000 });

    const labels = (await streamedTexts(page)).map((s) => s.split("|")[0]).filter(Boolean);
    expect(labels).toContain("Thinking…");
    expect(await page.textContent('[data-testid="reasoning-label"]')).toMatch(/^Thought for (1 second|\d+ seconds)$/);
    const reasoning = await page.textContent('[data-testid="reasoning-text"]');
    expect(reasoning?.length).toBeGreaterThan(0);
    await page.click('[data-testid="details-button"]');
    expect(await page.textContent('[data-testid="answer-details"]')).toMatch(/Reasoning\s*\d+ tokens/);
    await screenshot(page, "reasoning-streamed");
    // The panel folds.
    await page.click(".reasoning-toggle");
    await page.waitForSelector('[data-testid="reasoning-text"]', { state: "detached" });

    // DeepThink off: the R1 template's think block is closed, the model answers directly.
    await setDeepThink(page, false);
    await send(page, "Answer directly");
    await eventually(() => page.locator(doneAnswer).count()).toBe(2);
    const second = page.locator(doneAnswer).nth(1);
    expect(await second.locator('[data-testid="notice-error"]').count()).toBe(0);
    expect(await second.locator('[data-testid="reasoning-panel"]').count()).toBe(0);
    expect((await second.locator('[data-testid="answer-text"]').textContent())?.length).toBeGreaterThan(0);

    // A model that cannot think (`meta.thinking: false`) has DeepThink disabled.
    await page.route("**/v1/models", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { data: Array<{ id: string; meta: { thinking?: boolean } }> };
      for (const model of body.data) if (model.id === "tiny") model.meta.thinking = false;
      await route.fulfill({ response, json: body });
    });
    await page.reload();
    await pickModel(page, "tiny");
    expect(await page.isDisabled('[data-testid="deepthink-toggle"]')).toBe(true);
    await pickModel(page, "r1");
    expect(await page.isDisabled('[data-testid="deepthink-toggle"]')).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("finds the conversation after a reload, by list and by search; renames and deletes it", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/");
    await page.waitForSelector(composer);
    await setMaxTokens(page, "8");
    await send(page, "Remember the word zeppelin");
    await page.waitForSelector(doneAnswer, { timeout: 30_000 });
    const url = page.url();

    await page.goto("/");
    await page.reload();
    const item = page.locator('[data-testid="conversation-item"]', { hasText: "Remember the word zeppelin" });
    await item.click();
    await page.waitForURL(url);
    expect(await page.textContent('[data-testid="message-user"] .bubble')).toBe("Remember the word zeppelin");
    expect(await page.locator(doneAnswer).count()).toBe(1);

    await page.fill('[data-testid="search-input"]', "ZEPPELIN");
    await eventually(() => page.locator('[data-testid="conversation-item"]').count()).toBe(1);
    await page.fill('[data-testid="search-input"]', "no such words anywhere");
    await page.waitForSelector(".list-empty");
    await page.fill('[data-testid="search-input"]', "zeppelin");
    await eventually(() => page.locator('[data-testid="conversation-item"]').count()).toBe(1);

    await item.hover();
    await item.locator('[data-testid="conversation-menu"]').click();
    await page.click('[data-testid="rename-conversation"]');
    await page.fill('[data-testid="rename-input"]', "Airships");
    await page.keyboard.press("Enter");
    await eventually(() => page.textContent('[data-testid="conversation-list"]')).toContain("Airships");

    // Export as Markdown downloads the conversation.
    await page.click('[data-testid="export-button"]');
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-markdown"]')]);
    expect(download.suggestedFilename()).toBe("Airships.md");
    const exported = await new Promise<string>((resolve, reject) => {
      download.createReadStream().then((stream) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", reject);
      }, reject);
    });
    expect(exported).toContain("# Airships");
    expect(exported).toContain("Remember the word zeppelin");

    page.once("dialog", (dialog) => void dialog.accept());
    const renamed = page.locator('[data-testid="conversation-item"]', { hasText: "Airships" });
    await renamed.hover();
    await renamed.locator('[data-testid="conversation-menu"]').click();
    await page.click('[data-testid="delete-conversation"]');
    await page.waitForURL(`${server.url}/`);
    await eventually(() => page.locator('[data-testid="conversation-item"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("edits a question into a new branch, regenerates an answer, and walks the branches", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/");
    await page.waitForSelector(composer);
    await setMaxTokens(page, "8");
    await send(page, "Original question");
    await page.waitForSelector(doneAnswer, { timeout: 30_000 });
    const firstAnswer = await answerText(page);

    await page.hover('[data-testid="message-user"]');
    await page.click('[data-testid="edit-button"]');
    await page.fill('[data-testid="edit-input"]', "Edited question");
    await page.click('[data-testid="edit-send"]');
    await page.waitForSelector(doneAnswer, { timeout: 30_000 });
    await eventually(() => page.textContent('[data-testid="message-user"] .bubble')).toBe("Edited question");
    expect(await page.textContent('[data-testid="message-user"] [data-testid="branch-position"]')).toBe("2 / 2");

    // The earlier branch is kept, with its answer.
    await page.click('[data-testid="message-user"] [aria-label="Previous version"]');
    await eventually(() => page.textContent('[data-testid="message-user"] .bubble')).toBe("Original question");
    expect(await answerText(page)).toBe(firstAnswer);
    expect(await page.textContent('[data-testid="message-user"] [data-testid="branch-position"]')).toBe("1 / 2");

    // Regenerate: a second answer to the same question.
    await page.click('[data-testid="regenerate-button"]');
    await page.waitForSelector('[data-testid="message-assistant"] [data-testid="branch-position"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="message-assistant"] [data-testid="branch-position"]')).toBe("2 / 2");
    await page.click('[data-testid="message-assistant"] [aria-label="Previous version"]');
    await eventually(() => answerText(page)).toBe(firstAnswer);

    // The branch shown survives a reload.
    await page.reload();
    await page.waitForSelector(doneAnswer);
    expect(await page.textContent('[data-testid="message-user"] .bubble')).toBe("Original question");
    expect(await answerText(page)).toBe(firstAnswer);
    await screenshot(page, "branches");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("renders Markdown: tables, highlighted code with a copy button, KaTeX math", async () => {
    // A conversation stored through the API (the tiny model writes random text, not Markdown).
    const api = async <T>(route: string, body: unknown): Promise<T> =>
      (await (await fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as T;
    const conversation = await api<Conversation>("/api/conversations", { model: "r1", settings: { thinking: true } });
    const question = await api<Message>(`/api/conversations/${conversation.id}/messages`, {
      parent_id: null,
      role: "user",
      content: "Compare binary search and linear search, with code and the complexity.",
    });
    await api<Message>(`/api/conversations/${conversation.id}/messages`, {
      parent_id: question.id,
      role: "assistant",
      model: "r1",
      reasoning_content:
        "The user wants a comparison. Binary search needs a sorted array and halves the range each step, so it takes about log₂ n comparisons. " +
        "Linear search checks each element in turn. A table will make the trade-offs clear, then a short Python example, then the complexity in math notation.",
      content: [
        "Both find an element in a list; they differ in what they need and how fast they are.",
        "",
        "| | Linear search | Binary search |",
        "|---|---|---|",
        "| Input | any list | **sorted** list |",
        "| Worst case | $O(n)$ | $O(\\log n)$ |",
        "| Extra memory | $O(1)$ | $O(1)$ |",
        "",
        "```python",
        "def binary_search(items, target):",
        "    lo, hi = 0, len(items) - 1",
        "    while lo <= hi:",
        "        mid = (lo + hi) // 2",
        "        if items[mid] == target:",
        "            return mid",
        "        if items[mid] < target:",
        "            lo = mid + 1",
        "        else:",
        "            hi = mid - 1",
        "    return -1",
        "```",
        "",
        "Each step halves the range, so after $k$ steps at most $n / 2^k$ items are left, which gives",
        "",
        "$$",
        "k = \\lceil \\log_2 n \\rceil",
        "$$",
        "",
        "For a million items that is at most **20** comparisons instead of 1,000,000.",
      ].join("\n"),
      details: {
        finish_reason: "stop",
        usage: { prompt_tokens: 31, cached_tokens: 0, reasoning_tokens: 58, completion_tokens: 241 },
        ttft_ms: 212,
        duration_ms: 9800,
        reasoning_ms: 4200,
        tokens_per_second: 25.3,
        cost: { micros: 97, currency: "USD" },
      },
    });

    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto(`/c/${conversation.id}`);
    await page.waitForSelector(".markdown table");
    await page.waitForSelector(".katex");
    expect(await page.locator(".markdown table tr").count()).toBe(4);
    expect(await page.locator(".katex-display").count()).toBe(1);
    expect(await page.textContent(".code-lang")).toBe("python");
    expect(await page.locator(".code-block .hljs-keyword").count()).toBeGreaterThan(3);
    expect(await page.textContent('[data-testid="reasoning-label"]')).toBe("Thought for 4 seconds");
    // For the README: the reasoning panel (top of the answer), then the Markdown below it.
    await page.evaluate(() => document.querySelector('[data-testid="messages"]')?.scrollTo(0, 0));
    await screenshot(page, "reasoning");
    await page.evaluate(() => document.querySelector(".markdown table")?.scrollIntoView({ block: "start" }));
    await screenshot(page, "chat", { docs: true });
    await page.click('[data-testid="theme-toggle"]');
    await eventually(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await page.evaluate(() => document.querySelector('[data-testid="messages"]')?.scrollTo(0, 0));
    await screenshot(page, "reasoning-dark", { docs: true });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.click(".code-copy");
    await eventually(() => page.textContent(".code-copy")).toContain("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("def binary_search(items, target):");
    await page.click('[data-testid="theme-toggle"]');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("switches language (English, Korean, Chinese), remembers it, and starts from the browser's", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { language: "ko-KR" });
    await page.goto("/");
    await page.waitForSelector(composer);
    expect(await page.textContent('[data-testid="new-chat"]')).toBe("새 채팅");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ko");
    expect(await page.getAttribute(composer, "placeholder")).toBe("Sputnik에게 메시지 보내기");
    await screenshot(page, "welcome-ko");

    await page.selectOption('[data-testid="language-select"]', "zh");
    await eventually(() => page.textContent('[data-testid="new-chat"]')).toBe("开启新对话");
    expect(await page.textContent('[data-testid="deepthink-toggle"]')).toBe("深度思考");
    await page.reload();
    await page.waitForSelector(composer);
    expect(await page.textContent('[data-testid="new-chat"]')).toBe("开启新对话");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh-CN");
    await screenshot(page, "welcome-zh");

    await page.selectOption('[data-testid="language-select"]', "en");
    await eventually(() => page.textContent('[data-testid="new-chat"]')).toBe("New chat");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says when a policy withheld the answer", async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    await page.goto("/");
    await page.waitForSelector(composer);
    await pickModel(page, "qwen3");
    await setDeepThink(page, false);
    await setMaxTokens(page, "16");
    await send(page, "Say anything");
    await page.waitForSelector('[data-testid="notice-withheld"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="notice-withheld"]')).toBe("Withheld by policy test-policy: nothing may be said");
    // Stored with the answer: still there after a reload.
    await page.reload();
    await page.waitForSelector('[data-testid="notice-withheld"]');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says so when a question cannot be saved", async () => {
    const { context, page } = await openPage(browser, server.url);
    await page.route("**/api/conversations", (route) =>
      route.request().method() === "POST"
        ? route.fulfill({ status: 503, json: { error: { message: "The database is unavailable.", type: "server_error", param: null, code: "store_unavailable" } } })
        : route.fallback(),
    );
    await page.goto("/");
    await page.waitForSelector(composer);
    await send(page, "Will this be saved?");
    await page.waitForSelector('[data-testid="send-error"]');
    expect(await page.textContent('[data-testid="send-error"]')).toContain("The database is unavailable.");
    expect(await page.locator('[data-testid="message-user"]').count()).toBe(0);
    await context.close();
  });

  it("works at phone width: the sidebar is a drawer", async () => {
    const { context, page, errors } = await openPage(browser, server.url, { width: 390, height: 844 });
    await page.goto("/");
    await page.waitForSelector(composer);
    expect(await page.isVisible('[data-testid="open-sidebar"]')).toBe(true);
    const sidebarBox = await page.locator('[data-testid="sidebar"]').boundingBox();
    expect((sidebarBox?.x ?? 0) + (sidebarBox?.width ?? 0)).toBeLessThanOrEqual(0);
    await setMaxTokens(page, "40");
    await send(page, "Hello from a phone");
    await page.waitForSelector(doneAnswer, { timeout: 30_000 });
    // Nothing overflows sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "phone", { docs: true });
    await page.click('[data-testid="open-sidebar"]');
    await eventually(async () => (await page.locator('[data-testid="sidebar"]').boundingBox())?.x).toBe(0);
    await screenshot(page, "phone-sidebar");
    expect(errors).toEqual([]);
    await context.close();
  });
});
