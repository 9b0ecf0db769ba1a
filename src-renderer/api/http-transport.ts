import { BROWSER_TOKEN_STORAGE_KEY, events as eventSchemas, HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_TOKEN_HEADER, HTTP_TOKEN_QUERY } from '../../src-main/contract/api';
import type { ApiClient, ApiResult, Channel, EventChannel, EventOf, RequestOf, ResponseOf } from './client';
import { isApiResult, transportError } from './client';


/**
 * The browser-mode transport: `POST /api/<channel>` with the launch token in a
 * header, and events over Server-Sent Events (`GET /api/events?token=`).
 *
 * Used when the renderer runs in a plain browser tab served by the local
 * bridge (`npm run web`, the end-to-end tests).
 */
export function createHttpClient(options: { readonly token: string; readonly baseUrl?: string; readonly fetchImpl?: typeof fetch; readonly eventSourceImpl?: typeof EventSource }): ApiClient {
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
    source = new Impl(`${base}${HTTP_EVENTS_PATH}?${HTTP_TOKEN_QUERY}=${encodeURIComponent(options.token)}`);
    for (const name of Object.keys(eventSchemas) as EventChannel[]) {
      source.addEventListener(name, (message) => dispatch(name, safeJson((message as MessageEvent<string>).data)));
    }
  };

  const client: ApiClient = {
    async request<C extends Channel>(channel: C, input: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
      try {
        const response = await doFetch(`${base}${HTTP_API_PREFIX}${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [HTTP_TOKEN_HEADER]: options.token },
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

/**
 * The launch token: read from `?token=` once at start, kept in sessionStorage
 * (so a reload keeps working) and removed from the address bar, so it is not
 * bookmarked or shared.
 */
export function takeLaunchToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'>): string | undefined {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get(HTTP_TOKEN_QUERY);
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(BROWSER_TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage refused (private mode): the token still works for this page.
    }
    url.searchParams.delete(HTTP_TOKEN_QUERY);
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(BROWSER_TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
