import type { ApiResult, Channel, ErrorValue, EventChannel, EventOf, RequestOf, ResponseOf } from '../../src-main/contract/api';

/**
 * The one client the UI talks to, derived from the contract's channel map.
 *
 * Components receive it through `ApiProvider` and never learn whether it runs
 * over Electron IPC or the local HTTP bridge: the transport is picked once at
 * start (`pickTransport`). Every request resolves to a result value; transport
 * failures become `{ ok: false }` too, so a component has one path for errors.
 */
export interface ApiClient {
  request<C extends Channel>(channel: C, input: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>>;
  /** Listen to an event from main; returns the function that stops listening. */
  subscribe<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export type { ApiResult, Channel, EventChannel, EventOf, RequestOf, ResponseOf };

/** Turns anything thrown by a transport into the contract's error value (code TRANSPORT, one of the contract's codes). */
export function transportError(cause: unknown): { ok: false; error: ErrorValue } {
  const message = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'The request failed.';
  return { ok: false, error: { code: 'TRANSPORT', message: message || 'The request failed.' } };
}

/**
 * True when a value looks like an `ApiResult` (checked before trusting a
 * reply). The value's own shape is main's promise (main checks every answer
 * against the contract before sending it); this guards the envelope.
 */
export function isApiResult<T>(value: unknown): value is ApiResult<T> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const v = value as { ok: unknown; error?: unknown };
  if (v.ok === true) return 'value' in value;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  return typeof (v.error as { message?: unknown }).message === 'string';
}
