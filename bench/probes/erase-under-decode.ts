/**
 * Probe: how long does `eraseContextTokenRanges` on one sequence wait while other sequences of the
 * same context are decoding? The server erases a slot's stale tokens before each new request
 * (`LlamaSlot.run`), so this wait is part of that request's TTFT.
 *
 * node-llama-cpp 3.21.1 decodes under the context lock and keeps looping while decodes are queued;
 * with two or more sequences generating, the queue is never empty when it checks, so the erase
 * (which needs the same lock) waits until every other sequence stops.
 *
 *   node --import tsx bench/probes/erase-under-decode.ts MODEL.gguf [running=3] [tokens=40]
 */
import { getLlama, type Token } from "node-llama-cpp";

const [modelPath, runningArg = "3", tokensArg = "40"] = process.argv.slice(2);
if (!modelPath) {
  console.error("usage: erase-under-decode.ts MODEL.gguf [running sequences] [tokens each]");
  process.exit(2);
}
const running = Number(runningArg);
const tokensEach = Number(tokensArg);

const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1 });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ sequences: running + 1, contextSize: 1024, threads: 1 });
const prompt = model.tokenize("time year people way day which word", false);
const newcomer = context.getSequence();
for await (const _token of newcomer.evaluate(prompt as Token[], { temperature: 0 })) break; // give it stale tokens

const start = performance.now();
const at = () => `${(performance.now() - start).toFixed(0)} ms`;
let generated = 0;
const streams = Array.from({ length: running }, async () => {
  const sequence = context.getSequence();
  let own = 0;
  for await (const _token of sequence.evaluate(prompt as Token[], { temperature: 0 })) {
    generated++;
    if (++own >= tokensEach) break;
  }
  return performance.now() - start;
});
await new Promise((resolve) => setTimeout(resolve, 300));
const eraseFrom = performance.now();
console.log(`${at()}: erasing the newcomer's stale tokens while ${running} sequences decode (${generated} tokens so far)`);
await newcomer.eraseContextTokenRanges([{ start: 2, end: newcomer.nextTokenIndex }]);
const waited = performance.now() - eraseFrom;
const finished = await Promise.all(streams);
console.log(`${at()}: erase took ${waited.toFixed(0)} ms; the running sequences finished at ${finished.map((ms) => ms.toFixed(0)).join(", ")} ms`);
await context.dispose();
await model.dispose();
