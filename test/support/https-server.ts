import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';

/**
 * A small HTTPS server on 127.0.0.1 (random port) for tests: answers by Host
 * header from a table, with the certificate it is given (from test/support/pki).
 */
export interface HttpsRoute {
  readonly status: number;
  readonly body: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RunningHttpsServer {
  readonly port: number;
  /** Requests seen: `host path`. */
  readonly log: string[];
  close(): Promise<void>;
}

export async function startHttpsServer(options: { certPem: string; keyPem: string; routes: Readonly<Record<string, HttpsRoute>> }): Promise<RunningHttpsServer> {
  const log: string[] = [];
  const server: Server = createServer({ cert: options.certPem, key: options.keyPem }, (request, response) => {
    const host = String(request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    log.push(`${host} ${request.url ?? ''}`);
    const route = request.url === '/.well-known/mta-sts.txt' ? options.routes[host] : undefined;
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(route.status, { 'content-type': route.contentType ?? 'text/plain', ...route.headers }).end(route.body);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    log,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
