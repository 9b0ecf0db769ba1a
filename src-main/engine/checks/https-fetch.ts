import { httpsRequest } from '../net/https-request';

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
  /** Cancelling the check ends the fetch at once (socket destroyed). */
  readonly signal?: AbortSignal;
}

export type HttpsGetResult =
  | { readonly ok: true; readonly status: number; readonly contentType: string; readonly location?: string; readonly body: string; readonly trustedByExtraCa?: boolean }
  | { readonly ok: false; readonly error: string };

export type FetchHttps = (request: HttpsGetRequest) => Promise<HttpsGetResult>;

export const fetchHttps: FetchHttps = async (req) => {
  const address = req.addresses[0];
  if (!address) return { ok: false, error: `${req.host} has no address` };
  const result = await httpsRequest({
    connectTo: address,
    hostName: req.host,
    port: req.port,
    path: req.path,
    method: 'GET',
    headers: { accept: 'text/plain' },
    caCertificates: req.caCertificates,
    timeoutMs: req.timeoutMs,
    maxBytes: req.maxBytes,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  if (!result.ok) return { ok: false, error: result.error };
  return {
    ok: true,
    status: result.status,
    contentType: result.headers['content-type'] ?? '',
    ...(result.headers['location'] ? { location: result.headers['location'] } : {}),
    body: result.body.toString('utf8'),
    trustedByExtraCa: result.trustedByExtraCa,
  };
};
