import { setMaxListeners } from 'node:events';
import type { DnsAnswer } from '../../contract/dns';
import {
  PartnerStatusSchema, type PartnerEntry, type PartnerMessage, type PartnerResult, type PartnerRunSummary, type PartnerStatus,
} from '../../contract/partners';
import type { Clock } from '../clock';
import { addressesOf, isFailedOutcome } from '../dns/answers';
import type { Resolver } from '../dns/resolver';
import { outcomeWords } from '../checks/context';
import { sortedMx } from '../checks/mx';
import { createEngineContext } from '../context';
import { createMxProber, type MxProberOptions } from '../smtp/mx-prober';
import { assessPartner, type DomainObservation, type MxObservation, type PartnerAssessment } from './assess';
import { createSharedProber, type SharedProber } from './probe-cache';
import { createSpfFlattener, type FlattenSpf } from './spf-ranges';

/**
 * A run over a partner list: for each partner its MX hosts and their
 * addresses, one shared SMTP probe per MX host/address/port for the whole run,
 * the SPF ranges for inbound partners, then the assessment.
 *
 * Memory stays bounded whatever the list length: partners are pulled by a
 * fixed pool of workers, each answer is handed to `onResult` as soon as it is
 * known and only counts are kept; the probe cache is bounded, and the DNS
 * resolver (whose cache lives as long as it does) is renewed every
 * `resolverBatch` partners.
 *
 * Cancelling (the signal) stops new work and drops partners still in flight;
 * every answer already handed out stays valid. When the first connections all
 * time out and none answered, port 25 is most likely blocked from this
 * network: the run stops with that one explanation instead of a timeout per
 * partner.
 */
export interface PartnerRunDeps {
  /** Makes the resolver; called again every `resolverBatch` partners. */
  readonly newResolver: () => Resolver;
  readonly clock: Clock;
  /** How each address is probed (HELO name, timeouts, trust, socket factory...). */
  readonly probe: Omit<MxProberOptions, 'resolver' | 'signal' | 'port' | 'tlsDomain' | 'tlsSenderCertificateName' | 'onProgress'>;
  /** SMTP port of the MX hosts (25; tests and the lab use another). */
  readonly port?: number;
  /** Partners checked at once, and connections at once in all (default 16). */
  readonly concurrency?: number;
  /** Connections at once to one address (default 2). */
  readonly perAddressLimit?: number;
  /** Partners whose first certificate expires within this many days get a warning (default 30). */
  readonly expiryWindowDays?: number;
  /** SPF flattening for inbound partners; default: the simple flatten over the run's resolver. */
  /** Rehearsal (`--public-ca`): one-line subjects of CAs treated as publicly trusted (see assess.ts). */
  readonly rehearsalAnchors?: readonly string[];
  readonly flattenSpf?: (resolver: Resolver, signal: AbortSignal) => FlattenSpf;
  /** The message to the partner (the report layer's composer); none when absent. */
  readonly compose?: (assessment: PartnerAssessment & { readonly checkedAt: string }) => PartnerMessage | null;
  readonly signal?: AbortSignal;
  readonly onResult: (result: PartnerResult) => void | Promise<void>;
  readonly onProgress?: (progress: PartnerRunProgress) => void;
  /** Connect timeouts, with no connection at all, after which port 25 is taken as blocked (default 6). */
  readonly blockedAfter?: number;
  readonly resolverBatch?: number;
  /** MX hosts per domain and addresses per host probed, as real MTAs cap them. */
  readonly maxMxHosts?: number;
  readonly maxAddressesPerHost?: number;
}

export interface PartnerRunProgress {
  readonly done: number;
  readonly total: number;
  readonly notReady: number;
  readonly elapsedMs: number;
  readonly last?: { readonly domain: string; readonly status: PartnerStatus };
}

const NOT_READY: ReadonlySet<PartnerStatus> = new Set(['not-ready', 'unreachable', 'no-mail']);

export const PORT25_BLOCKED_EXPLANATION =
  'Port 25 looks blocked from this network: the first connections to partner mail servers all timed out and none answered. ' +
  'Home, office and cloud networks often block outgoing port 25. Run the check from a server that may connect to port 25 ' +
  '(or ask your network team to allow it), then run again.';

