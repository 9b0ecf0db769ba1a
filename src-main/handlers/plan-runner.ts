import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ImportFile } from '../contract/api';
import { InputError } from '../contract/errors';
import type { Plan, Profile, TlsObservation } from '../contract/planner';
import { HandlerError } from './errors';

/**
 * Builds a plan on a worker thread with a deadline (security issue item 2):
 * a hostile or huge import keeps one worker busy, never the Electron main
 * process or the bridge, and is stopped when the deadline passes.
 *
 * One worker per request: plans are occasional, starting a worker takes tens
 * of milliseconds, and a worker that was stopped half-way leaves nothing
 * behind. The planner itself stays pure and is called in-process by the CLI
 * and the tests.
 */
export interface PlanWorkerRequest {
  readonly profile: Profile;
  readonly existing: readonly ImportFile[];
  readonly observations: readonly TlsObservation[];
}

export type PlanWorkerReply =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly input: boolean; readonly message: string; readonly where?: string };

/** Long enough for the largest import the caps allow on a slow machine; short enough that a stuck plan is noticed. */
export const PLAN_DEADLINE_MS = 30_000;

/**
 * The worker: the built `plan-worker.js` next to the bundled main, or, when
 * running from the TypeScript sources (the `mailflow-doctor web` bridge, the
 * tests), a small loader that registers tsx first, as bin/mailflow-doctor.js does.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!/\.ts$/.test(new URL(here).pathname)) return new Worker(new URL('./plan-worker.js', here));
  // tsx's ESM entry (`require.resolve` would give its CommonJS one, which cannot register ESM hooks here).
  const tsxPackage = createRequire(here).resolve('tsx/package.json');
  const exportsMap = (JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsx = new URL(exportsMap['./esm/api']!.import.default, pathToFileURL(tsxPackage)).href;
  const entry = new URL('./plan-worker.ts', here).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

interface Pending {
  readonly resolve: (plan: Plan) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * One worker, started on first use and kept (starting one from the
 * TypeScript sources takes over a second); requests carry an id. When a
 * request passes its deadline the worker is stopped, every request on it
 * fails, and the next request starts a fresh one.
 */
let current: { readonly worker: Worker; readonly pending: Map<number, Pending> } | undefined;
let nextId = 1;

function ensureWorker(): NonNullable<typeof current> {
  if (current) return current;
  const worker = startWorker();
  worker.unref(); // an idle planner never keeps the CLI or the bridge alive
  const pending = new Map<number, Pending>();
  const state = { worker, pending };
  const failAll = (error: unknown) => {
    if (current === state) current = undefined;
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(error);
    }
  };
  worker.on('message', (reply: PlanWorkerReply & { readonly id: number }) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.plan);
    else if (reply.input) p.reject(new InputError(reply.message, reply.where));
    else p.reject(new Error(reply.message));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the planning worker stopped (exit code ${code})`)));
  current = state;
  return state;
}

export function buildPlanInWorker(request: PlanWorkerRequest, deadlineMs: number = PLAN_DEADLINE_MS): Promise<Plan> {
  const state = ensureWorker();
  const id = nextId++;
  return new Promise<Plan>((resolve, reject) => {
    const timer = setTimeout(() => {
      state.pending.delete(id);
      reject(new HandlerError({
        code: 'TOO_LARGE',
        message: `Planning took longer than ${Math.round(deadlineMs / 1000)} s and was stopped. Import fewer or smaller connector exports.`,
      }));
      // The worker may be stuck in this request: stop it; the others on it fail and the next request starts a new one.
      if (current === state) current = undefined;
      void state.worker.terminate();
    }, deadlineMs);
    state.pending.set(id, { resolve, reject, timer });
    state.worker.postMessage({ ...request, id });
  });
}
