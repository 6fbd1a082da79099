/** Streaming requests read frame by frame, so a test can disconnect at a chosen point. */

export interface OpenStream {
  /** The response id from the first frame (the ledger row's id). */
  id: string;
  status: number;
  /** Reads until `count` more data frames arrived. */
  frames(count: number): Promise<string[]>;
  /** Reads to the end; returns every remaining frame. */
  rest(): Promise<string[]>;
  /** Disconnects. */
  abort(): void;
}

export async function openStream(url: string, body: Record<string, unknown>, key?: string): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ ...body, stream: true }),
    signal: abort.signal,
  });
  if (!response.body || response.status !== 200) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queue: string[] = [];
  const fill = async (): Promise<boolean> => {
    const { done, value } = await reader.read();
    if (done) return false;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end).replace(/^data: /, "");
      buffer = buffer.slice(end + 2);
      queue.push(frame);
    }
    return true;
  };
  const frames = async (count: number) => {
    while (queue.length < count) if (!(await fill())) break;
    return queue.splice(0, count);
  };
  const [first] = await frames(1);
  const id = (JSON.parse(first) as { id: string }).id;
  return {
    id,
    status: response.status,
    frames,
    rest: async () => {
      while (await fill());
      return queue.splice(0);
    },
    abort: () => abort.abort(),
  };
}
