import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { isIPv6 } from 'node:net';

/**
 * Sending one DNS message and getting one reply, over UDP, TCP or DoH.
 *
 * Why not dns2's UDPClient/TCPClient/DOHClient: its TCP and DoH clients have
 * no deadline and read without a size bound, and none of them lets us see the
 * TC bit and retry over TCP ourselves. So queries are built with dns2's
 * `Packet` (wire.ts) and sent here over node:dgram, node:net (2-octet length
 * prefix, RFC 1035 §4.2.2) and fetch (RFC 8484), each with its own deadline
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

/** One UDP exchange: the first datagram from the server whose id matches the query's. */
export function udpExchange(server: ServerAddress): Exchange {
  return (query, deadlineMs, signal) => new Promise<Buffer>((resolve, reject) => {
    const socket = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    let settled = false;
    const finish = (error: Error | undefined, reply?: Buffer): void => {
      if (settled) return;
      settled = true;
      release();
      socket.close();
      if (error) reject(error);
      else resolve(reply!);
    };
    const release = deadlineGuard(deadlineMs, signal, (error) => finish(error));
    socket.on('error', (error) => finish(error));
    socket.on('message', (message, rinfo) => {
      // Only the server we asked, only our transaction id (spoofed or stale datagrams are ignored).
      if (rinfo.port !== server.port || message.length < 12 || message.readUInt16BE(0) !== query.readUInt16BE(0)) return;
      finish(undefined, message);
    });
    socket.send(query, server.port, server.host, (error) => { if (error) finish(error); });
  });
}

/** One TCP exchange: length-prefixed query, one length-prefixed reply, bounded to one DNS message. */
export function tcpExchange(server: ServerAddress): Exchange {
  return (query, deadlineMs, signal) => new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port });
    let settled = false;
    let received = Buffer.alloc(0);
    const finish = (error: Error | undefined, reply?: Buffer): void => {
      if (settled) return;
      settled = true;
      release();
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const release = deadlineGuard(deadlineMs, signal, (error) => finish(error));
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

/** One DNS-over-HTTPS exchange (RFC 8484 POST), body bounded to one DNS message. */
export function dohExchange(url: string): Exchange {
  return async (query, deadlineMs, signal) => {
    const controller = new AbortController();
    let timedOut = false;
    const release = deadlineGuard(deadlineMs, signal, () => { timedOut = true; controller.abort(); });
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' },
        body: new Uint8Array(query),
        redirect: 'error',
        signal: controller.signal,
      });
      if (response.status !== 200) throw new Error(`DoH server answered HTTP ${response.status}`);
      return await readBounded(response, MAX_DNS_MESSAGE);
    } catch (error) {
      if (timedOut) throw new DnsTimeoutError(`no answer within ${deadlineMs} ms`);
      throw error;
    } finally {
      release();
    }
  };
}

async function readBounded(response: Response, limit: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error('DoH answer larger than a DNS message can be');
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
