import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import type { Capabilities, ProbeReport, ProbeStageName } from '../../contract/probe';
import type { ConnectorFacts } from '../connectors/predict';
import { createTrustStore, type TrustStore } from '../tls/trust-store';
import { openSslPathValidator, type PathValidator } from '../tls/path-validator';
import type { ReadOutcome, SmtpConnection } from './connection';
import { SMTP_FINDINGS as F } from './findings';
import { DEFAULT_TIMEOUTS, type ProbeOptions, type ProbeTimeouts } from './options';
import { DONE, StageRecorder, replyText, type Done, type StageHandle } from './probe-recorder';
import type { SmtpReply } from './reply-reader';
import { nodeSocketFactory, type SocketFactory } from './socket-factory';
import { escapeBytes } from './transcript';

/**
 * What the conversation learned, one field per fact the report shows or the
 * predictions read. The steps fill it in; nothing else writes it.
 */
export interface ConversationFacts {
  reached: ConnectorFacts['reached'];
  starttlsOffered: boolean;
  tlsFailure: ConnectorFacts['tlsFailure'];
  tlsInfo: { version: string; cipher: string } | null;
  /** The chain the server sent, leaf first (analysed after the conversation). */
  presented: X509Certificate[];
  /** What the path validator said during the handshake; undefined until TLS is up. */
  handshakeError: string | null | undefined;
  banner: string | null;
  bannerHost: string | null;
  ehloHost: string | null;
  capabilities: Capabilities | null;
  capabilitiesTls: Capabilities | null;
  rcptReply: { code: number; text: string } | null;
  requiredTls: ProbeReport['requiredTls'];
}

/** The socket side of the session: the SMTP connection in use, and the socket under it before SMTP starts (connect, implicit TLS). */
export interface SessionLink {
  connection: SmtpConnection | null;
  rawSocket: net.Socket | null;
}

/**
 * One probe's explicit state, passed to every step: the settings (fixed), the
 * recorder (append-only), the facts learned and the sockets in use. A step is
 * a function of this state that returns "go on" or DONE.
 */
export class ProbeSession {
  readonly timeouts: ProbeTimeouts;
  readonly factory: SocketFactory;
  readonly mode: 'starttls' | 'implicit-tls';
  readonly pathValidator: PathValidator;
  readonly subject: string;
  readonly recorder: StageRecorder;
  readonly facts: ConversationFacts = {
    reached: 'error', starttlsOffered: false, tlsFailure: undefined, tlsInfo: null, presented: [], handshakeError: undefined,
    banner: null, bannerHost: null, ehloHost: null, capabilities: null, capabilitiesTls: null, rcptReply: null, requiredTls: undefined,
  };
  readonly link: SessionLink = { connection: null, rawSocket: null };
  /** Every socket this probe opened: the probe (and its limiter slot) ends when all are closed. */
  private readonly sockets: net.Socket[] = [];
  private readonly closed: Promise<void>[] = [];
  private store: TrustStore | undefined;

  constructor(readonly options: ProbeOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.factory = options.socketFactory ?? nodeSocketFactory;
    this.mode = options.mode ?? 'starttls';
    this.pathValidator = options.pathValidator ?? openSslPathValidator([...(options.trust ?? []), ...(options.publicCas ?? [])]);
    const address = isIP(options.address) === 6 ? `[${options.address}]` : options.address;
    this.subject = options.host === options.address ? `${address}:${options.port}` : `${options.host} (${address}:${options.port})`;
    this.recorder = new StageRecorder(this.subject, (name) => `smtp:${options.host}/${options.address}:${name}`, options.onProgress);
  }

  /** The earlier of this stage's deadline and the whole probe's. */
  deadline(stageMs: number): number {
    return Math.min(performance.now() + stageMs, this.recorder.t0 + this.timeouts.totalMs);
  }

  remaining(stageMs: number): number {
    return Math.max(0, this.deadline(stageMs) - performance.now());
  }

  /** The trust store, built on first use (only a probe that reached TLS needs it). */
  trustStore(): TrustStore {
    this.store ??= this.options.trustStore ?? createTrustStore(this.options.trust ?? [], { rehearsalPems: this.options.publicCas ?? [] });
    return this.store;
  }

  /** Remembers a socket this probe opened, listening for its 'close' from the start so it is never missed. */
  track(socket: net.Socket): void {
    this.sockets.push(socket);
    this.closed.push(new Promise((resolve) => { socket.once('close', () => resolve()); }));
  }

  /** Destroys the socket under SMTP (a failed connect or handshake), ignoring the errors destroying may raise. */
  dropRawSocket(): void {
    this.link.rawSocket?.on('error', () => undefined);
    this.link.rawSocket?.destroy();
  }

