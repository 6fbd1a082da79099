/**
 * "Sputnik makes no network connection except the model pulls the operator asks for": start a
 * server in this process (models from local files, a policy with the privacy shield on), chat
 * with it the way `sputnik run --url` does, and record every outbound connection the process
 * makes meanwhile — TCP through `net.Socket#connect` and the `net.client.socket` diagnostics
 * channel, UDP through `dgram.createSocket`. The only ones allowed are to the server itself.
 */
import dgram from "node:dgram";
import diagnosticsChannel from "node:diagnostics_channel";
import net from "node:net";
import { expect, it } from "vitest";
import { listModels, streamChatCompletion } from "../../src/chat/api.ts";
import { Capture } from "../../src/chat/fake-openai-server.ts";
import { ChatView } from "../../src/chat/render.ts";
import { runTurn } from "../../src/chat/turn.ts";
import { startModeratedServer } from "./moderated-server.ts";

interface Target {
  host?: string;
  port?: number;
  path?: string;
}

/** `connect(options)`, `connect(port, host)`, `connect(path)`, or Node's internal normalized `[options, cb]`. */
function targetOf(args: unknown[]): Target {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === "object" && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string };
    return { host: options.host ?? "localhost", port: options.port === undefined ? undefined : Number(options.port), path: options.path };
  }
  if (typeof first === "string" && Number.isNaN(Number(first))) return { path: first };
  return { port: Number(first), host: typeof args[1] === "string" ? args[1] : "localhost" };
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "::ffff:127.0.0.1"]);

it("serving and chatting open no outbound sockets", async () => {
  const tcp: Target[] = [];
  const channelSockets: net.Socket[] = [];
  const udp: string[] = [];
  const connect = net.Socket.prototype.connect;
  const createSocket = dgram.createSocket;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    tcp.push(targetOf(args));
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  (dgram as { createSocket: unknown }).createSocket = (...args: unknown[]) => {
    udp.push(String(args[0]));
    return (createSocket as (...a: unknown[]) => dgram.Socket)(...args);
  };
  const onSocket = (message: unknown) => channelSockets.push((message as { socket: net.Socket }).socket);
  diagnosticsChannel.subscribe("net.client.socket", onSocket);

  let port: number;
  try {
    await using m = await startModeratedServer({
      policy: {
        policies: [{ name: "p", rules: [{ name: "r", action: "annotate", reason: "watching", keywords: ["the"] }] }],
        privacy: { mode: "mask", scope: "all" },
      },
    });
    port = m.server.port;
    const models = await listModels(m.server.url);
    expect(models.map((model) => model.id)).toEqual(["chatml"]);
    const out = new Capture();
    const abort = new AbortController();
    const body = { model: "chatml", messages: [{ role: "user", content: "Hello, my mail is alice@example.com" }], max_tokens: 12, seed: 1 };
    const turn = await runTurn({ chunks: streamChatCompletion(m.server.url, body, abort.signal), signal: abort.signal, view: new ChatView(out) });
    expect(turn.error).toBeUndefined();
    expect(turn.finishReason).toBe("length");
    expect((await fetch(`${m.server.url}/admin/audit`)).status).toBe(200);
  } finally {
    net.Socket.prototype.connect = connect;
    (dgram as { createSocket: unknown }).createSocket = createSocket;
    diagnosticsChannel.unsubscribe("net.client.socket", onSocket);
  }

  // The chat did connect (so the probes work), and only ever to the server on loopback.
  expect(tcp.length).toBeGreaterThan(0);
  for (const target of tcp) expect({ loopback: LOOPBACK.has(target.host ?? ""), port: target.port, path: target.path }).toEqual({ loopback: true, port, path: undefined });
  for (const socket of channelSockets) {
    if (socket.remoteAddress !== undefined) expect([LOOPBACK.has(socket.remoteAddress), socket.remotePort]).toEqual([true, port]);
  }
  expect(udp).toEqual([]);
});
