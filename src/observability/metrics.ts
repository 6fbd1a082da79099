/**
 * Prometheus metrics (`GET /metrics`). Each server owns its registry, so several servers in one
 * process (tests, benchmarks) never mix their numbers. Token and latency figures are read off the
 * same event stream the protocol adapters write, so they count exactly what clients received.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { GenerationEvent } from "../core/events.ts";
import type { GenerationHook, HookSession } from "../pipeline/generation-hooks.ts";
import type { ModelRegistry } from "../pipeline/model-registry.ts";

const TTFT_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ITL_BUCKETS = [0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.2, 0.5, 1];

export class ServerMetrics implements GenerationHook {
  readonly name = "metrics";
  readonly registry = new Registry();
  readonly #requests = new Counter({ name: "sputnik_requests_total", help: "HTTP requests by route and status", labelNames: ["route", "status"], registers: [this.registry] });
  readonly #promptTokens = new Counter({ name: "sputnik_prompt_tokens_total", help: "Prompt tokens of finished generations", labelNames: ["model"], registers: [this.registry] });
  readonly #cachedTokens = new Counter({ name: "sputnik_prompt_cached_tokens_total", help: "Prompt tokens served from the prefix cache", labelNames: ["model"], registers: [this.registry] });
  readonly #generatedTokens = new Counter({ name: "sputnik_generated_tokens_total", help: "Generated tokens of finished generations", labelNames: ["model"], registers: [this.registry] });
  readonly #ttft = new Histogram({ name: "sputnik_time_to_first_token_seconds", help: "Time from request to first token", labelNames: ["model"], buckets: TTFT_BUCKETS, registers: [this.registry] });
  readonly #itl = new Histogram({ name: "sputnik_inter_token_latency_seconds", help: "Time between streamed deltas", labelNames: ["model"], buckets: ITL_BUCKETS, registers: [this.registry] });

  constructor(models: ModelRegistry) {
    const perModel = (read: (stats: { slots: number; busy: number; queued: number }) => number) =>
      function (this: Gauge) {
        this.reset();
        for (const model of models.ready()) this.set({ model: model.id }, read(model.scheduler.stats()));
      };
    new Gauge({ name: "sputnik_queue_depth", help: "Requests waiting for a slot", labelNames: ["model"], registers: [this.registry], collect: perModel((s) => s.queued) });
    new Gauge({ name: "sputnik_active_slots", help: "Slots generating now", labelNames: ["model"], registers: [this.registry], collect: perModel((s) => s.busy) });
    new Gauge({ name: "sputnik_slots", help: "Slots per model", labelNames: ["model"], registers: [this.registry], collect: perModel((s) => s.slots) });
    const promptTokens = this.#promptTokens;
    const cachedTokens = this.#cachedTokens;
    new Gauge({
      name: "sputnik_prompt_cache_hit_ratio",
      help: "Cached prompt tokens / prompt tokens since start",
      labelNames: ["model"],
      registers: [this.registry],
      async collect() {
        this.reset();
        const prompt = await promptTokens.get();
        const cached = await cachedTokens.get();
        for (const sample of prompt.values) {
          const hit = cached.values.find((c) => c.labels.model === sample.labels.model)?.value ?? 0;
          if (sample.value > 0) this.set({ model: String(sample.labels.model) }, hit / sample.value);
        }
      },
    });
  }

  begin(_c: unknown, request: { model: string }): HookSession {
    return { transform: (events) => this.observe(request.model, events) };
  }

  requestFinished(route: string, status: number): void {
    this.#requests.inc({ route, status: String(status) });
  }

  /** Passes events through unchanged, recording latency and token counts on the way. */
  async *observe(model: string, events: AsyncIterable<GenerationEvent>): AsyncGenerator<GenerationEvent> {
    let last: number | undefined;
    for await (const event of events) {
      if (event.type === "text-delta" || event.type === "reasoning-delta" || event.type === "tool-call-delta") {
        const now = performance.now();
        if (last !== undefined) this.#itl.observe({ model }, (now - last) / 1000);
        last = now;
      } else if (event.type === "finish") {
        this.#ttft.observe({ model }, event.timings.timeToFirstTokenMs / 1000);
        this.#promptTokens.inc({ model }, event.usage.promptTokens);
        this.#cachedTokens.inc({ model }, event.usage.cachedPromptTokens);
        this.#generatedTokens.inc({ model }, event.usage.completionTokens);
      }
      yield event;
    }
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
