import { request } from 'node:https';
import type { ClientRequest } from 'node:http';
import { isIP } from 'node:net';
import { rootCertificates, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';

/**
 * One HTTPS request with the house rules, shared by the MTA-STS policy fetch
 * (checks/https-fetch) and DNS over HTTPS (dns/transport): Node's root store
 * plus the user's extra CAs (--ca-file) as trust anchors, certificate and name
 * verified, no redirect followed (node:https never follows one), one deadline
 * for the whole exchange (connect, TLS, headers and body), the body bounded,
 * cancellable, and the socket destroyed whatever the outcome. Never rejects.
 */
export interface HttpsRequestOptions {
  /** Where to connect: a name (resolved by the system) or an address from our own resolver. */
  readonly connectTo: string;
  /** The name the certificate must carry (SNI and verification); also the Host header. */
  readonly hostName: string;
  readonly port: number;
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** Extra PEM trust anchors, added to Node's built-in roots. */
  readonly caCertificates: readonly string[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

export type HttpsResponse =
  | {
    readonly ok: true; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: Buffer;
    /** The server's chain was trusted through one of the extra CAs (--ca-file), not a public root. */
    readonly trustedByExtraCa: boolean;
  }
  | { readonly ok: false; readonly error: string; readonly timedOut: boolean; readonly cancelled: boolean };

/** Node's roots plus the extra CAs; when there are none, Node's default store (same roots, no copy). */
function trustAnchors(extra: readonly string[]): { ca?: string[] } {
  return extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {};
}

export function httpsRequest(options: HttpsRequestOptions): Promise<HttpsResponse> {
  return new Promise<HttpsResponse>((resolve) => {
    let settled = false;
    let outgoing: ClientRequest | undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (result: HttpsResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outgoing?.destroy();
      resolve(result);
    };
    const failed = (error: string): HttpsResponse => ({ ok: false, error, timedOut: false, cancelled: false });
    const onAbort = (): void => finish({ ok: false, error: 'cancelled', timedOut: false, cancelled: true });
    const timer = setTimeout(() => finish({ ok: false, error: `no complete answer within ${options.timeoutMs} ms`, timedOut: true, cancelled: false }), options.timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const hostHeader = options.port === 443 ? options.hostName : `${options.hostName}:${options.port}`;
    try {
      outgoing = request({
        host: options.connectTo,
        // SNI carries names only (RFC 6066); for an address, Node checks the certificate against `host`.
        ...(isIP(options.hostName) === 0 ? { servername: options.hostName } : {}),
        port: options.port,
        path: options.path,
        method: options.method,
        headers: { host: hostHeader, 'user-agent': 'mailflow-doctor', ...options.headers, ...(options.body ? { 'content-length': String(options.body.length) } : {}) },
        ...trustAnchors(options.caCertificates),
        rejectUnauthorized: true,
        agent: false,
      }, (response) => {
        const trustedByExtraCa = signedByExtraCa(response.socket as TLSSocket, options.caCertificates);
        response.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > options.maxBytes) return finish(failed(`the response is larger than ${options.maxBytes} bytes`));
          chunks.push(chunk);
        });
        response.on('end', () => finish({ ok: true, status: response.statusCode ?? 0, headers: flatHeaders(response.headers), body: Buffer.concat(chunks), trustedByExtraCa }));
        response.on('error', (error) => finish(failed(error.message)));
        response.on('close', () => finish(failed('the connection closed before the whole response arrived')));
      });
    } catch (error) {
      return finish(failed(error instanceof Error ? error.message : String(error)));
    }
    outgoing.on('error', (error) => finish(failed(describeHttpsError(error, options.hostName))));
    outgoing.end(options.body ? Buffer.from(options.body) : undefined);
  });
}

/**
 * Whether the verified chain rests on one of the user's extra CAs: a presented
 * certificate that is one of them or is signed by one. Such a server is trusted
 * by this tool only, not by senders on the internet (issue 8).
 */
function signedByExtraCa(socket: TLSSocket, extra: readonly string[]): boolean {
  if (extra.length === 0) return false;
  try {
    const anchors = extra.map((pem) => new X509Certificate(pem));
    const presented: X509Certificate[] = [];
    let current = socket.getPeerCertificate(true);
    for (let depth = 0; depth < 10 && current?.raw; depth++) {
      presented.push(new X509Certificate(current.raw));
      if (current.issuerCertificate === current) break;
      current = current.issuerCertificate;
    }
    return presented.some((cert) => anchors.some((anchor) => cert.fingerprint256 === anchor.fingerprint256 || (cert.checkIssued(anchor) && cert.verify(anchor.publicKey))));
  } catch {
    return false;
  }
}

function flatHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Certificate and connection errors in words a mail admin can act on. */
export function describeHttpsError(error: Error & { code?: string }, host: string): string {
  switch (error.code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `the certificate is not valid for ${host}`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the certificate is not trusted (${error.code}); add your CA with --ca-file if it is private`;
    case 'CERT_HAS_EXPIRED': return 'the certificate has expired';
    case 'ECONNREFUSED': return 'connection refused';
    default: return error.code ? `${error.message} (${error.code})` : error.message;
  }
}
