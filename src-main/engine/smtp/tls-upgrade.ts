import { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import type tls from 'node:tls';
import { PROBE_TLS_SETTINGS, type PathValidator } from '../tls/path-validator';
import type { TrustStore } from '../tls/trust-store';
import { awaitSocketEvent } from './socket-events';
import type { SocketFactory } from './socket-factory';

/**
 * The one TLS upgrade of the probe, for both ways TLS starts: right after
 * connect (port 465) and after the 220 to STARTTLS. It sees everything and
 * judges afterwards: the handshake never fails for a certificate; the path
 * validator's verdict and the presented chain are read after it.
 */
export type HandshakeResult =
  | { readonly ok: true; readonly socket: tls.TLSSocket; readonly handshakeError: string | null }
  | { readonly ok: false; readonly timeout: boolean; readonly message: string; readonly code: string };

export interface HandshakeOptions {
  readonly factory: SocketFactory;
  readonly validator: PathValidator;
  /** SNI; none for an IP address. */
  readonly servername: string | undefined;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Told of the TLS socket as soon as it exists (the probe closes and awaits every socket it made). */
  readonly onSocket: (socket: tls.TLSSocket) => void;
}

export async function upgradeToTls(plain: net.Socket, options: HandshakeOptions): Promise<HandshakeResult> {
  let socket: tls.TLSSocket;
  try {
    socket = options.factory.startTls(plain, {
      ...(options.servername ? { servername: options.servername } : {}),
      rejectUnauthorized: false,
      ...PROBE_TLS_SETTINGS,
      ca: [],
      // A validator that verifies during the handshake (OpenSSL) brings its anchors here.
      ...options.validator.handshakeOptions(),
      // The name is judged by engine/tls (wildcards, IP addresses), not mixed into the path verdict.
      checkServerIdentity: () => undefined,
    });
  } catch (error) {
    return { ok: false, timeout: false, message: error instanceof Error ? error.message : String(error), code: 'TLS' };
  }
  options.onSocket(socket);
  const outcome = await awaitSocketEvent(socket, 'secureConnect', { timeoutMs: options.timeoutMs, signal: options.signal, closeEnds: true });
  switch (outcome.kind) {
    case 'event': return { ok: true, socket, handshakeError: verificationError(socket) };
    case 'error': return { ok: false, timeout: false, message: outcome.message, code: outcome.code };
    case 'closed': return { ok: false, timeout: false, message: 'the server closed the connection during the TLS handshake', code: 'CLOSED' };
    case 'aborted': return { ok: false, timeout: false, message: 'cancelled', code: 'ABORTED' };
    case 'timeout': return { ok: false, timeout: true, message: 'no handshake', code: 'TIMEOUT' };
  }
}

/** What the TLS library said when it verified the chain (OpenSSL's error name, e.g. INVALID_CA); null when it verified. */
function verificationError(socket: tls.TLSSocket): string | null {
  if (socket.authorized) return null;
  const error = socket.authorizationError as unknown;
  if (typeof error === 'string') return error;
  return error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : 'UNKNOWN';
}

/** Most certificates read from one server: a longer chain is not a real one. */
const MAX_PRESENTED = 10;

/**
 * The chain the server presented, leaf first. Node completes the chain it
 * reports with issuers from the anchors the handshake verified against;
 * those are dropped: what the server sent is what matters (a server that
 * also sends its root gains nothing by it).
 */
export function presentedChain(socket: tls.TLSSocket, store: TrustStore): X509Certificate[] {
  const presented: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && presented.length < MAX_PRESENTED) {
    const x509 = new X509Certificate(current.raw);
    if (seen.has(x509.fingerprint256)) break;
    seen.add(x509.fingerprint256);
    presented.push(x509);
    current = current.issuerCertificate;
  }
  while (presented.length > 1 && store.isAnchor(presented[presented.length - 1]!)) presented.pop();
  return presented;
}
