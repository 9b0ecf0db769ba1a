import type { ProbeReport } from '../../contract/probe';
import { InputError } from '../../contract/errors';
import { SMTP_FINDINGS as F } from './findings';
import type { ProbeOptions } from './options';
import { connect, ehlo, readBanner } from './probe-greeting';
import { tryPlainText, tryRecipient } from './probe-mail';
import { DONE, type StepResult } from './probe-recorder';
import { analyseCertificates, assembleReport, emptyAnalysis } from './probe-report';
import { ProbeSession, quit } from './probe-session';
import { starttls, startTls } from './probe-tls';

/**
 * The SMTP probe of one address: connect, banner, EHLO, STARTTLS, TLS, EHLO
 * again, optional MAIL/RCPT, QUIT. Never rejects for network or protocol
 * problems: each becomes a failed stage and a specific finding. Every wait has
 * a deadline (per stage, capped by the whole probe's).
 *
 * The conversation is a small state machine: a plan of steps (functions of
 * the ProbeSession in probe-session.ts) run in order, each ending with "go on"
 * or DONE. The steps live in probe-greeting.ts, probe-tls.ts and probe-mail.ts;
 * the certificate analysis and the report in probe-report.ts.
 */
export async function probeSmtp(options: ProbeOptions): Promise<ProbeReport> {
  checkCommandArguments(options);
  // The conversation holds a slot of the session's limiter; the certificate
  // analysis (CPU, and the TLSA lookup that may still be queued) runs after it.
  const limit = options.limit ?? (<T>(work: () => Promise<T>): Promise<T> => work());
  const session = await limit(async () => {
    const conversation = new ProbeSession(options);
    try {
      await execute(conversation);
    } catch (error) {
      // Only a bug lands here (steps return DONE, never throw): it becomes a finding, not a crash.
      conversation.recorder.unexpected(error);
    } finally {
      await conversation.cleanup();
    }
    return conversation;
  });
  const analysis = emptyAnalysis();
  try {
    await analyseCertificates(session, analysis);
  } catch (error) {
    session.recorder.unexpected(error);
  }
  return assembleReport(session, analysis);
}

/** Text we put on the wire must be one printable line: no command injection through CR/LF. */
function checkCommandArguments(options: ProbeOptions): void {
  for (const [name, value] of [['heloName', options.heloName], ['rcpt', options.rcpt], ['mailFrom', options.mailFrom]] as const) {
    if (value !== undefined && !/^[\x21-\x7e]*$/.test(value)) throw new InputError(`${name} must be printable ASCII without spaces or line breaks`);
  }
}

type Step = (session: ProbeSession) => Promise<StepResult>;

/** Runs the plan in order until a step says DONE. */
async function execute(session: ProbeSession): Promise<void> {
  for (const step of plan(session)) {
    if ((await step(session)) === DONE) return;
  }
}

/**
 * The steps for this probe's mode and options. What the server offered
 * (STARTTLS) is decided inside the steps that depend on it.
 */
function plan(session: ProbeSession): Step[] {
  const rcpt = session.options.rcpt;
  return [
    connect,
    ...(session.mode === 'implicit-tls' ? [startTls] : []),
    readBanner,
    (s) => ehlo(s, 'ehlo'),
    ...(session.mode === 'starttls' ? [negotiateTls] : []),
    ...(rcpt ? [(s: ProbeSession) => tryRecipient(s, rcpt)] : []),
    (s) => {
      quit(s);
      return Promise.resolve(DONE);
    },
  ];
}

/** STARTTLS mode: the plain-text check when asked, then STARTTLS and EHLO again, or the finding that it is not offered. */
async function negotiateTls(session: ProbeSession): Promise<StepResult> {
  const { options, facts, recorder } = session;
  if (options.mandatoryTls) {
    if ((await tryPlainText(session)) === DONE) return DONE;
    if (options.plaintextOnly) {
      quit(session);
      return DONE;
    }
  }
  if (!facts.starttlsOffered) {
    facts.tlsFailure = 'not-offered';
    recorder.fail(F.STARTTLS_NOT_OFFERED, 'The server does not offer STARTTLS.', facts.capabilities?.raw ?? []);
    return undefined;
  }
  if ((await starttls(session)) === DONE) return DONE;
  return ehlo(session, 'ehlo-tls');
}
