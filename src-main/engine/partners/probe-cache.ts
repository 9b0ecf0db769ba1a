import pLimit, { type LimitFunction } from 'p-limit';
import type { ProbeReport } from '../../contract/probe';

/**
 * One SMTP probe per MX host, address and port for a whole run, shared by
 * every partner that points there (many banks use the same hosted
 * providers), under two limits: a global cap on connections at once, and a
 * per-address cap (2 by default, as a polite MTA would).
 *
 * Results are kept slim (no transcript) and the cache is bounded: beyond
 * `maxEntries` the least recently used result is dropped (a later partner on
 * that host is probed again), so a run's memory does not grow with the list.
 * A session-wide EngineContext can replace this module: the run only needs
 * `get` and `stats`.
 */
export interface ProbeTarget {
  readonly host: string;
  readonly address: string;
  readonly port: number;
}

export type ProbeFunction = (target: ProbeTarget) => Promise<ProbeReport>;

export interface SharedProberOptions {
  readonly probe: ProbeFunction;
  /** Connections at once, in all (default 32). */
  readonly globalLimit?: number;
  /** Connections at once to one address (default 2). */
  readonly perAddressLimit?: number;
  /** Results kept (default 1,000). */
  readonly maxEntries?: number;
}

export interface SharedProbeStats {
  /** Probes started (connections made). */
  readonly probes: number;
  /** Requests answered from a result already probed (or in flight). */
  readonly reused: number;
  /** Probes whose connection timed out / that got a connection at all. */
  readonly connectTimeouts: number;
  readonly connected: number;
  readonly otherFailures: number;
}

export interface SharedProber {
  get(target: ProbeTarget): Promise<{ readonly report: ProbeReport; readonly reused: boolean }>;
  stats(): SharedProbeStats;
}

const keyOf = (t: ProbeTarget): string => `${t.host.toLowerCase().replace(/\.$/, '')}|${t.address}|${t.port}`;

export function createSharedProber(options: SharedProberOptions): SharedProber {
  const global = pLimit(Math.max(1, options.globalLimit ?? 32));
  const perAddressLimit = Math.max(1, options.perAddressLimit ?? 2);
  const maxEntries = Math.max(1, options.maxEntries ?? 1000);
  const perAddress = new Map<string, LimitFunction>();
  const cache = new Map<string, Promise<ProbeReport>>();
  let probes = 0;
  let reused = 0;
  let connectTimeouts = 0;
  let connected = 0;
  let otherFailures = 0;

  const limiterFor = (address: string): LimitFunction => {
    let limiter = perAddress.get(address);
    if (!limiter) {
      limiter = pLimit(perAddressLimit);
      perAddress.set(address, limiter);
    }
    return limiter;
  };

  const run = (target: ProbeTarget): Promise<ProbeReport> => {
    const limiter = limiterFor(target.address);
    return limiter(() => global(async () => {
      probes += 1;
      const report = await options.probe(target);
      const connect = report.stages.find((s) => s.name === 'connect');
      if (connect?.status === 'ok') connected += 1;
      else if (report.findings.some((f) => f.code === 'SMTP_CONNECT_TIMEOUT')) connectTimeouts += 1;
      else otherFailures += 1;
      // Kept slim: what a partner's answer reads (stages, TLS, certificates, verdicts, findings), not the
      // transcript, the EHLO keyword lists or the predictions (recomputed per partner's settings).
      return {
        ...report,
        transcript: [],
        transcriptTruncated: report.transcript.length > 0 || report.transcriptTruncated,
        capabilities: report.capabilities ? { ...report.capabilities, raw: [] } : null,
        capabilitiesTls: report.capabilitiesTls ? { ...report.capabilitiesTls, raw: [] } : null,
        predictions: [],
        findings: report.findings.map((f) => ({ ...f, evidence: f.evidence.slice(0, 2) })),
      };
    })).finally(() => {
      // Idle limiters are dropped, so a list of distinct addresses leaves no trail.
      if (limiter.activeCount === 0 && limiter.pendingCount === 0) perAddress.delete(target.address);
    });
  };

  return {
    async get(target) {
      const key = keyOf(target);
      const cached = cache.get(key);
      if (cached) {
        reused += 1;
        // Most recently used last: re-insert.
        cache.delete(key);
        cache.set(key, cached);
        return { report: await cached, reused: true };
      }
      const pending = run(target);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
      while (cache.size > maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return { report: await pending, reused: false };
    },
    stats: () => ({ probes, reused, connectTimeouts, connected, otherFailures }),
  };
}
