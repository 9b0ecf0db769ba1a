import type { ApiClient, ApiResult, Channel, EventChannel, EventOf, RequestOf, ResponseOf } from '../../../src-renderer/api/client';

type Handler<C extends Channel> = (input: RequestOf<C>) => ApiResult<ResponseOf<C>> | Promise<ApiResult<ResponseOf<C>>>;
export type Handlers = { [C in Channel]?: Handler<C> };

/**
 * An in-memory ApiClient for component tests: the UI talks to it exactly as to
 * the real transports; each test says what main answers. Records every call.
 */
export function fakeClient(handlers: Handlers) {
  const calls: { channel: Channel; input: unknown }[] = [];
  const listeners = new Map<EventChannel, Set<(p: unknown) => void>>();
  const client: ApiClient = {
    async request(channel, input) {
      calls.push({ channel, input });
      const handler = handlers[channel] as Handler<typeof channel> | undefined;
      if (!handler) return { ok: false, error: { code: 'UNAVAILABLE', message: `${channel} is not set up in this test.` } } as never;
      return (await handler(input as never)) as never;
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
  const emit = <E extends EventChannel>(event: E, payload: EventOf<E>) => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return { client, calls, emit };
}

export const ok = <T,>(value: T) => ({ ok: true as const, value });
