import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import type { Finding } from '../../contract/findings';
import type { DnssecStatus } from '../../contract/dns';
import { InputError } from '../../contract/errors';
import type { Capabilities, CertificateInfo, CertificateVerdict, DaneResult, ProbeFailure, ProbeReport, ProbeStage, ProbeStageName } from '../../contract/probe';
import { systemClock } from '../clock';
import { finding, type FindingSpec } from '../findings';
import { predictInbound, predictOutbound, type ConnectorFacts } from '../connectors/predict';
import { raiseWhenValidationImpossible } from '../connectors/delivery';
import { assessCertificates } from '../tls/verdict';
import { assessDane } from '../tls/dane';
import { describeCertificate } from '../tls/certificate-info';
import { certificateAllNames } from '../tls/hostname';
import { createTrustStore, parsePemBundle, type TrustStore } from '../tls/trust-store';
import { oneLineName } from '../tls/certificate-info';
import { openSslPathValidator, type PathValidator } from '../tls/path-validator';
import { TLS_FINDINGS } from '../tls/findings';
import { bannerHostOf, parseEhlo } from './capabilities';
import { SmtpConnection, type ReadOutcome } from './connection';
import { SMTP_FINDINGS as F } from './findings';
import { DEFAULT_TIMEOUTS, defaultHeloName, type ProbeOptions, type ProbeTimeouts } from './options';
import { DEFAULT_REPLY_LIMITS } from './reply-reader';
import type { SmtpReply } from './reply-reader';
import { classifySocketError, nodeSocketFactory, type NetworkFailure, type SocketFactory } from './socket-factory';
import { awaitSocketEvent } from './socket-events';
import { presentedChain, upgradeToTls } from './tls-upgrade';
import { Transcript, escapeBytes } from './transcript';

/**
 * The SMTP probe of one address: connect, banner, EHLO, STARTTLS, TLS, EHLO
 * again, optional MAIL/RCPT, QUIT. Never rejects for network or protocol
 * problems: each becomes a failed stage and a specific finding. Every wait has
 * a deadline (per stage, capped by the whole probe's).
 */
export async function probeSmtp(options: ProbeOptions): Promise<ProbeReport> {
  checkCommandArguments(options);
  // The conversation holds a slot of the session's limiter; the certificate
  // analysis (CPU, and the TLSA lookup that may still be queued) runs after it.
  const limit = options.limit ?? (<T>(work: () => Promise<T>): Promise<T> => work());
  const run = await limit(async () => {
    const conversation = new ProbeRun(options);
    try {
      await conversation.execute();
    } catch (error) {
      conversation.unexpected(error);
    } finally {
      await conversation.cleanup();
    }
    return conversation;
  });
  try {
    await run.analyseCertificates();
  } catch (error) {
    run.unexpected(error);
  }
  return run.report();
}

/**
 * What a step of the conversation returns: DONE when the conversation is over
 * (a stage failed, or the plan ends early), undefined to go on. Stopping is a
 * value, never an exception.
 */
const DONE = Symbol('conversation over');
type Done = typeof DONE;
type StepResult = Done | undefined;
type Step = () => Promise<StepResult>;

/** Text we put on the wire must be one printable line: no command injection through CR/LF. */
function checkCommandArguments(options: ProbeOptions): void {
  for (const [name, value] of [['heloName', options.heloName], ['rcpt', options.rcpt], ['mailFrom', options.mailFrom]] as const) {
    if (value !== undefined && !/^[\x21-\x7e]*$/.test(value)) throw new InputError(`${name} must be printable ASCII without spaces or line breaks`);
  }
}

class ProbeRun {
  private readonly t0 = performance.now();
  private readonly timeouts: ProbeTimeouts;
  private readonly factory: SocketFactory;
  private readonly transcript = new Transcript(() => performance.now() - this.t0);
  private readonly stages: ProbeStage[] = [];
  private readonly findings: Finding[] = [];
  private readonly subject: string;
  private readonly mode: 'starttls' | 'implicit-tls';
  private connection: SmtpConnection | null = null;
  private rawSocket: net.Socket | null = null;
  /** Every socket this probe opened: the probe (and its limiter slot) ends when all are closed. */
  private readonly sockets: net.Socket[] = [];
  private readonly closed: Promise<void>[] = [];
  private reached: ConnectorFacts['reached'] = 'error';
  private starttlsOffered = false;
  private tlsFailure: ConnectorFacts['tlsFailure'];
  private tlsInfo: { version: string; cipher: string } | null = null;
  private presented: X509Certificate[] = [];
  private certificates: CertificateInfo[] = [];
  private verdict: CertificateVerdict | null = null;
  private dane: DaneResult[] = [];
  private banner: string | null = null;
  private bannerHost: string | null = null;
  private ehloHost: string | null = null;
  private capabilities: Capabilities | null = null;
  private capabilitiesTls: Capabilities | null = null;
  private rcptReply: { code: number; text: string } | null = null;
  private daneAuthenticated: boolean | null = null;
  private daneDnssec: DnssecStatus | null = null;
  /** What the path validator said during the handshake; undefined until TLS is up. */
  private handshakeError: string | null | undefined;
  private readonly pathValidator: PathValidator;
  private store: TrustStore | undefined;
  /** The stage begun last: the one a stop happens in. */
  private lastStage: ProbeStageName = 'connect';
  private failure: ProbeFailure | undefined;
  private requiredTls: ProbeReport['requiredTls'];

