import type { ProgressEvent } from '../../src-main/contract/check';

/**
 * Live progress of one job, folded from `job:progress` events: one row per
 * stage, in the order stages started.
 */
export interface StageProgress {
  readonly step: string;
  /** As main reported it, or `cancelled` for a stage that was running when the job was cancelled. */
  readonly status: ProgressEvent['status'] | 'cancelled';
  readonly detail: string | undefined;
  readonly startedAtMs: number;
  readonly endedAtMs: number | undefined;
}

export interface JobProgress {
  readonly jobId: string;
  readonly stages: readonly StageProgress[];
}

/** Hard cap: a chatty job cannot grow the UI's memory without bound. */
export const MAX_STAGES = 500;

export function emptyProgress(jobId: string): JobProgress {
  return { jobId, stages: [] };
}

export function reduceProgress(progress: JobProgress, event: ProgressEvent): JobProgress {
  if (event.jobId !== progress.jobId) return progress;
  const index = progress.stages.findIndex((s) => s.step === event.step);
  if (index === -1) {
    if (progress.stages.length >= MAX_STAGES) return progress;
    const stage: StageProgress = {
      step: event.step,
      status: event.status,
      detail: event.detail,
      startedAtMs: event.atMs,
      endedAtMs: event.status === 'started' ? undefined : event.atMs,
    };
    return { ...progress, stages: [...progress.stages, stage] };
  }
  const current = progress.stages[index]!;
  const updated: StageProgress = {
    ...current,
    status: event.status,
    detail: event.detail ?? current.detail,
    endedAtMs: event.status === 'started' ? undefined : event.atMs,
  };
  return { ...progress, stages: progress.stages.map((s, i) => (i === index ? updated : s)) };
}

/** The job was cancelled: every stage still running says so and stops its clock. */
export function cancelProgress(progress: JobProgress, atMs: number): JobProgress {
  return { ...progress, stages: progress.stages.map((s) => (s.status === 'started' ? { ...s, status: 'cancelled', endedAtMs: atMs } : s)) };
}

/** "dns:MX" → "DNS MX"; "smtp:mx1.example.com/192.0.2.1:banner" → "SMTP mx1.example.com (192.0.2.1) banner". */
export function stepLabel(step: string): string {
  const first = step.indexOf(':');
  if (first < 0) return step.toUpperCase();
  const area = step.slice(0, first).toUpperCase();
  const rest = step.slice(first + 1);
  if (area !== 'SMTP') return [area, ...rest.split(':')].filter(Boolean).join(' ');
  // smtp:<host>/<address>:<stage>; the address may be IPv6 (colons), so the stage is after the LAST colon.
  const last = rest.lastIndexOf(':');
  const target = last < 0 ? rest : rest.slice(0, last);
  const stage = last < 0 ? '' : rest.slice(last + 1);
  const slash = target.indexOf('/');
  const host = slash < 0 ? target : target.slice(0, slash);
  const address = slash < 0 ? '' : target.slice(slash + 1);
  // The host once when it is the address itself ("SMTP 127.0.0.1 banner", not "127.0.0.1/127.0.0.1").
  const where = !address || address === host ? host : `${host} (${address})`;
  return [area, where, stage].filter(Boolean).join(' ');
}
