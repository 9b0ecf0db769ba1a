import { isIP } from 'node:net';
import type net from 'node:net';
import { bannerHostOf, parseEhlo } from './capabilities';
import { SmtpConnection } from './connection';
import { SMTP_FINDINGS as F } from './findings';
import { defaultHeloName } from './options';
import { DONE, replyText, type StepResult } from './probe-recorder';
import { command, expectReply, serviceUnavailable, type ProbeSession } from './probe-session';
import { DEFAULT_REPLY_LIMITS } from './reply-reader';
import { classifySocketError, type NetworkFailure } from './socket-factory';
import { awaitSocketEvent } from './socket-events';

/**
 * The opening steps of the conversation: TCP connect, the greeting, EHLO
 * (with the HELO fallback). Each takes the session and returns "go on" or
 * DONE; what they learn goes into the session's facts.
 */

export async function connect(session: ProbeSession): Promise<StepResult> {
  const { recorder, options, facts } = session;
  const stage = recorder.begin('connect');
  const { address, port } = options;
  recorder.transcript.event(`connecting to ${address} port ${port}`);
  const result = await openSocket(session);
  if (!result.ok) {
    session.dropRawSocket();
    facts.reached = result.failure === 'refused' || result.failure === 'timeout' || result.failure === 'unreachable' || result.failure === 'reset' ? result.failure : 'error';
    stage.end('failed', `${result.code}: ${result.message}`);
    if (result.code === 'ABORTED') return recorder.stop(F.SMTP_PROBE_CANCELLED, 'The probe was cancelled while connecting.');
    const seconds = (session.timeouts.connectMs / 1000).toFixed(1);
    switch (result.failure) {
      case 'refused': return recorder.stop(F.SMTP_CONNECT_REFUSED, `Connection refused by ${address} port ${port}.`, [result.code]);
      case 'timeout': return recorder.stop(F.SMTP_CONNECT_TIMEOUT, `No answer from ${address} port ${port} within ${seconds} s.`, [result.code]);
      case 'unreachable': return recorder.stop(F.SMTP_HOST_UNREACHABLE, `${address} is unreachable from this computer (${result.code}).`, [result.message]);
      case 'reset': return recorder.stop(F.SMTP_CONNECTION_RESET, `The connection to ${address} port ${port} was reset.`, [result.code]);
      default: return recorder.stop(F.SMTP_CONNECTION_CLOSED, `Could not connect to ${address} port ${port}: ${result.message}.`, [result.code]);
    }
  }
  recorder.transcript.event('connected');
  stage.end('ok');
  session.link.connection = new SmtpConnection(result.socket, recorder.transcript, { ...DEFAULT_REPLY_LIMITS, ...options.limits });
  return undefined;
}

type OpenResult = { ok: true; socket: net.Socket } | { ok: false; failure: NetworkFailure; code: string; message: string };

/** The TCP connection through the socket factory, within the connect deadline. */
async function openSocket(session: ProbeSession): Promise<OpenResult> {
  let socket: net.Socket;
  try {
    socket = session.factory.connect({ host: session.options.address, port: session.options.port });
  } catch (error) {
    // A socket factory may throw synchronously (bad address): that is a network outcome, not a bug.
    return { ok: false, ...classifySocketError(error) };
  }
  session.track(socket);
  session.link.rawSocket = socket;
  const outcome = await awaitSocketEvent(socket, 'connect', { timeoutMs: session.remaining(session.timeouts.connectMs), signal: session.options.signal });
  switch (outcome.kind) {
    case 'event': return { ok: true, socket };
    case 'error': return { ok: false, failure: outcome.failure, code: outcome.code, message: outcome.message };
    case 'aborted': return { ok: false, failure: 'error', code: 'ABORTED', message: 'cancelled' };
    case 'timeout': return { ok: false, failure: 'timeout', code: 'TIMEOUT', message: 'no answer' };
    case 'closed': return { ok: false, failure: 'closed', code: 'CLOSED', message: 'the connection closed' };
  }
}

