import pLimit from 'p-limit';
import type { ProbeReport } from '../contract/probe';
import { systemClock, type Clock } from './clock';
import { createResolver, type ResolverOptions } from './dns/create-resolver';
import type { DnsCacheLimits } from './dns/cache';
import type { Resolver } from './dns/resolver';
import type { ProbeOptions } from './smtp/options';
import { probeSmtp } from './smtp/probe';
import { nodeSocketFactory, type SocketFactory } from './smtp/socket-factory';
import { createTrustStore, type TrustStore } from './tls/trust-store';
import { openSslPathValidator, type PathValidator } from './tls/path-validator';

/**
 * How much of a hostile DNS answer the engine acts on. Real MTAs bound this
 * too: Postfix tries at most 5 addresses per delivery (smtp_mx_address_limit)
 * and opens at most 2 sessions (smtp_mx_session_limit); Exchange Online and
 * Exim likewise give up after a handful of hosts. A diagnosis wants to see
 * every host a sender might use, so the limits here are wider than a sender's,
 * but fixed: 40 MX hosts of 100 addresses each start at most
 * maxMxHosts × maxAddressesPerHost probes, `concurrency` at a time.
 */
export interface EngineBounds {
  /** MX hosts (in preference order) whose addresses, TLSA and PTR records are looked up and that are probed. */
  readonly maxMxHosts: number;
  /** Addresses of one host that are probed (and reverse-looked-up), in the order DNS gave them, IPv4 first. */
  readonly maxAddressesPerHost: number;
  /** Network steps (DNS lookups, SMTP conversations) running at once in the whole session. */
  readonly concurrency: number;
}

export const DEFAULT_ENGINE_BOUNDS: EngineBounds = { maxMxHosts: 10, maxAddressesPerHost: 4, concurrency: 16 };

/** What a probe of one address needs from the caller; trust, sockets, clock and limiter come from the context. */
export type AddressProbeOptions = Omit<ProbeOptions, 'socketFactory' | 'trust' | 'publicCas' | 'trustStore' | 'clock' | 'limit' | 'pathValidator'>;

export interface EngineContextOptions {
  /** The resolver to use as is (tests); otherwise one is made from `dns`, with the session's cache and limiter. */
  readonly resolver?: Resolver;
  readonly dns?: Omit<ResolverOptions, 'clock' | 'limit' | 'cacheLimits'>;
  readonly dnsCacheLimits?: Partial<DnsCacheLimits>;
  readonly clock?: Clock;
  readonly socketFactory?: SocketFactory;
  /** PEM texts of extra CA certificates (--ca-file, Settings): trusted by this tool only, a private CA. */
  readonly caCertificates?: readonly string[];
  /** PEM texts of CA certificates predictions treat as if Exchange Online trusted them (--public-ca, Settings): a rehearsal. */
  readonly publicCaCertificates?: readonly string[];
  readonly bounds?: Partial<EngineBounds>;
  /** Certificate path validation (default: OpenSSL during the handshake, against Node's roots plus `caCertificates`). */
  readonly pathValidator?: PathValidator;
}

/**
 * One per app session (while the network settings stay the same) or CLI run:
 * everything that is expensive to make or must be shared to be bounded.
 * Check and probe code gets it instead of building resolvers, trust stores
 * and sockets of its own.
 */
export interface EngineContext {
  readonly clock: Clock;
  /** Cached (bounded, TTLs honoured), every lookup under `limit`. */
  readonly resolver: Resolver;
  readonly socketFactory: SocketFactory;
  readonly caCertificates: readonly string[];
  readonly publicCaCertificates: readonly string[];
  /** Node's roots plus `caCertificates` and `publicCaCertificates`, parsed once. */
  readonly trustStore: TrustStore;
  readonly pathValidator: PathValidator;
  /** The one concurrency limiter every network step runs under. */
  readonly limit: <T>(work: () => Promise<T>) => Promise<T>;
  readonly bounds: EngineBounds;
  /**
   * Probes one address with the context's trust, sockets, clock and limiter.
   * Within one run the same probe (host, address, port and options) is made
   * once: a host listed under two MX names, or asked for twice, costs one
   * conversation.
   */
  probe(options: AddressProbeOptions): Promise<ProbeReport>;
  /** The same session (DNS cache, trust, limiter) with an empty probe-result cache: one per check or probe job. */
  startRun(): EngineContext;
}

export function createEngineContext(options: EngineContextOptions = {}): EngineContext {
  const clock = options.clock ?? systemClock;
  const bounds: EngineBounds = { ...DEFAULT_ENGINE_BOUNDS, ...options.bounds };
  const limiter = pLimit(bounds.concurrency);
  const limit = <T>(work: () => Promise<T>): Promise<T> => limiter(work);
  const caCertificates = [...(options.caCertificates ?? [])];
  // Made on first use: a context that never asks DNS (probing an address) needs no DNS server configured.
  let madeResolver: Resolver | undefined = options.resolver;
  const resolverOf = (): Resolver => {
    madeResolver ??= createResolver({
      timeoutMs: 10_000,
      ...options.dns,
      clock,
      limit,
      ...(options.dnsCacheLimits ? { cacheLimits: options.dnsCacheLimits } : {}),
    });
    return madeResolver;
  };
  const publicCaCertificates = [...(options.publicCaCertificates ?? [])];
  const trustStore = createTrustStore(caCertificates, { rehearsalPems: publicCaCertificates });
  const socketFactory = options.socketFactory ?? nodeSocketFactory;
  const pathValidator = options.pathValidator ?? openSslPathValidator([...caCertificates, ...publicCaCertificates]);

  const newRun = (): EngineContext => {
    const probes = new Map<string, Promise<ProbeReport>>();
    const context: EngineContext = {
      clock, socketFactory, caCertificates, publicCaCertificates, trustStore, pathValidator, limit, bounds,
      get resolver() { return resolverOf(); },
      probe(probeOptions) {
        const key = probeKey(probeOptions);
        const cached = probes.get(key);
        if (cached) return cached;
        const pending = probeSmtp({ ...probeOptions, socketFactory, trust: caCertificates, publicCas: publicCaCertificates, trustStore, pathValidator, clock, limit });
        probes.set(key, pending);
        // A cancelled probe says nothing about the server: the next ask probes again.
        void pending.then((report) => {
          if (report.findings.some((f) => f.code === 'SMTP_PROBE_CANCELLED')) probes.delete(key);
        }, () => probes.delete(key));
        return pending;
      },
      startRun: newRun,
    };
    return context;
  };
  return newRun();
}

/** What makes two probes the same conversation (callbacks, signals and lookups in flight do not). */
function probeKey(options: AddressProbeOptions): string {
  return JSON.stringify([
    options.host.toLowerCase().replace(/\.$/, ''), options.address, options.port, options.mode ?? 'starttls', options.heloName ?? '',
    options.mandatoryTls === true, options.plaintextOnly === true, options.rcpt ?? '', options.mailFrom ?? '', options.tlsDomain ?? '', options.tlsSenderCertificateName ?? '',
    options.acceptedDomains ?? [], options.timeouts ?? {}, options.limits ?? {},
  ]);
}
