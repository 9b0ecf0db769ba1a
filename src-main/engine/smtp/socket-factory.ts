import net from 'node:net';
import tls from 'node:tls';

/**
 * How the probe opens connections; injected so tests and the benchmark can
 * route them (a delay proxy) and the app can add policy. The default uses
 * node:net and node:tls directly.
 */
export interface SocketFactory {
  connect(options: { readonly host: string; readonly port: number }): net.Socket;
  /** Starts TLS on a connected socket (STARTTLS, or port 465 right after connect). */
  startTls(socket: net.Socket, options: tls.ConnectionOptions): tls.TLSSocket;
}

export const nodeSocketFactory: SocketFactory = {
  connect: ({ host, port }) => net.connect({ host, port }),
  startTls: (socket, options) => tls.connect({ ...options, socket }),
};

export type NetworkFailure = 'refused' | 'timeout' | 'unreachable' | 'reset' | 'closed' | 'error';

/** Turns a socket error code into the failure kinds users must tell apart. */
export function classifySocketError(error: unknown): { failure: NetworkFailure; code: string; message: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return { failure: 'refused', code, message };
    case 'ETIMEDOUT':
      return { failure: 'timeout', code, message };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return { failure: 'unreachable', code, message };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return { failure: 'reset', code, message };
    default:
      return { failure: 'error', code, message };
  }
}