  constructor(private readonly options: ProbeOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.factory = options.socketFactory ?? nodeSocketFactory;
    this.mode = options.mode ?? 'starttls';
    this.pathValidator = options.pathValidator ?? openSslPathValidator([...(options.trust ?? []), ...(options.publicCas ?? [])]);
    const address = isIP(options.address) === 6 ? `[${options.address}]` : options.address;
    this.subject = options.host === options.address ? `${address}:${options.port}` : `${options.host} (${address}:${options.port})`;
  }

  /**
   * The conversation as a small state machine: a plan of steps run in order,
   * each ending with "go on" or DONE. What the server offered (STARTTLS) is
   * decided inside the steps that depend on it.
   */
  async execute(): Promise<void> {
    for (const step of this.plan()) {
      if ((await step()) === DONE) return;
    }
  }

  private plan(): Step[] {
    const rcpt = this.options.rcpt;
    return [
      () => this.connect(),
      ...(this.mode === 'implicit-tls' ? [() => this.startTls('tls')] : []),
      () => this.readBanner(),
      () => this.ehlo('ehlo'),
      ...(this.mode === 'starttls' ? [() => this.negotiateTls()] : []),
      ...(rcpt ? [() => this.tryRecipient(rcpt)] : []),
      () => {
        this.quit();
        return Promise.resolve(DONE);
      },
    ];
  }

  /** STARTTLS mode: the plain-text check when asked, then STARTTLS and EHLO again, or the finding that it is not offered. */
  private async negotiateTls(): Promise<StepResult> {
    if (this.options.mandatoryTls) {
      if ((await this.tryPlainText()) === DONE) return DONE;
      if (this.options.plaintextOnly) {
        this.quit();
        return DONE;
      }
    }
    if (!this.starttlsOffered) {
      this.tlsFailure = 'not-offered';
      this.fail(F.STARTTLS_NOT_OFFERED, 'The server does not offer STARTTLS.', this.capabilities?.raw ?? []);
      return undefined;
    }
    if ((await this.starttls()) === DONE) return DONE;
    return this.ehlo('ehlo-tls');
  }

  // ---- stages -------------------------------------------------------------

  private async connect(): Promise<StepResult> {
    const stage = this.begin('connect');
    const { address, port } = this.options;
    this.transcript.event(`connecting to ${address} port ${port}`);
    const result = await this.openSocket();
    if (!result.ok) {
      this.rawSocket?.on('error', () => undefined);
      this.rawSocket?.destroy();
      this.reached = result.failure === 'refused' || result.failure === 'timeout' || result.failure === 'unreachable' || result.failure === 'reset' ? result.failure : 'error';
      stage.end('failed', `${result.code}: ${result.message}`);
      if (result.code === 'ABORTED') return this.stop(F.SMTP_PROBE_CANCELLED, 'The probe was cancelled while connecting.');
      const seconds = (this.timeouts.connectMs / 1000).toFixed(1);
      switch (result.failure) {
        case 'refused': return this.stop(F.SMTP_CONNECT_REFUSED, `Connection refused by ${this.options.address} port ${port}.`, [result.code]);
        case 'timeout': return this.stop(F.SMTP_CONNECT_TIMEOUT, `No answer from ${this.options.address} port ${port} within ${seconds} s.`, [result.code]);
        case 'unreachable': return this.stop(F.SMTP_HOST_UNREACHABLE, `${this.options.address} is unreachable from this computer (${result.code}).`, [result.message]);
        case 'reset': return this.stop(F.SMTP_CONNECTION_RESET, `The connection to ${this.options.address} port ${port} was reset.`, [result.code]);
        default: return this.stop(F.SMTP_CONNECTION_CLOSED, `Could not connect to ${this.options.address} port ${port}: ${result.message}.`, [result.code]);
      }
    }
    this.transcript.event('connected');
    stage.end('ok');
    const limits = { ...DEFAULT_REPLY_LIMITS, ...this.options.limits };
    this.connection = new SmtpConnection(result.socket, this.transcript, limits);
  }

