import type { ProbeReport } from '../../contract/probe';
import type { DnsRecordOf } from '../../contract/dns';
import type { Resolver } from '../dns/resolver';
import type { TlsaRecord } from '../tls/dane';
import type { ProbeOptions } from './options';
import { probeSmtp } from './probe';

/** One MX as the check knows it once its addresses are resolved. */
export interface MxToProbe {
  readonly host: string;
  readonly preference: number;
  readonly addresses: readonly string[];
}

export interface MxProberOptions extends Omit<ProbeOptions, 'host' | 'address' | 'port' | 'tlsa' | 'tlsaAuthenticated' | 'tlsaLookup'> {
  /** For the TLSA records of `_<port>._tcp.<mx host>`; without it, no DANE. */
  readonly resolver?: Resolver;
  readonly port?: number;
}

/**
 * Probes every address of one MX in parallel (IPv4 and IPv6 alike). The TLSA
 * lookup runs beside the connection and is only awaited once the certificate
 * is in hand, so DANE adds nothing to the critical path.
 */
export function createMxProber(options: MxProberOptions): (mx: MxToProbe) => Promise<ProbeReport[]> {
  const port = options.port ?? 25;
  return async (mx) => {
    const host = mx.host.replace(/\.$/, '');
    const tlsaLookup = options.resolver ? lookupTlsa(options.resolver, `_${port}._tcp.${host}`, options.signal) : undefined;
    return Promise.all(mx.addresses.map((address) => probeSmtp({
      ...options,
      host,
      address,
      port,
      ...(tlsaLookup ? { tlsaLookup } : {}),
    })));
  };
}

async function lookupTlsa(resolver: Resolver, name: string, signal?: AbortSignal): Promise<{ records: TlsaRecord[]; authenticated: boolean }> {
  const answer = await resolver.query(name, 'TLSA', signal ? { signal } : {});
  const records = answer.outcome === 'answer'
    ? answer.records.filter((r): r is DnsRecordOf<'TLSA'> => r.type === 'TLSA')
    : [];
  return { records, authenticated: answer.authenticated };
}
