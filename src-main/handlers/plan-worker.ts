import { parentPort } from 'node:worker_threads';
import { InputError } from '../contract/errors';
import { buildPlan, importConnectors } from '../planner/index';
import type { PlanWorkerReply, PlanWorkerRequest } from './plan-runner';

/**
 * The worker thread that builds plans, so reading large connector exports and
 * planning never holds up the Electron main process or the bridge. It runs
 * the same pure planner the CLI calls in-process.
 */
parentPort?.on('message', (request: PlanWorkerRequest & { readonly id: number }) => {
  let reply: PlanWorkerReply;
  try {
    const connectors = request.existing.flatMap((file) => importConnectors(file.fileName, file.text));
    reply = { ok: true, plan: buildPlan(request.profile, connectors, request.observations, { existingImported: request.existing.length > 0 }) };
  } catch (error) {
    reply = error instanceof InputError
      ? { ok: false, input: true, message: error.message, ...(error.where ? { where: error.where } : {}) }
      : { ok: false, input: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage({ ...reply, id: request.id });
});
