import { setMaxListeners } from 'node:events';
import { LIMITS } from '../contract/api';
import { HandlerError } from './errors';

/**
 * Running jobs by id, each with its AbortController, so `job:cancel` can stop
 * a check or probe. Bounded: a renderer cannot start unlimited network work.
 */
export class JobRegistry {
  readonly #running = new Map<string, AbortController>();

  constructor(private readonly limit: number = LIMITS.concurrentJobs) {}

  /** Runs `work` as job `jobId`; the job is forgotten when it settles. */
  async run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.#running.has(jobId)) throw new HandlerError({ code: 'INPUT', message: `A job with id "${jobId}" is already running.`, where: 'jobId' });
    if (this.#running.size >= this.limit) throw new HandlerError({ code: 'BUSY', message: `${this.limit} checks are already running; wait for one to finish or cancel one.` });
    const controller = new AbortController();
    // One check runs dozens of lookups and probes on this one signal, each listening for abort.
    setMaxListeners(500, controller.signal);
    this.#running.set(jobId, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.#running.delete(jobId);
    }
  }

  cancel(jobId: string): boolean {
    const controller = this.#running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort();
  }

  get size(): number {
    return this.#running.size;
  }
}
