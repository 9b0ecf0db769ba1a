import type { Finding } from '../../contract/findings';
import type { ProbeFailure, ProbeStage, ProbeStageName } from '../../contract/probe';
import { finding, type FindingSpec } from '../findings';
import { SMTP_FINDINGS as F } from './findings';
import type { ProbeProgress } from './options';
import type { SmtpReply } from './reply-reader';
import { Transcript, escapeBytes } from './transcript';

/**
 * What a step of the conversation returns: DONE when the conversation is over
 * (a stage failed, or the plan ends early), undefined to go on. Stopping is a
 * value, never an exception.
 */
export const DONE = Symbol('conversation over');
export type Done = typeof DONE;
export type StepResult = Done | undefined;

/** A stage begun and not yet ended: ending it records its status, timing and detail. */
export interface StageHandle {
  end(status: ProbeStage['status'], detail?: string): void;
}

/**
 * Everything the probe writes down as it goes: the transcript, the stages
 * with their timings, the findings in the order they were raised, and the
 * first stop (the failure the predictions read). The steps only append; the
 * report reads it once at the end.
 */
export class StageRecorder {
  /** The probe's time origin: stage offsets, transcript times and the total deadline count from here. */
  readonly t0 = performance.now();
  readonly transcript = new Transcript(() => performance.now() - this.t0);
  private readonly recordedStages: ProbeStage[] = [];
  private readonly recordedFindings: Finding[] = [];
  /** The stage begun last: the one a stop happens in. */
  private lastStage: ProbeStageName = 'connect';
  private firstStop: ProbeFailure | undefined;

  constructor(
    private readonly subject: string,
    /** The progress step name of a stage, e.g. smtp:host/address:ehlo. */
    private readonly stepName: (stage: ProbeStageName) => string,
    private readonly onProgress: ((event: ProbeProgress) => void) | undefined,
  ) {}

  get stages(): readonly ProbeStage[] {
    return this.recordedStages;
  }

  get findings(): readonly Finding[] {
    return this.recordedFindings;
  }

  get failure(): ProbeFailure | undefined {
    return this.firstStop;
  }

  begin(name: ProbeStageName): StageHandle {
    this.lastStage = name;
    const start = performance.now();
    const step = this.stepName(name);
    this.onProgress?.({ step, status: 'started' });
    return {
      end: (status, detail) => {
        this.recordedStages.push({ name, status, startMs: Math.round(start - this.t0), durationMs: Math.round(performance.now() - start), ...(detail ? { detail: escapeBytes(Buffer.from(detail, 'utf8'), 300) } : {}) });
        this.onProgress?.({ step, status: status === 'failed' ? 'failed' : 'done', ...(detail ? { detail } : {}) });
      },
    };
  }

  /** Findings made elsewhere (certificate verdicts, DANE), kept in the order raised. */
  add(findings: readonly Finding[]): void {
    this.recordedFindings.push(...findings);
  }

  fail(spec: FindingSpec, message: string, evidence: readonly string[] = [], overrides: { severity?: Finding['severity'] } = {}): void {
    this.recordedFindings.push(finding(spec, this.subject, message, evidence.map((e) => escapeBytes(Buffer.from(e, 'utf8'), 500)), overrides));
  }

  /** Ends the conversation at the current stage: its finding, and the failure the predictions read. */
  stop(spec: FindingSpec, message: string, evidence: readonly string[] = [], reply?: SmtpReply): Done {
    this.fail(spec, message, evidence);
    this.firstStop ??= {
      stage: this.lastStage,
      kind: reply ? 'reply' : FAILURE_KINDS[spec.code] ?? 'error',
      ...(reply ? { reply: { code: reply.code, text: escapeBytes(Buffer.from(reply.lines.join(' '), 'utf8'), 500) } } : {}),
      detail: message,
    };
    return DONE;
  }

  /** A bug must not take the whole check down: report it as a finding. */
  unexpected(error: unknown): void {
    this.fail(F.SMTP_PROTOCOL_ERROR, `The probe stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How each stopping finding reads as a failure kind (a stop with a reply is kind 'reply'). */
const FAILURE_KINDS: Readonly<Record<string, ProbeFailure['kind']>> = {
  SMTP_CONNECT_REFUSED: 'refused', SMTP_CONNECT_TIMEOUT: 'timeout', SMTP_HOST_UNREACHABLE: 'unreachable', SMTP_CONNECTION_RESET: 'reset',
  SMTP_CONNECTION_CLOSED: 'closed', SMTP_BANNER_TIMEOUT: 'timeout', SMTP_PROBE_TIMEOUT: 'timeout', SMTP_PROTOCOL_ERROR: 'protocol',
  SMTP_REPLY_TOO_LONG: 'too-long', SMTP_REPLY_TOO_MANY_LINES: 'too-long', SMTP_PROBE_CANCELLED: 'cancelled',
  TLS_HANDSHAKE_FAILED: 'tls', TLS_HANDSHAKE_TIMEOUT: 'timeout',
};

/** A reply as the server sent it (code, dash on continuation lines), for evidence. */
export function replyText(reply: SmtpReply): string {
  return reply.lines.map((line, i) => `${reply.code}${i < reply.lines.length - 1 ? '-' : ' '}${line}`).join('\n');
}
