/**
 * The browser's HTTP client for Sputnik: JSON in and out, the API key (when the server needs one)
 * as a bearer token, and errors in OpenAI's shape turned into `ApiError`s.
 */
import type {
  Conversation,
  ConversationList,
  ConversationWithMessages,
  CreateConversation,
  CreateMessage,
  Message,
  UpdateConversation,
} from "../../../src/webapp/conversations/wire.ts";

export type * from "../../../src/webapp/conversations/wire.ts";

const KEY_STORAGE = "sputnik.apiKey";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly type: string | null;

  constructor(message: string, status: number, code: string | null = null, type: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.type = type;
  }
}

export function getApiKey(): string | null {
  return localStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string | null): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
  window.dispatchEvent(new Event("sputnik:api-key"));
}

/** Listeners learn when a request was refused for want of a (valid) key. */
export const AUTH_REQUIRED_EVENT = "sputnik:auth-required";

export function authHeaders(): Record<string, string> {
  const key = getApiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** `fetch` with the key; a 401 also tells the app to ask for one. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = { ...authHeaders(), ...(init.body !== undefined && typeof init.body === "string" ? { "Content-Type": "application/json" } : {}), ...(init.headers as Record<string, string> | undefined) };
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) window.dispatchEvent(new Event(AUTH_REQUIRED_EVENT));
  return response;
}

export async function errorFromResponse(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  let code: string | null = null;
  let type: string | null = null;
  try {
    const body = (await response.json()) as { error?: { message?: string; code?: string | null; type?: string | null } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code ?? null;
    type = body.error?.type ?? null;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(message, response.status, code, type);
}

export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await apiFetch(path, init);
  if (!response.ok) throw await errorFromResponse(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export const conversationsApi = {
  list: (q = "", limit = 100) => apiJson<ConversationList>(`/api/conversations?${new URLSearchParams({ ...(q ? { q } : {}), limit: String(limit) })}`),
  create: (input: CreateConversation) => apiJson<Conversation>("/api/conversations", json("POST", input)),
  get: (id: string) => apiJson<ConversationWithMessages>(`/api/conversations/${encodeURIComponent(id)}`),
  update: (id: string, patch: UpdateConversation) => apiJson<Conversation>(`/api/conversations/${encodeURIComponent(id)}`, json("PATCH", patch)),
  remove: (id: string) => apiJson<void>(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" }),
  addMessage: (id: string, input: CreateMessage) => apiJson<Message>(`/api/conversations/${encodeURIComponent(id)}/messages`, json("POST", input)),
  /** Downloads the export through `fetch` (the key travels in a header, not in the URL). */
  async download(id: string, format: "markdown" | "json"): Promise<void> {
    const response = await apiFetch(`/api/conversations/${encodeURIComponent(id)}/export?format=${format}`);
    if (!response.ok) throw await errorFromResponse(response);
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = name ? decodeURIComponent(name) : `${id}.${format === "json" ? "json" : "md"}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

/** `GET /v1/models` entries with Sputnik's `meta`. */
export interface ModelInfo {
  id: string;
  meta: {
    status: "loading" | "ready" | "failed";
    architecture?: string;
    context_length?: number;
    slots?: number;
    file_bytes?: number;
    thinking?: boolean;
    error?: string;
  };
}

export const modelsApi = {
  list: async () => (await apiJson<{ data: ModelInfo[] }>("/v1/models")).data,
};

export interface Me {
  key_id: string | null;
  name: string;
  scopes: string[];
  local: boolean;
}

export const meApi = { get: () => apiJson<Me>("/api/me") };