  /** The TCP connection through the socket factory, within the connect deadline. */
  private async openSocket(): Promise<{ ok: true; socket: net.Socket } | { ok: false; failure: NetworkFailure; code: string; message: string }> {
    let socket: net.Socket;
    try {
      socket = this.factory.connect({ host: this.options.address, port: this.options.port });
    } catch (error) {
      return { ok: false, ...classifySocketError(error) };
    }
    this.track(socket);
    this.rawSocket = socket;
    const outcome = await awaitSocketEvent(socket, 'connect', { timeoutMs: this.remaining(this.timeouts.connectMs), signal: this.options.signal });
    switch (outcome.kind) {
      case 'event': return { ok: true, socket };
      case 'error': return { ok: false, failure: outcome.failure, code: outcome.code, message: outcome.message };
      case 'aborted': return { ok: false, failure: 'error', code: 'ABORTED', message: 'cancelled' };
      case 'timeout': return { ok: false, failure: 'timeout', code: 'TIMEOUT', message: 'no answer' };
      case 'closed': return { ok: false, failure: 'closed', code: 'CLOSED', message: 'the connection closed' };
    }
  }

  private async readBanner(): Promise<StepResult> {
    const stage = this.begin('banner');
    const connection = this.connection;
    if (!connection) return DONE;
    const reply = this.expectReply(await connection.readReply(this.deadline(this.timeouts.bannerMs), this.options.signal), stage, 'banner');
    if (reply === DONE) return DONE;
    this.reached = 'ok';
    this.banner = reply.lines[0] ?? '';
    this.bannerHost = bannerHostOf(this.banner);
    if (reply.code === 421 || reply.code === 554) {
      stage.end('failed', `${reply.code} ${this.banner}`);
      this.sendQuietQuit();
      return this.stop(F.SMTP_SERVICE_UNAVAILABLE, `The server greeted with ${reply.code}: it will not serve this connection.`, [replyText(reply)], reply);
    }
    if (reply.code !== 220) {
      stage.end('failed', `${reply.code} ${this.banner}`);
      return this.stop(F.SMTP_PROTOCOL_ERROR, `The greeting was ${reply.code}, not 220.`, [replyText(reply)], reply);
    }
    stage.end('ok', `220 ${this.banner}`);
    if (this.bannerHost && !isIP(this.options.host) && this.bannerHost !== this.options.host.toLowerCase().replace(/\.$/, '')) {
      this.fail(F.SMTP_HOSTNAME_DIFFERS, `The server calls itself ${this.bannerHost} in its greeting, not ${this.options.host}.`, [`220 ${this.banner}`]);
    }
  }

  private async ehlo(name: 'ehlo' | 'ehlo-tls'): Promise<StepResult> {
    const helo = this.options.heloName ?? defaultHeloName();
    const stage = this.begin(name);
    const reply = await this.command(`EHLO ${helo}`, stage, name);
    if (reply === DONE) return DONE;
    if (reply.code === 421) return this.serviceUnavailable(stage, reply, 'EHLO');
    if (reply.code !== 250) {
      if (name === 'ehlo-tls' || reply.code < 500) {
        stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
        return this.stop(F.SMTP_PROTOCOL_ERROR, `The server answered EHLO with ${reply.code}.`, [replyText(reply)], reply);
      }
      stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
      this.fail(F.SMTP_EHLO_REJECTED, `The server refused EHLO (${reply.code}); falling back to HELO.`, [replyText(reply)]);
      const heloStage = this.begin('helo');
      const heloReply = await this.command(`HELO ${helo}`, heloStage, 'helo');
      if (heloReply === DONE) return DONE;
      if (heloReply.code === 421) return this.serviceUnavailable(heloStage, heloReply, 'HELO');
      if (heloReply.code !== 250) {
        heloStage.end('failed', `${heloReply.code}`);
        return this.stop(F.SMTP_PROTOCOL_ERROR, `The server refused HELO too (${heloReply.code}).`, [replyText(heloReply)], heloReply);
      }
      heloStage.end('ok', `250 ${heloReply.lines[0] ?? ''}`);
      this.capabilities = parseEhlo([heloReply.lines[0] ?? '']).capabilities;
      return undefined;
    }
    const parsed = parseEhlo(reply.lines);
    stage.end('ok', `250 ${reply.lines[0] ?? ''}`);
    if (name === 'ehlo') {
      this.capabilities = parsed.capabilities;
      this.starttlsOffered = this.mode === 'starttls' && parsed.capabilities.starttls;
      this.ehloHost = parsed.greetingHost;
      const ehloHost = parsed.greetingHost?.toLowerCase().replace(/\.$/, '');
      if (ehloHost && !isIP(this.options.host) && ehloHost !== this.options.host.toLowerCase().replace(/\.$/, '') && ehloHost !== this.bannerHost) {
        this.fail(F.SMTP_HOSTNAME_DIFFERS, `The server calls itself ${ehloHost} in its EHLO reply, not ${this.options.host}.`, [`250 ${reply.lines[0] ?? ''}`]);
      }
    } else {
      this.capabilitiesTls = parsed.capabilities;
    }
    const auth = parsed.capabilities.auth;
    if (auth.length > 0 && (name === 'ehlo-tls' || this.mode === 'implicit-tls' || !this.starttlsOffered)) {
      this.fail(F.SMTP_AUTH_OFFERED, `The server offers AUTH ${auth.join(' ')}${name === 'ehlo-tls' ? ' over TLS' : ''}.`, [`AUTH ${auth.join(' ')}`]);
    }
  }

