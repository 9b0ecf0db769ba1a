import type { ProgressEvent } from '../../src-main/contract/check';

/**
 * Live progress of one job, folded from `job:progress` events: one row per
 * stage, in the order stages started.
 */
export interface StageProgress {
  readonly step: string;
  readonly status: ProgressEvent['status'];
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

/** "dns:MX" → "DNS MX"; "smtp:mx1.example.com/192.0.2.1:banner" → "SMTP mx1.example.com/192.0.2.1 banner". */
export function stepLabel(step: string): string {
  const [head, ...rest] = step.split(':');
  const area = (head ?? '').toUpperCase();
  return [area, ...rest].filter(Boolean).join(' ');
}
