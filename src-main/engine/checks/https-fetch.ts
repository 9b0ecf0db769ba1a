import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import { isIPv6 } from 'node:net';

/**
 * One HTTPS GET under RFC 8461's rules for fetching an MTA-STS policy: the
 * certificate must be valid for the host name (extra trust anchors allowed:
 * --ca-file), only status 200 counts, redirects are not followed, the body is
 * bounded and the whole fetch has a deadline. The address comes from our own
 * resolver, so `--dns-server` applies to the fetch too.
 */
export interface HttpsGetRequest {
  readonly host: string;
  /** Addresses of `host`, from our resolver; the first is used. */
  readonly addresses: readonly string[];
  readonly port: number;
  readonly path: string;
  /** Extra PEM trust anchors, added to Node's built-in roots. */
  readonly caCertificates: readonly string[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export type HttpsGetResult =
  | { readonly ok: true; readonly status: number; readonly contentType: string; readonly location?: string; readonly body: string }
  | { readonly ok: false; readonly error: string };

export type FetchHttps = (request: HttpsGetRequest) => Promise<HttpsGetResult>;

export const fetchHttps: FetchHttps = (req) => new Promise<HttpsGetResult>((resolve) => {
  const address = req.addresses[0];
  if (!address) return resolve({ ok: false, error: `${req.host} has no address` });
  let settled = false;
  const done = (result: HttpsGetResult): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    resolve(result);
  };
  const outgoing = request({
    host: isIPv6(address) ? address : address,
    servername: req.host,
    port: req.port,
    path: req.path,
    method: 'GET',
    headers: { host: req.port === 443 ? req.host : `${req.host}:${req.port}`, accept: 'text/plain', 'user-agent': 'mailflow-doctor' },
    ca: [...rootCertificates, ...req.caCertificates],
    rejectUnauthorized: true,
    agent: false,
  }, (response) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > req.maxBytes) {
        outgoing.destroy();
        done({ ok: false, error: `the response is larger than ${req.maxBytes} bytes` });
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => done({
      ok: true,
      status: response.statusCode ?? 0,
      contentType: String(response.headers['content-type'] ?? ''),
      ...(response.headers.location ? { location: String(response.headers.location) } : {}),
      body: Buffer.concat(chunks).toString('utf8'),
    }));
    response.on('error', (error) => done({ ok: false, error: error.message }));
  });
  const timer = setTimeout(() => {
    outgoing.destroy();
    done({ ok: false, error: `no complete answer within ${req.timeoutMs} ms` });
  }, req.timeoutMs);
  outgoing.on('error', (error) => done({ ok: false, error: describeTlsError(error, req.host) }));
  outgoing.end();
});

function describeTlsError(error: Error & { code?: string }, host: string): string {
  switch (error.code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return `the certificate is not valid for ${host}`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the certificate is not trusted (${error.code}); add your CA with --ca-file if it is private`;
    case 'CERT_HAS_EXPIRED': return 'the certificate has expired';
    case 'ECONNREFUSED': return 'connection refused';
    default: return error.code ? `${error.message} (${error.code})` : error.message;
  }
}