  private async tryPlainText(): Promise<StepResult> {
    const mailStage = this.begin('mail');
    const from = this.options.mailFrom ?? '';
    const mail = await this.command(`MAIL FROM:<${from}>`, mailStage, 'mail');
    if (mail === DONE) return DONE;
    if (mail.code === 421) return this.serviceUnavailable(mailStage, mail, 'MAIL FROM');
    if (isTlsRequiredReply(mail)) {
      mailStage.end('ok', `${mail.code} ${mail.lines[0] ?? ''}`);
      this.fail(F.TLS_REQUIRED, `The server refuses MAIL FROM before STARTTLS (${mail.code}).`, [replyText(mail)]);
      this.requiredTls = { outcome: 'required', detail: escapeBytes(Buffer.from(replyText(mail), 'utf8'), 300) };
      return undefined;
    }
    if (mail.code !== 250) {
      mailStage.end('failed', `${mail.code} ${mail.lines[0] ?? ''}`);
      this.fail(F.SMTP_SENDER_REJECTED, `The server refused MAIL FROM over plain text with ${mail.code}.`, [replyText(mail)]);
      this.requiredTls = { outcome: 'unknown', detail: escapeBytes(Buffer.from(replyText(mail), 'utf8'), 300) };
      return this.rset();
    }
    mailStage.end('ok', `250 ${mail.lines[0] ?? ''}`);
    const rcptStage = this.begin('rcpt');
    const to = this.options.rcpt ?? `postmaster@${this.options.host.replace(/\.$/, '')}`;
    const rcpt = await this.command(`RCPT TO:<${to}>`, rcptStage, 'rcpt');
    if (rcpt === DONE) return DONE;
    if (rcpt.code === 421) return this.serviceUnavailable(rcptStage, rcpt, 'RCPT TO');
    rcptStage.end(rcpt.code === 250 || rcpt.code === 251 ? 'ok' : 'failed', `${rcpt.code} ${rcpt.lines[0] ?? ''}`);
    this.requiredTls = { outcome: isTlsRequiredReply(rcpt) ? 'required' : 'not-required', detail: escapeBytes(Buffer.from(`${replyText(mail)}\n${replyText(rcpt)}`, 'utf8'), 300) };
    if (isTlsRequiredReply(rcpt)) this.fail(F.TLS_REQUIRED, `The server refuses RCPT TO before STARTTLS (${rcpt.code}).`, [replyText(rcpt)]);
    else if (rcpt.code === 250 || rcpt.code === 251) this.fail(F.PLAINTEXT_ACCEPTED, 'The server accepted MAIL FROM and RCPT TO over plain text.', [replyText(mail), replyText(rcpt)]);
    else this.fail(F.PLAINTEXT_ACCEPTED, `The server accepted MAIL FROM over plain text (RCPT TO got ${rcpt.code}).`, [replyText(mail), replyText(rcpt)]);
    return this.rset();
  }

  private async rset(): Promise<StepResult> {
    const stage = this.begin('rset');
    const reply = await this.command('RSET', stage, 'rset');
    if (reply === DONE) return DONE;
    stage.end(reply.code === 250 ? 'ok' : 'failed', `${reply.code}`);
    return undefined;
  }

  private async starttls(): Promise<StepResult> {
    const stage = this.begin('starttls');
    const reply = await this.command('STARTTLS', stage, 'starttls');
    if (reply === DONE) return DONE;
    if (reply.code === 421) return this.serviceUnavailable(stage, reply, 'STARTTLS');
    if (reply.code !== 220) {
      stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
      this.tlsFailure = 'rejected';
      return this.stop(F.STARTTLS_REJECTED, `The server answered STARTTLS with ${reply.code}.`, [replyText(reply)], reply);
    }
    stage.end('ok', `220 ${reply.lines[0] ?? ''}`);
    if ((await this.startTls('tls')) === DONE) return DONE;
    this.fail(F.STARTTLS_OK, `STARTTLS works: ${this.tlsInfo?.version ?? ''} ${this.tlsInfo?.cipher ?? ''}.`.replace(/ +\./, '.'));
    return undefined;
  }