export async function runPartners(partners: readonly PartnerEntry[], deps: PartnerRunDeps): Promise<PartnerRunSummary> {
  const startedAt = deps.clock.now();
  const concurrency = Math.max(1, Math.min(64, deps.concurrency ?? 16));
  const port = deps.port ?? 25;
  const expiryWindowDays = deps.expiryWindowDays ?? 30;
  const blockedAfter = deps.blockedAfter ?? 6;
  const resolverBatch = deps.resolverBatch ?? 1000;
  const maxMxHosts = deps.maxMxHosts ?? 10;
  const maxAddresses = deps.maxAddressesPerHost ?? 4;
  const inner = new AbortController();
  // Every probe and lookup in flight listens to it: as many as the concurrency allows.
  setMaxListeners(0, inner.signal);
  const onOuterAbort = (): void => inner.abort();
  if (deps.signal?.aborted) inner.abort();
  else deps.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = inner.signal;

  let resolver = deps.newResolver();
  let resolverUses = 0;
  const currentResolver = (): Resolver => {
    if (++resolverUses > resolverBatch) {
      resolver = deps.newResolver();
      resolverUses = 1;
    }
    return resolver;
  };
  let stoppedBecause: string | undefined;
  /**
   * One engine context for the whole run: the trust store, the OpenSSL secure
   * context and the socket factory are made once, not per probe (they were most
   * of a probe's CPU). Its DNS is the run's resolver (renewed in batches), its
   * limiter as wide as the run's own global cap.
   */
  const { trust = [], publicCas = [], clock: probeClock, socketFactory, ...probeOptions } = deps.probe;
  const context = createEngineContext({
    resolver: { label: 'partner run', query: (name, type, options) => resolver.query(name, type, options) },
    caCertificates: trust,
    publicCaCertificates: publicCas,
    clock: probeClock ?? deps.clock,
    ...(socketFactory ? { socketFactory } : {}),
    bounds: { concurrency, maxMxHosts, maxAddressesPerHost: maxAddresses },
  });
  const prober: SharedProber = createSharedProber({
    globalLimit: concurrency,
    perAddressLimit: deps.perAddressLimit ?? 2,
    probe: async (target) => {
      // startRun(): the session's trust and limiter, without its per-run probe cache (the shared prober is the run's bounded cache).
      const [report] = await createMxProber({ ...probeOptions, context: context.startRun(), port: target.port, signal })({ host: target.host, preference: 0, addresses: [target.address] });
      if (!report) throw new Error('the probe returned no report');
      const stats = prober.stats();
      // Stats are read before this probe is counted: count it here.
      const timedOut = report.findings.some((f) => f.code === 'SMTP_CONNECT_TIMEOUT');
      if (timedOut && stats.connected === 0 && stats.otherFailures === 0 && stats.connectTimeouts + 1 >= blockedAfter && !signal.aborted) {
        stoppedBecause = PORT25_BLOCKED_EXPLANATION;
        inner.abort();
      }
      return report;
    },
  });

  const counts = Object.fromEntries(PartnerStatusSchema.options.map((s) => [s, 0])) as Record<PartnerStatus, number>;
  let done = 0;
  let notReady = 0;
  let expiringSoon = 0;
  let next = 0;

  const checkOne = async (partner: PartnerEntry): Promise<PartnerResult | null> => {
    const t0 = deps.clock.now();
    const r = currentResolver();
    const flatten = inboundUsed(partner) ? (deps.flattenSpf ?? createSpfFlattener)(r, signal) : undefined;
    const [observed, spf] = await Promise.all([
      observe(partner, r, prober, { port, signal, maxMxHosts, maxAddresses }),
      flatten ? flatten(partner.domain) : Promise.resolve(undefined),
    ]);
    if (signal.aborted) return null;
    const assessment = assessPartner({ ...observed, ...(spf ? { spf } : {}), expiryWindowDays, ...(deps.rehearsalAnchors ? { rehearsalAnchors: deps.rehearsalAnchors } : {}) });
    const checkedAt = new Date(t0).toISOString();
    return {
      ...assessment,
      checkedAt,
      elapsedMs: Math.round(deps.clock.now() - t0),
      message: deps.compose?.({ ...assessment, checkedAt }) ?? null,
    };
  };

  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < partners.length) {
      const partner = partners[next++]!;
      const result = await checkOne(partner);
      if (!result || signal.aborted) return;
      counts[result.status] += 1;
      const doneNow = ++done;
      if (NOT_READY.has(result.status)) notReady += 1;
      const notReadyNow = notReady;
      if (result.daysToExpiry !== null && result.daysToExpiry <= expiryWindowDays) expiringSoon += 1;
      await deps.onResult(result);
      deps.onProgress?.({ done: doneNow, total: partners.length, notReady: notReadyNow, elapsedMs: deps.clock.now() - startedAt, last: { domain: result.domain, status: result.status } });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, partners.length) }, worker));
  } finally {
    deps.signal?.removeEventListener('abort', onOuterAbort);
  }
  const stats = prober.stats();
  return {
    total: partners.length,
    done,
    counts,
    expiringSoon,
    expiryWindowDays,
    cancelled: signal.aborted && stoppedBecause === undefined,
    ...(stoppedBecause ? { stoppedBecause } : {}),
    probes: stats.probes,
    probesReused: stats.reused,
    elapsedMs: Math.round(deps.clock.now() - startedAt),
  };
}

