import type { EventEmitter } from 'node:events';
import { classifySocketError, type NetworkFailure } from './socket-factory';

/** How a wait for one socket event ended. */
export type SocketEventOutcome =
  | { readonly kind: 'event' }
  | { readonly kind: 'error'; readonly failure: NetworkFailure; readonly code: string; readonly message: string }
  | { readonly kind: 'closed' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

/**
 * Waits for one event of a socket ('connect', 'secureConnect') with a
 * deadline. An error, the socket closing (when `closeEnds`), the deadline or
 * cancellation end the wait instead; whichever comes first, every listener
 * and the timer are removed. The probe's one promise-with-timeout for sockets.
 */
export function awaitSocketEvent(
  socket: EventEmitter,
  event: string,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined; readonly closeEnds?: boolean },
): Promise<SocketEventOutcome> {
  return new Promise((resolve) => {
    const { signal } = options;
    const done = (outcome: SocketEventOutcome): void => {
      clearTimeout(timer);
      socket.off(event, onEvent);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onEvent = (): void => done({ kind: 'event' });
    const onError = (error: unknown): void => done({ kind: 'error', ...classifySocketError(error) });
    const onClose = (): void => done({ kind: 'closed' });
    const onAbort = (): void => done({ kind: 'aborted' });
    const timer = setTimeout(() => done({ kind: 'timeout' }), Math.max(0, options.timeoutMs));
    socket.once(event, onEvent);
    socket.once('error', onError);
    if (options.closeEnds) socket.once('close', onClose);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