  private async startTls(name: 'tls'): Promise<StepResult> {
    const stage = this.begin(name);
    const plain = this.connection?.socket ?? this.rawSocket;
    if (!plain) return DONE;
    // RFC 3207: nothing may follow the 220 to STARTTLS in plain text; what did is dropped, never read as TLS-protected.
    if ((this.connection?.release() ?? 0) > 0) this.transcript.event('the server sent data after its reply to STARTTLS; it was discarded');
    const servername = isIP(this.options.host) ? undefined : this.options.host.replace(/\.$/, '');
    const result = await upgradeToTls(plain, {
      factory: this.factory,
      validator: this.pathValidator,
      servername,
      timeoutMs: this.remaining(this.timeouts.tlsMs),
      signal: this.options.signal,
      onSocket: (socket) => {
        this.track(socket);
        this.rawSocket = socket;
      },
    });
    if (!result.ok) {
      this.rawSocket?.on('error', () => undefined);
      this.rawSocket?.destroy();
      plain.destroy();
      this.transcript.event(`TLS handshake ${result.timeout ? 'timed out' : `failed: ${result.message}`}`);
      stage.end('failed', result.message);
      if (this.reached !== 'ok' && this.mode === 'implicit-tls') this.reached = result.code === 'ECONNRESET' ? 'reset' : 'closed';
      this.tlsFailure = result.timeout ? 'handshake-timeout' : 'handshake-failed';
      if (result.code === 'ABORTED') return this.stop(F.SMTP_PROBE_CANCELLED, 'The probe was cancelled during the TLS handshake.');
      return result.timeout
        ? this.stop(TLS_FINDINGS.TLS_HANDSHAKE_TIMEOUT, `The TLS handshake did not finish within ${(this.timeouts.tlsMs / 1000).toFixed(1)} s.`)
        : this.stop(TLS_FINDINGS.TLS_HANDSHAKE_FAILED, `The TLS handshake failed: ${result.message}.`, [result.code]);
    }
    const socket = result.socket;
    const version = socket.getProtocol() ?? 'unknown';
    const cipher = socket.getCipher();
    this.tlsInfo = { version, cipher: cipher.standardName ?? cipher.name };
    this.transcript.event(`TLS established: ${version} ${this.tlsInfo.cipher}`);
    stage.end('ok', `${version} ${this.tlsInfo.cipher}`);
    if (this.connection) this.connection.switchTo(socket);
    else this.connection = new SmtpConnection(socket, this.transcript, { ...DEFAULT_REPLY_LIMITS, ...this.options.limits });
    if (/^TLSv1(\.[01])?$/.test(version)) {
      this.fail(TLS_FINDINGS.TLS_VERSION_OLD, `The server negotiated ${version}; TLS 1.2 or later is required by Exchange Online.`, [version]);
    } else if (this.mode === 'implicit-tls') {
      this.fail(TLS_FINDINGS.TLS_OK, `TLS from the first byte works: ${version} ${this.tlsInfo.cipher}.`);
    }
    this.presented = presentedChain(socket, this.trustStore());
    this.handshakeError = result.handshakeError;
    return undefined;
  }

  /**
   * Certificate verdicts and DANE after the conversation (QUIT already sent):
   * loading the trust store and verifying signatures costs CPU that should
   * not delay the EHLO over TLS, and the TLSA lookup ran beside it.
   */
  async analyseCertificates(): Promise<void> {
    if (this.presented.length === 0) return;
    const now = (this.options.clock ?? systemClock).now();
    this.certificates = this.presented.map((c) => describeCertificate(c, now));
    const path = this.pathValidator.validate({ presented: this.presented.map((c) => c.raw), ...(this.handshakeError !== undefined ? { handshakeError: this.handshakeError } : {}) });
    const assessment = assessCertificates({ presented: this.presented, host: this.options.host, store: this.trustStore(), nowMs: now, subject: this.subject, path, validatorName: this.pathValidator.name });
    if (assessment) {
      this.verdict = assessment.verdict;
      this.findings.push(...assessment.findings);
    }
    await this.applyDane();
  }

