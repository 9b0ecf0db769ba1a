import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { isIPv6 } from 'node:net';
import { httpsRequest } from '../net/https-request';
import { sameAddress } from './names';

/**
 * Sending one DNS message and getting one reply, over UDP, TCP or DoH.
 *
 * Why not dns2's UDPClient/TCPClient/DOHClient: its TCP and DoH clients have
 * no deadline and read without a size bound, and none of them lets us see the
 * TC bit and retry over TCP ourselves. So queries are built with dns2's
 * `Packet` (wire.ts) and sent here over node:dgram, node:net (2-octet length
 * prefix, RFC 1035 §4.2.2) and node:https (RFC 8484), each with its own deadline
 * and a bound on every read. A hostile or broken server can neither hang a
 * query past its deadline nor make us buffer more than one DNS message.
 */

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/** Thrown for a deadline that passed; the resolver turns it into outcome `timeout`. */
export class DnsTimeoutError extends Error {
  override readonly name = 'DnsTimeoutError';
}

/** The largest DNS message there can be (16-bit length). */
export const MAX_DNS_MESSAGE = 65_535;

export type Exchange = (query: Buffer, deadlineMs: number, signal?: AbortSignal) => Promise<Buffer>;

function deadlineGuard(deadlineMs: number, signal: AbortSignal | undefined, onExpire: (error: Error) => void): () => void {
  const timer = setTimeout(() => onExpire(new DnsTimeoutError(`no answer within ${deadlineMs} ms`)), deadlineMs);
  const onAbort = (): void => onExpire(new DnsTimeoutError('cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
}

/**
 * The one way an exchange ends: first outcome wins (reply, error, deadline or
 * cancel), the deadline is cleared and the socket closed, whichever came first.
 */
function settleOnce(deadlineMs: number, signal: AbortSignal | undefined, close: () => void, resolve: (reply: Buffer) => void, reject: (error: Error) => void): (error: Error | undefined, reply?: Buffer) => void {
  let settled = false;
  const finish = (error: Error | undefined, reply?: Buffer): void => {
    if (settled) return;
    settled = true;
    release();
    close();
    if (error) reject(error);
    else resolve(reply!);
  };
  const release = deadlineGuard(deadlineMs, signal, (error) => finish(error));
  return finish;
}

/** One UDP exchange: the first datagram from the server whose id matches the query's. */
export function udpExchange(server: ServerAddress): Exchange {
  return (query, deadlineMs, signal) => new Promise<Buffer>((resolve, reject) => {
    const socket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    const finish = settleOnce(deadlineMs, signal, () => socket.close(), resolve, reject);
    socket.on('error', (error) => finish(error));
    socket.on('message', (message, rinfo) => {
      // Only the server we asked, only our transaction id (spoofed or stale datagrams are ignored).
      if (rinfo.port !== server.port || !sameAddress(rinfo.address, server.host) || message.length < 12 || message.readUInt16BE(0) !== query.readUInt16BE(0)) return;
      finish(undefined, message);
    });
    socket.send(query, server.port, server.host, (error) => { if (error) finish(error); });
  });
}

/** One TCP exchange: length-prefixed query, one length-prefixed reply, bounded to one DNS message. */
export function tcpExchange(server: ServerAddress): Exchange {
  return (query, deadlineMs, signal) => new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port });
    let received = Buffer.alloc(0);
    const finish = settleOnce(deadlineMs, signal, () => socket.destroy(), resolve, reject);
    socket.on('error', (error) => finish(error));
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      socket.write(Buffer.concat([prefix, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > MAX_DNS_MESSAGE + 2) return finish(new Error('server sent more than one DNS message'));
      if (received.length < 2) return;
      const length = received.readUInt16BE(0);
      if (received.length >= 2 + length) finish(undefined, received.subarray(2, 2 + length));
    });
    socket.on('end', () => finish(new Error('server closed the TCP connection before a full answer')));
  });
}

/**
 * One DNS-over-HTTPS exchange (RFC 8484 POST), body bounded to one DNS
 * message. Over node:https rather than fetch, so the extra trust anchors
 * (--ca-file) apply to the DoH server's certificate as everywhere else.
 */
export function dohExchange(url: string, caCertificates: readonly string[] = []): Exchange {
  const target = new URL(url);
  const hostName = target.hostname.replace(/^\[|\]$/g, '');
  const port = target.port === '' ? 443 : Number(target.port);
  return async (query, deadlineMs, signal) => {
    const result = await httpsRequest({
      connectTo: hostName,
      hostName,
      port,
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' },
      body: query,
      caCertificates,
      timeoutMs: deadlineMs,
      maxBytes: MAX_DNS_MESSAGE,
      ...(signal ? { signal } : {}),
    });
    if (!result.ok) {
      if (result.timedOut || result.cancelled) throw new DnsTimeoutError(result.cancelled ? 'cancelled' : `no answer within ${deadlineMs} ms`);
      throw new Error(result.error);
    }
    if (result.status !== 200) throw new Error(`DoH server answered HTTP ${result.status}`);
    return result.body;
  };
}
