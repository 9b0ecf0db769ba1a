import { isIP } from 'node:net';
import { TLS_FINDINGS } from '../tls/findings';
import { SmtpConnection } from './connection';
import { SMTP_FINDINGS as F } from './findings';
import { DONE, replyText, type StepResult } from './probe-recorder';
import { command, serviceUnavailable, type ProbeSession } from './probe-session';
import { DEFAULT_REPLY_LIMITS } from './reply-reader';
import { presentedChain, upgradeToTls } from './tls-upgrade';

/**
 * The TLS steps: STARTTLS and its 220, then the one TLS upgrade used both
 * after STARTTLS and right after connect (implicit TLS, port 465). The
 * handshake never fails for a certificate: the chain is kept for the
 * analysis after the conversation.
 */

export async function starttls(session: ProbeSession): Promise<StepResult> {
  const { recorder, facts } = session;
  const stage = recorder.begin('starttls');
  const reply = await command(session, 'STARTTLS', stage, 'starttls');
  if (reply === DONE) return DONE;
  if (reply.code === 421) return serviceUnavailable(session, stage, reply, 'STARTTLS');
  if (reply.code !== 220) {
    stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
    facts.tlsFailure = 'rejected';
    return recorder.stop(F.STARTTLS_REJECTED, `The server answered STARTTLS with ${reply.code}.`, [replyText(reply)], reply);
  }
  stage.end('ok', `220 ${reply.lines[0] ?? ''}`);
  if ((await startTls(session)) === DONE) return DONE;
  recorder.fail(F.STARTTLS_OK, `STARTTLS works: ${facts.tlsInfo?.version ?? ''} ${facts.tlsInfo?.cipher ?? ''}.`.replace(/ +\./, '.'));
  return undefined;
}

/** The TLS handshake on the socket in use; the SMTP conversation then moves onto the TLS socket. */
export async function startTls(session: ProbeSession): Promise<StepResult> {
  const { recorder, options, facts, link } = session;
  const stage = recorder.begin('tls');
  const plain = link.connection?.socket ?? link.rawSocket;
  if (!plain) return DONE;
  // RFC 3207: nothing may follow the 220 to STARTTLS in plain text; what did is dropped, never read as TLS-protected.
  if ((link.connection?.release() ?? 0) > 0) recorder.transcript.event('the server sent data after its reply to STARTTLS; it was discarded');
  const servername = isIP(options.host) ? undefined : options.host.replace(/\.$/, '');
  const result = await upgradeToTls(plain, {
    factory: session.factory,
    validator: session.pathValidator,
    servername,
    timeoutMs: session.remaining(session.timeouts.tlsMs),
    signal: options.signal,
    onSocket: (socket) => {
      session.track(socket);
      link.rawSocket = socket;
    },
  });
  if (!result.ok) {
    session.dropRawSocket();
    plain.destroy();
    recorder.transcript.event(`TLS handshake ${result.timeout ? 'timed out' : `failed: ${result.message}`}`);
    stage.end('failed', result.message);
    if (facts.reached !== 'ok' && session.mode === 'implicit-tls') facts.reached = result.code === 'ECONNRESET' ? 'reset' : 'closed';
    facts.tlsFailure = result.timeout ? 'handshake-timeout' : 'handshake-failed';
    if (result.code === 'ABORTED') return recorder.stop(F.SMTP_PROBE_CANCELLED, 'The probe was cancelled during the TLS handshake.');
    return result.timeout
      ? recorder.stop(TLS_FINDINGS.TLS_HANDSHAKE_TIMEOUT, `The TLS handshake did not finish within ${(session.timeouts.tlsMs / 1000).toFixed(1)} s.`)
      : recorder.stop(TLS_FINDINGS.TLS_HANDSHAKE_FAILED, `The TLS handshake failed: ${result.message}.`, [result.code]);
  }
  const socket = result.socket;
  const version = socket.getProtocol() ?? 'unknown';
  const cipher = socket.getCipher();
  const tlsInfo = { version, cipher: cipher.standardName ?? cipher.name };
  facts.tlsInfo = tlsInfo;
  recorder.transcript.event(`TLS established: ${version} ${tlsInfo.cipher}`);
  stage.end('ok', `${version} ${tlsInfo.cipher}`);
  if (link.connection) link.connection.switchTo(socket);
  else link.connection = new SmtpConnection(socket, recorder.transcript, { ...DEFAULT_REPLY_LIMITS, ...options.limits });
  if (/^TLSv1(\.[01])?$/.test(version)) {
    recorder.fail(TLS_FINDINGS.TLS_VERSION_OLD, `The server negotiated ${version}; TLS 1.2 or later is required by Exchange Online.`, [version]);
  } else if (session.mode === 'implicit-tls') {
    recorder.fail(TLS_FINDINGS.TLS_OK, `TLS from the first byte works: ${version} ${tlsInfo.cipher}.`);
  }
  facts.presented = presentedChain(socket, session.trustStore());
  facts.handshakeError = result.handshakeError;
  return undefined;
}