  private async applyDane(): Promise<void> {
    const pending = this.options.tlsaLookup ? await this.options.tlsaLookup.catch(() => null) : null;
    const records = pending?.records ?? this.options.tlsa ?? [];
    if (records.length === 0) return;
    this.daneAuthenticated = pending ? pending.authenticated : (this.options.tlsaAuthenticated ?? false);
    this.daneDnssec = pending?.dnssec ?? (this.daneAuthenticated ? 'validated' : 'unknown');
    if (this.presented.length === 0) return;
    const dane = assessDane({ records, authenticated: this.daneAuthenticated, dnssec: this.daneDnssec, presented: this.presented, host: this.options.host, subject: this.subject });
    this.dane = dane.results;
    this.findings.push(...dane.findings);
  }

  private async tryRecipient(rcpt: string): Promise<StepResult> {
    const mailStage = this.begin('mail');
    const mail = await this.command(`MAIL FROM:<${this.options.mailFrom ?? ''}>`, mailStage, 'mail');
    if (mail === DONE) return DONE;
    if (mail.code === 421) return this.serviceUnavailable(mailStage, mail, 'MAIL FROM');
    if (mail.code !== 250) {
      mailStage.end('failed', `${mail.code} ${mail.lines[0] ?? ''}`);
      this.fail(isTlsRequiredReply(mail) ? F.TLS_REQUIRED : F.SMTP_SENDER_REJECTED, `MAIL FROM was refused with ${mail.code}; the recipient was not tested.`, [replyText(mail)]);
      return this.rset();
    }
    mailStage.end('ok', `250 ${mail.lines[0] ?? ''}`);
    const stage = this.begin('rcpt');
    const reply = await this.command(`RCPT TO:<${rcpt}>`, stage, 'rcpt');
    if (reply === DONE) return DONE;
    this.rcptReply = { code: reply.code, text: reply.lines.join(' ') };
    if (reply.code === 250 || reply.code === 251) {
      stage.end('ok', `${reply.code} ${reply.lines[0] ?? ''}`);
      this.fail(F.SMTP_RECIPIENT_ACCEPTED, `The server accepts ${rcpt}.`, [replyText(reply)]);
    } else {
      stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
      const dbeb = /5\.4\.1/.test(reply.lines.join(' ')) && /access denied/i.test(reply.lines.join(' '));
      this.fail(F.SMTP_RECIPIENT_REJECTED, `The server refuses ${rcpt} with ${reply.code}${dbeb ? ' (Office 365 Directory-Based Edge Blocking: the address is not in the directory)' : ''}.`, [replyText(reply)], reply.code < 500 ? { severity: 'warn' } : {});
    }
    if (reply.code === 421) return this.stop(F.SMTP_SERVICE_UNAVAILABLE, 'The server closed the session at RCPT TO (421).', [replyText(reply)], reply);
    return this.rset();
  }

  /** QUIT is sent but not awaited: nothing depends on the 221. */
  private quit(): void {
    const stage = this.begin('quit');
    this.connection?.send('QUIT');
    this.connection?.close();
    this.connection = null;
    stage.end('ok');
  }

  // ---- helpers ------------------------------------------------------------

  private async command(line: string, stage: StageHandle, name: ProbeStageName): Promise<SmtpReply | Done> {
    const connection = this.connection;
    if (!connection) return DONE;
    connection.send(line);
    return this.expectReply(await connection.readReply(this.deadline(this.timeouts.commandMs), this.options.signal), stage, name);
  }

  private expectReply(outcome: ReadOutcome, stage: StageHandle, name: ProbeStageName): SmtpReply | Done {
    if (outcome.kind === 'reply') return outcome.reply;
    const label = name === 'banner' ? 'the greeting' : `the reply to ${name.toUpperCase().replace('-TLS', ' (over TLS)')}`;
    switch (outcome.kind) {
      case 'timeout': {
        const got = outcome.pendingBytes > 0 || outcome.partialLines > 0
          ? ` (received ${outcome.partialLines} line(s) and ${outcome.pendingBytes} byte(s) of an unfinished reply)` : '';
        stage.end('failed', `timeout${got}`);
        this.transcript.event(`timed out waiting for ${label}`);
        if (name === 'banner' && this.reached !== 'ok') this.reached = 'closed';
        const evidence = outcome.pendingBytes > 0 ? [`partial: ${escapeBytes(outcome.pending, 200)}`] : [];
        if (name === 'banner') return this.stop(F.SMTP_BANNER_TIMEOUT, `No complete greeting within ${(this.timeouts.bannerMs / 1000).toFixed(1)} s${got}.`, evidence);
        return this.stop(F.SMTP_PROBE_TIMEOUT, `No complete answer to ${name.toUpperCase()} in time${got}.`, evidence);
      }
      case 'network': {
        stage.end('failed', `${outcome.code}: ${outcome.message}`);
        if (this.reached !== 'ok') this.reached = outcome.failure === 'reset' ? 'reset' : 'closed';
        if (outcome.failure === 'reset') return this.stop(F.SMTP_CONNECTION_RESET, `The connection was reset while waiting for ${label}.`, [outcome.code]);
        return this.stop(F.SMTP_CONNECTION_CLOSED, `The server closed the connection while we waited for ${label}.`, [outcome.code]);
      }
      case 'reader': {
        stage.end('failed', outcome.detail);
        const spec = outcome.error === 'too-many-lines' ? F.SMTP_REPLY_TOO_MANY_LINES
          : outcome.error === 'not-smtp' ? F.SMTP_PROTOCOL_ERROR : F.SMTP_REPLY_TOO_LONG;
        return this.stop(spec, `While reading ${label}, the server sent ${outcome.detail}.`);
      }
      case 'aborted':
        stage.end('failed', 'cancelled');
        return this.stop(F.SMTP_PROBE_CANCELLED, 'The probe was cancelled.');
    }
  }