export async function readBanner(session: ProbeSession): Promise<StepResult> {
  const { recorder, options, facts } = session;
  const stage = recorder.begin('banner');
  const connection = session.link.connection;
  if (!connection) return DONE;
  const reply = expectReply(session, await connection.readReply(session.deadline(session.timeouts.bannerMs), options.signal), stage, 'banner');
  if (reply === DONE) return DONE;
  facts.reached = 'ok';
  const banner = reply.lines[0] ?? '';
  facts.banner = banner;
  facts.bannerHost = bannerHostOf(banner);
  if (reply.code === 421 || reply.code === 554) {
    stage.end('failed', `${reply.code} ${banner}`);
    // A polite goodbye to a server that refuses us; its answer is not awaited.
    connection.send('QUIT');
    return recorder.stop(F.SMTP_SERVICE_UNAVAILABLE, `The server greeted with ${reply.code}: it will not serve this connection.`, [replyText(reply)], reply);
  }
  if (reply.code !== 220) {
    stage.end('failed', `${reply.code} ${banner}`);
    return recorder.stop(F.SMTP_PROTOCOL_ERROR, `The greeting was ${reply.code}, not 220.`, [replyText(reply)], reply);
  }
  stage.end('ok', `220 ${banner}`);
  if (facts.bannerHost && !isIP(options.host) && facts.bannerHost !== normalHost(options.host)) {
    recorder.fail(F.SMTP_HOSTNAME_DIFFERS, `The server calls itself ${facts.bannerHost} in its greeting, not ${options.host}.`, [`220 ${banner}`]);
  }
  return undefined;
}

/** EHLO in plain text ('ehlo') or over TLS ('ehlo-tls'); a 5xx to the plain EHLO falls back to HELO. */
export async function ehlo(session: ProbeSession, name: 'ehlo' | 'ehlo-tls'): Promise<StepResult> {
  const { recorder, options, facts } = session;
  const helo = options.heloName ?? defaultHeloName();
  const stage = recorder.begin(name);
  const reply = await command(session, `EHLO ${helo}`, stage, name);
  if (reply === DONE) return DONE;
  if (reply.code === 421) return serviceUnavailable(session, stage, reply, 'EHLO');
  if (reply.code !== 250) {
    stage.end('failed', `${reply.code} ${reply.lines[0] ?? ''}`);
    if (name === 'ehlo-tls' || reply.code < 500) {
      return recorder.stop(F.SMTP_PROTOCOL_ERROR, `The server answered EHLO with ${reply.code}.`, [replyText(reply)], reply);
    }
    recorder.fail(F.SMTP_EHLO_REJECTED, `The server refused EHLO (${reply.code}); falling back to HELO.`, [replyText(reply)]);
    return heloFallback(session, helo);
  }
  const parsed = parseEhlo(reply.lines);
  stage.end('ok', `250 ${reply.lines[0] ?? ''}`);
  if (name === 'ehlo') {
    facts.capabilities = parsed.capabilities;
    facts.starttlsOffered = session.mode === 'starttls' && parsed.capabilities.starttls;
    facts.ehloHost = parsed.greetingHost;
    const ehloHost = parsed.greetingHost ? normalHost(parsed.greetingHost) : undefined;
    if (ehloHost && !isIP(options.host) && ehloHost !== normalHost(options.host) && ehloHost !== facts.bannerHost) {
      recorder.fail(F.SMTP_HOSTNAME_DIFFERS, `The server calls itself ${ehloHost} in its EHLO reply, not ${options.host}.`, [`250 ${reply.lines[0] ?? ''}`]);
    }
  } else {
    facts.capabilitiesTls = parsed.capabilities;
  }
  const auth = parsed.capabilities.auth;
  // AUTH in plain text is only worth a word when TLS will not come first.
  if (auth.length > 0 && (name === 'ehlo-tls' || session.mode === 'implicit-tls' || !facts.starttlsOffered)) {
    recorder.fail(F.SMTP_AUTH_OFFERED, `The server offers AUTH ${auth.join(' ')}${name === 'ehlo-tls' ? ' over TLS' : ''}.`, [`AUTH ${auth.join(' ')}`]);
  }
  return undefined;
}

/** HELO after a refused EHLO: an old server still talks, with no capabilities beyond its name. */
async function heloFallback(session: ProbeSession, helo: string): Promise<StepResult> {
  const stage = session.recorder.begin('helo');
  const reply = await command(session, `HELO ${helo}`, stage, 'helo');
  if (reply === DONE) return DONE;
  if (reply.code === 421) return serviceUnavailable(session, stage, reply, 'HELO');
  if (reply.code !== 250) {
    stage.end('failed', `${reply.code}`);
    return session.recorder.stop(F.SMTP_PROTOCOL_ERROR, `The server refused HELO too (${reply.code}).`, [replyText(reply)], reply);
  }
  stage.end('ok', `250 ${reply.lines[0] ?? ''}`);
  session.facts.capabilities = parseEhlo([reply.lines[0] ?? '']).capabilities;
  return undefined;
}

/** A host name as compared: lower case, without the root dot. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}
