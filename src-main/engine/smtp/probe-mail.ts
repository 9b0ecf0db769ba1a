import { SMTP_FINDINGS as F } from './findings';
import { DONE, replyText, type StepResult } from './probe-recorder';
import { command, serviceUnavailable, type ProbeSession } from './probe-session';
import type { SmtpReply } from './reply-reader';
import { escapeBytes } from './transcript';

/**
 * The envelope steps: the plain-text check (does the server take mail before
 * STARTTLS?), the recipient test, and the RSET after each. No message is
 * ever sent: the conversation stops before DATA.
 */

/** MAIL FROM and RCPT TO before STARTTLS: the server's answer says whether TLS is required. */
export async function tryPlainText(session: ProbeSession): Promise<StepResult> {
  const { recorder, options, facts } = session;
  const mailStage = recorder.begin('mail');
  const from = options.mailFrom ?? '';
  const mail = await command(session, `MAIL FROM:<${from}>`, mailStage, 'mail');
  if (mail === DONE) return DONE;
  if (mail.code === 421) return serviceUnavailable(session, mailStage, mail, 'MAIL FROM');
  if (isTlsRequiredReply(mail)) {
    mailStage.end('ok', `${mail.code} ${mail.lines[0] ?? ''}`);
    recorder.fail(F.TLS_REQUIRED, `The server refuses MAIL FROM before STARTTLS (${mail.code}).`, [replyText(mail)]);
    facts.requiredTls = { outcome: 'required', detail: escapeBytes(Buffer.from(replyText(mail), 'utf8'), 300) };
    return undefined;
  }
  if (mail.code !== 250) {
    mailStage.end('failed', `${mail.code} ${mail.lines[0] ?? ''}`);
    recorder.fail(F.SMTP_SENDER_REJECTED, `The server refused MAIL FROM over plain text with ${mail.code}.`, [replyText(mail)]);
    facts.requiredTls = { outcome: 'unknown', detail: escapeBytes(Buffer.from(replyText(mail), 'utf8'), 300) };
    return rset(session);
  }
  mailStage.end('ok', `250 ${mail.lines[0] ?? ''}`);
  const rcptStage = recorder.begin('rcpt');
  const to = options.rcpt ?? `postmaster@${options.host.replace(/\.$/, '')}`;
  const rcpt = await command(session, `RCPT TO:<${to}>`, rcptStage, 'rcpt');
  if (rcpt === DONE) return DONE;
  if (rcpt.code === 421) return serviceUnavailable(session, rcptStage, rcpt, 'RCPT TO');
  rcptStage.end(rcpt.code === 250 || rcpt.code === 251 ? 'ok' : 'failed', `${rcpt.code} ${rcpt.lines[0] ?? ''}`);
  facts.requiredTls = { outcome: isTlsRequiredReply(rcpt) ? 'required' : 'not-required', detail: escapeBytes(Buffer.from(`${replyText(mail)}\n${replyText(rcpt)}`, 'utf8'), 300) };
  if (isTlsRequiredReply(rcpt)) recorder.fail(F.TLS_REQUIRED, `The server refuses RCPT TO before STARTTLS (${rcpt.code}).`, [replyText(rcpt)]);
  else if (rcpt.code === 250 || rcpt.code === 251) recorder.fail(F.PLAINTEXT_ACCEPTED, 'The server accepted MAIL FROM and RCPT TO over plain text.', [replyText(mail), replyText(rcpt)]);
  else recorder.fail(F.PLAINTEXT_ACCEPTED, `The server accepted MAIL FROM over plain text (RCPT TO got ${rcpt.code}).`, [replyText(mail), replyText(rcpt)]);
  return rset(session);
}

/** Whether the server takes mail for `rcpt` (and what it said), over TLS when TLS came up. */
export async function tryRecipient(session: ProbeSession, rcpt: string): Promise<StepResult> {
  const { recorder, options, facts } = session;
  const mailStage = recorder.begin('mail');
  const mail = await command(session, `MAIL FROM:<${options.mailFrom ?? ''}>`, mailStage, 'mail');
  if (mail === DONE) return DONE;
  if (mail.code === 421) return serviceUnavailable(session, mailStage, mail, 'MAIL FROM');
  if (mail.code !== 250) {
    mailStage.end('failed', `${mail.code} ${mail.lines[0] ?? ''}`);
    recorder.fail(isTlsRequiredReply(mail) ? F.TLS_REQUIRED : F.SMTP_SENDER_REJECTED, `MAIL FROM was refused with ${mail.code}; the recipient was not tested.`, [replyText(mail)]);
    return rset(session);
  }
  mailStage.end('ok', `250 ${mail.lines[0] ?? ''}`);
  const stage = recorder.begin('rcpt');
  const reply = await command(session, `RCPT TO:<${rcpt}>`, stage, 'rcpt');
  if (reply === DONE) return DONE;
  facts.rcptReply = { code: reply.code, text: reply.lines.join(' ') };
  if (reply.code === 250 || reply.code === 251) {
    stage.end('ok', `${reply.code} ${reply.lines[0] ?? ''}`);
    recorder.fail(F.SMTP_RECIPIENT_ACCEPTED, `The server accepts ${rcpt}.`, [replyText(reply)]);
  } else {
    stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
    const dbeb = /5\.4\.1/.test(reply.lines.join(' ')) && /access denied/i.test(reply.lines.join(' '));
    recorder.fail(F.SMTP_RECIPIENT_REJECTED, `The server refuses ${rcpt} with ${reply.code}${dbeb ? ' (Office 365 Directory-Based Edge Blocking: the address is not in the directory)' : ''}.`, [replyText(reply)], reply.code < 500 ? { severity: 'warn' } : {});
  }
  if (reply.code === 421) return recorder.stop(F.SMTP_SERVICE_UNAVAILABLE, 'The server closed the session at RCPT TO (421).', [replyText(reply)], reply);
  return rset(session);
}

/** Forgets the envelope so the session can go on (STARTTLS, QUIT) as if no MAIL had been sent. */
async function rset(session: ProbeSession): Promise<StepResult> {
  const stage = session.recorder.begin('rset');
  const reply = await command(session, 'RSET', stage, 'rset');
  if (reply === DONE) return DONE;
  stage.end(reply.code === 250 ? 'ok' : 'failed', `${reply.code}`);
  return undefined;
}

/** 530 "Must issue a STARTTLS command first" (5.7.0) and relatives. */
function isTlsRequiredReply(reply: SmtpReply): boolean {
  const text = reply.lines.join(' ');
  return reply.code === 530 || (reply.code >= 500 && /starttls|5\.7\.0.*tls|tls.*required|encryption required/i.test(text)) || /451 5\.7\.3/.test(`${reply.code} ${text}`);
}