  private serviceUnavailable(stage: StageHandle, reply: SmtpReply, command: string): Done {
    stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
    return this.stop(F.SMTP_SERVICE_UNAVAILABLE, `The server answered ${command} with 421: it closes the session.`, [replyText(reply)], reply);
  }

  private sendQuietQuit(): void {
    this.connection?.send('QUIT');
  }

  /** The earlier of this stage's deadline and the whole probe's. */
  private deadline(stageMs: number): number {
    return Math.min(performance.now() + stageMs, this.t0 + this.timeouts.totalMs);
  }

  private remaining(stageMs: number): number {
    return Math.max(0, this.deadline(stageMs) - performance.now());
  }

  private begin(name: ProbeStageName): StageHandle {
    this.lastStage = name;
    const start = performance.now();
    const step = `smtp:${this.options.host}/${this.options.address}:${name}`;
    this.options.onProgress?.({ step, status: 'started' });
    return {
      end: (status, detail) => {
        this.stages.push({ name, status, startMs: Math.round(start - this.t0), durationMs: Math.round(performance.now() - start), ...(detail ? { detail: escapeBytes(Buffer.from(detail, 'utf8'), 300) } : {}) });
        this.options.onProgress?.({ step, status: status === 'failed' ? 'failed' : 'done', ...(detail ? { detail } : {}) });
      },
    };
  }

  private trustStore(): TrustStore {
    this.store ??= this.options.trustStore ?? createTrustStore(this.options.trust ?? [], { rehearsalPems: this.options.publicCas ?? [] });
    return this.store;
  }