const inboundUsed = (partner: PartnerEntry): boolean => partner.direction !== 'outbound';

/** DNS for one partner, then its MX addresses through the shared prober. */
async function observe(
  partner: PartnerEntry, resolver: Resolver, prober: SharedProber,
  options: { readonly port: number; readonly signal: AbortSignal; readonly maxMxHosts: number; readonly maxAddresses: number },
): Promise<Omit<DomainObservation, 'expiryWindowDays' | 'spf'>> {
  const q = (name: string, type: 'MX' | 'A' | 'AAAA'): Promise<DnsAnswer> => resolver.query(name, type, { signal: options.signal });
  const dnsProblems: string[] = [];
  const failure = (a: DnsAnswer): string => `The lookup of ${a.name} ${a.type} failed: ${outcomeWords(a)}.`;
  const mxAnswer = await q(partner.domain, 'MX');
  const empty = { partner, dnsProblems, mx: [] as MxObservation[] };
  if (isFailedOutcome(mxAnswer.outcome)) return { ...empty, dns: 'dns-failed', dnsProblems: [failure(mxAnswer)] };
  if (mxAnswer.outcome === 'nxdomain') return { ...empty, dns: 'nxdomain' };
  const records = sortedMx(mxAnswer);
  let hosts: { host: string; preference: number }[];
  if (records.length === 0) {
    // No MX: senders use the domain's own address (RFC 5321 §5.1, the implicit MX).
    const [a, aaaa] = await Promise.all([q(partner.domain, 'A'), q(partner.domain, 'AAAA')]);
    if (addressesOf(a, aaaa).length === 0) {
      if (isFailedOutcome(a.outcome)) return { ...empty, dns: 'dns-failed', dnsProblems: [failure(a)] };
      return { ...empty, dns: 'no-mail' };
    }
    dnsProblems.push(`${partner.domain} has no MX record; mail goes to the domain's own address.`);
    hosts = [{ host: partner.domain, preference: 0 }];
  } else {
    const real = records.filter((r) => r.exchange !== '');
    if (real.length === 0) return { ...empty, dns: 'null-mx' };
    const seen = new Set<string>();
    hosts = real.filter((r) => !seen.has(r.exchange) && Boolean(seen.add(r.exchange))).map((r) => ({ host: r.exchange.replace(/\.$/, ''), preference: r.preference }));
    if (hosts.length > options.maxMxHosts) {
      dnsProblems.push(`${partner.domain} has ${hosts.length} MX hosts; the first ${options.maxMxHosts} were tested.`);
      hosts = hosts.slice(0, options.maxMxHosts);
    }
  }
  const mx = await Promise.all(hosts.map(async (h): Promise<MxObservation> => {
    const [a, aaaa] = await Promise.all([q(h.host, 'A'), q(h.host, 'AAAA')]);
    for (const answer of [a, aaaa]) if (isFailedOutcome(answer.outcome)) dnsProblems.push(failure(answer));
    let addresses = addressesOf(a, aaaa);
    if (addresses.length === 0 && !isFailedOutcome(a.outcome)) dnsProblems.push(`The MX host ${h.host} has no A or AAAA record.`);
    if (addresses.length > options.maxAddresses) {
      dnsProblems.push(`The MX host ${h.host} has ${addresses.length} addresses; the first ${options.maxAddresses} were tested.`);
      addresses = addresses.slice(0, options.maxAddresses);
    }
    const probes = await Promise.all(addresses.map(async (address) => (await prober.get({ host: h.host, address, port: options.port })).report));
    return { host: h.host, preference: h.preference, probes };
  }));
  return { partner, dns: 'ok', dnsProblems, mx };
}
