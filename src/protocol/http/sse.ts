/**
 * Server-sent events as OpenAI writes them: `data: {json}\n\n` frames, closed by `data: [DONE]`.
 * The stream is pull-based, so a slow client slows generation instead of growing a buffer, and
 * cancelling it (client gone) aborts the generation through `onCancel`.
 */
const encoder = new TextEncoder();

export function sseResponse(
  frames: AsyncIterator<unknown>,
  onCancel: () => void,
  /** Renders an unexpected failure as the protocol's error frame: after the first byte, errors travel in the stream. */
  errorFrame: (error: unknown) => unknown,
  headers: Record<string, string> = {},
): Response {
  let finished = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      try {
        const next = await frames.next();
        // The client may have gone while we waited: the stream is cancelled, write nothing more.
        if (finished) return;
        if (next.done) {
          finished = true;
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`));
      } catch (error) {
        if (finished) return;
        finished = true;
        console.error("[sputnik] stream failed after it started:", error);
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(errorFrame(error))}\n\ndata: [DONE]\n\n`));
        controller.close();
        onCancel();
      }
    },
    async cancel() {
      finished = true;
      onCancel();
      await frames.return?.(undefined);
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      // Proxies (nginx) must not buffer a token stream.
      "X-Accel-Buffering": "no",
      ...headers,
    },
  });
}
