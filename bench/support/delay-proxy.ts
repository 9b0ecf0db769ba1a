import { createSocket, type RemoteInfo } from 'node:dgram';
import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * Loopback proxies that add a fixed delay, to measure how a check behaves on
 * a real network (every exchange costs one round trip) without leaving the
 * machine.
 *
 * - `startUdpDelayProxy`: each datagram from the upstream back to the client
 *   is held `delayMs` (one DNS exchange = one delay).
 * - `startTcpDelayProxy`: a byte-stream proxy; every chunk from the upstream
 *   is held `delayMs` (and, if `delayRequests`, every chunk from the client
 *   too). Order is kept. One request/reply turn costs one delay, so it fits
 *   DNS over TCP and, line by line, SMTP.
 * - `startDnsDelayProxy`: both on one port, as DNS needs.
 *
 * Listens on 127.0.0.1 only.
 */
export interface Upstream {
  readonly host: string;
  readonly port: number;
}

export interface DelayProxyOptions {
  readonly upstream: Upstream;
  readonly delayMs: number;
  /** Port to listen on (0 = random). */
  readonly port?: number;
}

export interface RunningProxy {
  readonly port: number;
  /** Milliseconds since the proxy started at which each exchange (request) arrived. */
  readonly arrivals: number[];
  close(): Promise<void>;
}

const later = (ms: number, fn: () => void): void => { setTimeout(fn, ms); };

export async function startUdpDelayProxy(options: DelayProxyOptions): Promise<RunningProxy> {
  const started = performance.now();
  const arrivals: number[] = [];
  const front = createSocket('udp4');
  const backs = new Set<ReturnType<typeof createSocket>>();
  front.on('message', (message: Buffer, client: RemoteInfo) => {
    arrivals.push(performance.now() - started);
    // One upstream socket per exchange, so replies find their client.
    const back = createSocket('udp4');
    backs.add(back);
    const done = (): void => { backs.delete(back); back.close(); };
    const guard = setTimeout(done, 30_000);
    back.on('message', (reply: Buffer) => {
      clearTimeout(guard);
      done();
      later(options.delayMs, () => front.send(reply, client.port, client.address));
    });
    back.on('error', () => { clearTimeout(guard); done(); });
    back.send(message, options.upstream.port, options.upstream.host);
  });
  await new Promise<void>((resolve) => front.bind(options.port ?? 0, '127.0.0.1', resolve));
  return {
    port: front.address().port,
    arrivals,
    close: async () => { for (const b of backs) b.close(); front.close(); },
  };
}

export async function startTcpDelayProxy(options: DelayProxyOptions & { readonly delayRequests?: boolean }): Promise<RunningProxy> {
  const started = performance.now();
  const arrivals: number[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => { sockets.add(s); s.on('close', () => sockets.delete(s)); };
  const server: Server = createServer((client) => {
    track(client);
    const upstream = connect(options.upstream.port, options.upstream.host);
    track(upstream);
    client.on('data', (chunk: Buffer) => {
      arrivals.push(performance.now() - started);
      if (options.delayRequests) later(options.delayMs, () => upstream.write(chunk));
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => later(options.delayMs, () => { if (!client.destroyed) client.write(chunk); }));
    const closeBoth = (): void => { later(options.delayMs, () => { client.destroy(); upstream.destroy(); }); };
    client.on('end', closeBoth);
    upstream.on('end', closeBoth);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    arrivals,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** UDP and TCP delay proxies on the same port (retrying until one is free for both). */
export async function startDnsDelayProxy(options: DelayProxyOptions): Promise<RunningProxy> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = await startUdpDelayProxy(options);
    try {
      const tcp = await startTcpDelayProxy({ ...options, port: udp.port });
      return {
        port: udp.port,
        get arrivals() { return [...udp.arrivals, ...tcp.arrivals].sort((a, b) => a - b); },
        close: async () => { await udp.close(); await tcp.close(); },
      };
    } catch {
      await udp.close();
    }
  }
  throw new Error('no free UDP+TCP port pair');
}
