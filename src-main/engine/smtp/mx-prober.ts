import type { ProbeReport } from '../../contract/probe';
import type { DnsAnswer, DnsRecordOf, DnssecStatus } from '../../contract/dns';
import { dnssecStatus, resolverValidation } from '../dns/dnssec';
import type { Resolver } from '../dns/resolver';
import type { TlsaRecord } from '../tls/dane';
import type { ProbeOptions } from './options';
import { probeSmtp } from './probe';

/** One MX as the check knows it once its addresses are resolved. */
export interface MxToProbe {
  readonly host: string;
  readonly preference: number;
  readonly addresses: readonly string[];
  /**
   * The TLSA answer of `_<port>._tcp.<host>` when the caller already looks it up
   * (the check does, for its DANE findings): used instead of a second lookup.
   */
  readonly tlsa?: Promise<DnsAnswer>;
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
    const tlsaAnswer = mx.tlsa ?? (options.resolver ? options.resolver.query(`_${port}._tcp.${host}`, 'TLSA', options.signal ? { signal: options.signal } : {}) : undefined);
    const tlsaLookup = tlsaAnswer?.then((answer) => tlsaOf(answer, options.resolver));
    return Promise.all(mx.addresses.map((address) => probeSmtp({
      ...options,
      host,
      address,
      port,
      ...(tlsaLookup ? { tlsaLookup } : {}),
    })));
  };
}

/**
 * The TLSA records and their DNSSEC state: the check's own judgement when it
 * made one; otherwise, for records without AD, whether the resolver validates
 * at all is asked once (issue 8: "unknown" is not "unsigned").
 */
async function tlsaOf(answer: DnsAnswer, resolver: Resolver | undefined): Promise<{ records: TlsaRecord[]; authenticated: boolean; dnssec?: DnssecStatus }> {
  const records = answer.outcome === 'answer'
    ? answer.records.filter((r): r is DnsRecordOf<'TLSA'> => r.type === 'TLSA')
    : [];
  if (answer.dnssec || records.length === 0) return { records, authenticated: answer.authenticated, ...(answer.dnssec ? { dnssec: answer.dnssec } : {}) };
  const validation = answer.authenticated || !resolver ? undefined : await resolverValidation(resolver).catch(() => undefined);
  return { records, authenticated: answer.authenticated, dnssec: dnssecStatus(answer, validation) };
}
