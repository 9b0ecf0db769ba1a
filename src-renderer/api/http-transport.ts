import { events as eventSchemas, HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_TOKEN_HEADER } from '../../src-main/contract/api';
import type { ApiClient, ApiResult, Channel, EventChannel, EventOf, RequestOf, ResponseOf } from './client';
import { isApiResult, transportError } from './client';


/**
 * The browser-mode transport: `POST /api/<channel>`, and events over
 * Server-Sent Events (`GET /api/events`).
 *
 * Used when the renderer runs in a plain browser tab served by the local
 * bridge (`npm run web`, the end-to-end tests). The page is signed in by the
 * bridge's HttpOnly session cookie, which the browser sends by itself: the
 * page never holds the secret. `token` is for callers outside a signed-in
 * page (tests), sent as a header.
 */
export function createHttpClient(options: { readonly token?: string; readonly baseUrl?: string; readonly fetchImpl?: typeof fetch; readonly eventSourceImpl?: typeof EventSource }): ApiClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  let source: EventSource | undefined;

  const dispatch = (event: EventChannel, raw: unknown): void => {
    const parsed = eventSchemas[event].safeParse(raw);
    if (!parsed.success) return;
    for (const listener of listeners.get(event) ?? []) listener(parsed.data);
  };

  const ensureSource = (): void => {
    const Impl = options.eventSourceImpl ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    if (source || !Impl) return;
    source = new Impl(`${base}${HTTP_EVENTS_PATH}`);
    for (const name of Object.keys(eventSchemas) as EventChannel[]) {
      source.addEventListener(name, (message) => dispatch(name, safeJson((message as MessageEvent<string>).data)));
    }
  };

  const client: ApiClient = {
    async request<C extends Channel>(channel: C, input: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
      try {
        const response = await doFetch(`${base}${HTTP_API_PREFIX}${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(options.token ? { [HTTP_TOKEN_HEADER]: options.token } : {}) },
          credentials: 'same-origin',
          body: JSON.stringify(input),
        });
        const body: unknown = await response.json().catch(() => undefined);
        if (isApiResult<ResponseOf<C>>(body)) return body;
        return transportError(`The local service answered ${response.status} ${response.statusText}`.trim());
      } catch (cause) {
        return transportError(cause);
      }
    },
    subscribe<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void) {
      ensureSource();
      const set = listeners.get(event) ?? new Set();
      // Only payloads that passed this event's schema reach the set of this event (see dispatch).
      const untyped = (payload: unknown): void => listener(payload as EventOf<E>);
      set.add(untyped);
      listeners.set(event, set);
      return () => {
        set.delete(untyped);
      };
    },
  };
  return client;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
