import { setMaxListeners } from 'node:events';
import { LIMITS } from '../contract/api';
import { HandlerError } from './errors';

const cancelledError = (): HandlerError => new HandlerError({ code: 'CANCELLED', message: 'Cancelled.' });

/**
 * Running jobs by id, each with its AbortController, so `job:cancel` can stop
 * a check or probe. Bounded: a renderer cannot start unlimited network work.
 *
 * Why a cancelled job keeps its slot until its work settles: the caller hears
 * CANCELLED at once, but the engine may need a moment to close its sockets.
 * Freeing the slot at the answer would let a start-cancel loop pile up
 * unbounded background work behind the limit.
 */
export class JobRegistry {
  readonly #running = new Map<string, AbortController>();

  constructor(private readonly limit: number = LIMITS.concurrentJobs) {}

  /**
   * Runs `work` as job `jobId`. Rejects with CANCELLED as soon as the job is
   * cancelled (or settles with the work's own result); the job is forgotten
   * only when the work itself has settled.
   */
  run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#running.has(jobId)) return Promise.reject(new HandlerError({ code: 'INPUT', message: `A job with id "${jobId}" is already running.`, where: 'jobId' }));
    if (this.#running.size >= this.limit) return Promise.reject(new HandlerError({ code: 'BUSY', message: `${this.limit} checks are already running; wait for one to finish or cancel one.` }));
    const controller = new AbortController();
    const { signal } = controller;
    // One check runs dozens of lookups and probes on this one signal, each listening for abort.
    setMaxListeners(500, signal);
    this.#running.set(jobId, controller);
    let settled: Promise<T>;
    try {
      settled = work(signal);
    } catch (error) {
      settled = Promise.reject(error);
    }
    const forget = (): void => {
      if (this.#running.get(jobId) === controller) this.#running.delete(jobId);
    };
    void settled.then(forget, forget);
    const cancelled = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(cancelledError());
      else signal.addEventListener('abort', () => reject(cancelledError()), { once: true });
    });
    cancelled.catch(() => undefined);
    return Promise.race([settled, cancelled]).then(
      (value) => {
        if (signal.aborted) throw cancelledError();
        return value;
      },
      (error: unknown) => {
        throw signal.aborted ? cancelledError() : error;
      },
    );
  }

  cancel(jobId: string): boolean {
    const controller = this.#running.get(jobId);
    if (!controller || controller.signal.aborted) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort();
  }

  /** Jobs whose work has not settled yet (cancelled ones included). */
  get size(): number {
    return this.#running.size;
  }
}
