import type { ProbeReport } from '../../contract/probe';
import type { DnsAnswer } from '../../contract/dns';
import { createEngineContext, type EngineContext } from '../context';
import type { Resolver } from '../dns/resolver';
import type { ProbeOptions } from './options';
import { probeHost } from './probe-host';

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

export interface MxProberOptions extends Omit<ProbeOptions, 'host' | 'address' | 'port' | 'tlsa' | 'tlsaAuthenticated' | 'tlsaLookup' | 'trustStore' | 'limit'> {
  /** For the TLSA records of `_<port>._tcp.<mx host>`; without it, no DANE. */
  readonly resolver?: Resolver;
  readonly port?: number;
  /** The session (trust, sockets, clock, limiter, bounds); without it, one is made from these options. */
  readonly context?: EngineContext;
  /** Also check, on a second connection, whether each address refuses mail before STARTTLS (the app's default). */
  readonly checkRequiredTls?: boolean;
}

/**
 * Probes every address of one MX (IPv4 and IPv6 alike, at most the context's
 * bound), through the engine's one resolve-then-probe function. The TLSA
 * lookup runs beside the connection and is only awaited once the certificate
 * is in hand, so DANE adds nothing to the critical path.
 */
export function createMxProber(options: MxProberOptions): (mx: MxToProbe) => Promise<ProbeReport[]> {
  const { resolver, port = 25, context: given, socketFactory, trust, publicCas, clock, ...probeOptions } = options;
  const context = given ?? createEngineContext({
    ...(resolver ? { resolver } : {}),
    ...(socketFactory ? { socketFactory } : {}),
    ...(clock ? { clock } : {}),
    caCertificates: trust ?? [],
    publicCaCertificates: publicCas ?? [],
  });
  return async (mx) => {
    const result = await probeHost(context, {
      ...probeOptions,
      host: mx.host,
      port,
      addresses: mx.addresses,
      ...(mx.tlsa ? { tlsa: mx.tlsa } : {}),
      dane: resolver !== undefined || given !== undefined,
    });
    return result.probes;
  };
}