  /** Closes what is still open and waits until every socket is closed (a socket closing politely after QUIT gets a short grace). */
  async cleanup(): Promise<void> {
    this.link.connection?.destroy();
    this.link.connection = null;
    if (this.link.rawSocket && !this.link.rawSocket.destroyed) this.dropRawSocket();
    // A socket still closing politely after QUIT gets a short grace, then is destroyed; a socket that
    // never reports 'close' (an odd socket factory) cannot hold the probe beyond twice the grace.
    const destroyRest = setTimeout(() => { for (const socket of this.sockets) socket.destroy(); }, CLOSE_GRACE_MS);
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.closed), new Promise<void>((resolve) => { giveUp = setTimeout(resolve, 2 * CLOSE_GRACE_MS); })]);
    clearTimeout(destroyRest);
    clearTimeout(giveUp);
  }
}

/** How long a socket may take to close after QUIT before it is destroyed. */
const CLOSE_GRACE_MS = 200;

/** Sends one command and waits for its reply within the command deadline; DONE (with its finding) when no reply came. */
export async function command(session: ProbeSession, line: string, stage: StageHandle, name: ProbeStageName): Promise<SmtpReply | Done> {
  const connection = session.link.connection;
  if (!connection) return DONE;
  connection.send(line);
  return expectReply(session, await connection.readReply(session.deadline(session.timeouts.commandMs), session.options.signal), stage, name);
}

/** A reply, or the stop that explains why none came (timeout, network, reader limit, cancellation). */
export function expectReply(session: ProbeSession, outcome: ReadOutcome, stage: StageHandle, name: ProbeStageName): SmtpReply | Done {
  if (outcome.kind === 'reply') return outcome.reply;
  const { recorder, facts } = session;
  const label = name === 'banner' ? 'the greeting' : `the reply to ${name.toUpperCase().replace('-TLS', ' (over TLS)')}`;
  switch (outcome.kind) {
    case 'timeout': {
      const got = outcome.pendingBytes > 0 || outcome.partialLines > 0
        ? ` (received ${outcome.partialLines} line(s) and ${outcome.pendingBytes} byte(s) of an unfinished reply)` : '';
      stage.end('failed', `timeout${got}`);
      recorder.transcript.event(`timed out waiting for ${label}`);
      if (name === 'banner' && facts.reached !== 'ok') facts.reached = 'closed';
      const evidence = outcome.pendingBytes > 0 ? [`partial: ${escapeBytes(outcome.pending, 200)}`] : [];
      if (name === 'banner') return recorder.stop(F.SMTP_BANNER_TIMEOUT, `No complete greeting within ${(session.timeouts.bannerMs / 1000).toFixed(1)} s${got}.`, evidence);
      return recorder.stop(F.SMTP_PROBE_TIMEOUT, `No complete answer to ${name.toUpperCase()} in time${got}.`, evidence);
    }
    case 'network': {
      stage.end('failed', `${outcome.code}: ${outcome.message}`);
      if (facts.reached !== 'ok') facts.reached = outcome.failure === 'reset' ? 'reset' : 'closed';
      if (outcome.failure === 'reset') return recorder.stop(F.SMTP_CONNECTION_RESET, `The connection was reset while waiting for ${label}.`, [outcome.code]);
      return recorder.stop(F.SMTP_CONNECTION_CLOSED, `The server closed the connection while we waited for ${label}.`, [outcome.code]);
    }
    case 'reader': {
      stage.end('failed', outcome.detail);
      const spec = outcome.error === 'too-many-lines' ? F.SMTP_REPLY_TOO_MANY_LINES
        : outcome.error === 'not-smtp' ? F.SMTP_PROTOCOL_ERROR : F.SMTP_REPLY_TOO_LONG;
      return recorder.stop(spec, `While reading ${label}, the server sent ${outcome.detail}.`);
    }
    case 'aborted':
      stage.end('failed', 'cancelled');
      return recorder.stop(F.SMTP_PROBE_CANCELLED, 'The probe was cancelled.');
  }
}

/** A 421 ends the session: the stage fails and the conversation stops with the reply. */
export function serviceUnavailable(session: ProbeSession, stage: StageHandle, reply: SmtpReply, commandName: string): Done {
  stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
  return session.recorder.stop(F.SMTP_SERVICE_UNAVAILABLE, `The server answered ${commandName} with 421: it closes the session.`, [replyText(reply)], reply);
}

/** QUIT is sent but not awaited: nothing depends on the 221. */
export function quit(session: ProbeSession): void {
  const stage = session.recorder.begin('quit');
  session.link.connection?.send('QUIT');
  session.link.connection?.close();
  session.link.connection = null;
  stage.end('ok');
}