  /** A bug must not take the whole check down: report it as a finding. */
  unexpected(error: unknown): void {
    this.fail(F.SMTP_PROTOCOL_ERROR, `The probe stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  }

  fail(spec: FindingSpec, message: string, evidence: readonly string[] = [], overrides: { severity?: Finding['severity'] } = {}): void {
    this.findings.push(finding(spec, this.subject, message, evidence.map((e) => escapeBytes(Buffer.from(e, 'utf8'), 500)), overrides));
  }

  /** Ends the conversation at the current stage: its finding, and the failure the predictions read. */
  private stop(spec: FindingSpec, message: string, evidence: readonly string[] = [], reply?: SmtpReply): Done {
    this.fail(spec, message, evidence);
    this.failure ??= {
      stage: this.lastStage,
      kind: reply ? 'reply' : FAILURE_KINDS[spec.code] ?? 'error',
      ...(reply ? { reply: { code: reply.code, text: escapeBytes(Buffer.from(reply.lines.join(' '), 'utf8'), 500) } } : {}),
      detail: message,
    };
    return DONE;
  }

  /** Closes what is still open and waits until every socket is closed (a socket closing politely after QUIT gets a short grace). */
  async cleanup(): Promise<void> {
    this.connection?.destroy();
    this.connection = null;
    if (this.rawSocket && !this.rawSocket.destroyed) {
      this.rawSocket.on('error', () => undefined);
      this.rawSocket.destroy();
    }
    // A socket still closing politely after QUIT gets a short grace, then is destroyed; a socket that
    // never reports 'close' (an odd socket factory) cannot hold the probe beyond twice the grace.
    const destroyRest = setTimeout(() => { for (const socket of this.sockets) socket.destroy(); }, CLOSE_GRACE_MS);
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.closed), new Promise<void>((resolve) => { giveUp = setTimeout(resolve, 2 * CLOSE_GRACE_MS); })]);
    clearTimeout(destroyRest);
    clearTimeout(giveUp);
  }

  /** Remembers a socket this probe opened, listening for its 'close' from the start so it is never missed. */
  private track(socket: net.Socket): void {
    this.sockets.push(socket);
    this.closed.push(new Promise((resolve) => { socket.once('close', () => resolve()); }));
  }

  report(): ProbeReport {
    const facts: ConnectorFacts = {
      host: this.options.host,
      reached: this.reached,
      starttlsOffered: this.starttlsOffered,
      tlsEstablished: this.tlsInfo !== null,
      ...(this.tlsFailure ? { tlsFailure: this.tlsFailure } : {}),
      tlsVersion: this.tlsInfo?.version ?? null,
      verdict: this.verdict,
      leafNames: this.presented[0] ? certificateAllNames(this.presented[0]) : [],
      ...(this.daneAuthenticated !== null ? { dane: { authenticated: this.daneAuthenticated, results: this.dane, ...(this.daneDnssec ? { dnssec: this.daneDnssec } : {}) } } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
    };
    const settings = {
      ...(this.options.tlsDomain ? { tlsDomain: this.options.tlsDomain } : {}),
      ...(this.options.tlsSenderCertificateName ? { tlsSenderCertificateName: this.options.tlsSenderCertificateName } : {}),
      ...(this.options.acceptedDomains ? { acceptedDomains: this.options.acceptedDomains } : {}),
    };
    const predictions = [...predictOutbound(facts, settings), ...predictInbound(facts, settings)];
    // Validated TLS to this server is impossible: every certificate problem causing it is a failure (issue 8, defect 7).
    const validated = predictions.find((p) => p.direction === 'outbound' && p.setting === 'CertificateValidation')?.verdict;
    const findings = raiseWhenValidationImpossible(this.findings, this.tlsInfo && validated === 'fail' ? false : null);
    return {
      host: this.options.host,
      address: this.options.address,
      port: this.options.port,
      mode: this.mode,
      stages: [...this.stages],
      starttls: this.starttlsOffered,
      tls: this.tlsInfo,
      certificates: this.certificates,
      certificateVerdict: this.verdict,
      banner: this.banner === null ? null : escapeBytes(Buffer.from(this.banner, 'utf8'), 500),
      bannerHost: this.bannerHost,
      ehloHost: this.ehloHost === null ? null : escapeBytes(Buffer.from(this.ehloHost, 'utf8'), 255),
      capabilities: this.capabilities,
      capabilitiesTls: this.capabilitiesTls,
      rcptReply: this.rcptReply,
      dane: this.dane,
      daneAuthenticated: this.daneAuthenticated,
      ...(this.daneDnssec ? { daneDnssec: this.daneDnssec } : {}),
      transcript: this.transcript.toArray(),
      transcriptTruncated: this.transcript.truncated,
      predictions,
      findings,
      elapsedMs: Math.round(performance.now() - this.t0),
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.requiredTls ? { requiredTls: this.requiredTls } : {}),
      ...(this.options.publicCas && this.options.publicCas.length > 0
        ? { rehearsal: { publicCas: this.options.publicCas.flatMap((pem) => parsePemBundle(pem)).map((c) => oneLineName(c.subject)) } }
        : {}),
    };
  }
}

interface StageHandle {
  end(status: ProbeStage['status'], detail?: string): void;
}

/** How each stopping finding reads as a failure kind (a stop with a reply is kind 'reply'). */
const FAILURE_KINDS: Readonly<Record<string, ProbeFailure['kind']>> = {
  SMTP_CONNECT_REFUSED: 'refused', SMTP_CONNECT_TIMEOUT: 'timeout', SMTP_HOST_UNREACHABLE: 'unreachable', SMTP_CONNECTION_RESET: 'reset',
  SMTP_CONNECTION_CLOSED: 'closed', SMTP_BANNER_TIMEOUT: 'timeout', SMTP_PROBE_TIMEOUT: 'timeout', SMTP_PROTOCOL_ERROR: 'protocol',
  SMTP_REPLY_TOO_LONG: 'too-long', SMTP_REPLY_TOO_MANY_LINES: 'too-long', SMTP_PROBE_CANCELLED: 'cancelled',
  TLS_HANDSHAKE_FAILED: 'tls', TLS_HANDSHAKE_TIMEOUT: 'timeout',
};

/** How long a socket may take to close after QUIT before it is destroyed. */
const CLOSE_GRACE_MS = 200;

function replyText(reply: SmtpReply): string {
  return reply.lines.map((line, i) => `${reply.code}${i < reply.lines.length - 1 ? '-' : ' '}${line}`).join('\n');
}

/** 530 "Must issue a STARTTLS command first" (5.7.0) and relatives. */
function isTlsRequiredReply(reply: SmtpReply): boolean {
  const text = reply.lines.join(' ');
  return reply.code === 530 || (reply.code >= 500 && /starttls|5\.7\.0.*tls|tls.*required|encryption required/i.test(text)) || /451 5\.7\.3/.test(`${reply.code} ${text}`);
}
