import type { DnsAnswer } from '../../contract/dns';
import type { Clock } from '../clock';

/**
 * The answers of one session, bounded in entries and honouring TTLs: an entry
 * lives as long as the smallest TTL of its records (capped), a negative answer
 * (NXDOMAIN, NODATA) for a short fixed time, and a failure (timeout, SERVFAIL)
 * for a few seconds only: long enough that one check does not wait twice for
 * the same silent name, short enough that the next run asks again. When full,
 * the least recently used entry goes first. Lookups in flight are shared.
 */
export interface DnsCacheLimits {
  /** Most answers kept at once; a hostile zone cannot grow the cache past this. */
  readonly maxEntries: number;
  /** Longest time an answer is kept, whatever its TTL says (seconds). */
  readonly maxTtlSeconds: number;
  /** How long "no such record" is kept (seconds; RFC 2308 lets resolvers cap it). */
  readonly negativeTtlSeconds: number;
  /** How long a failed lookup (timeout, SERVFAIL, network error) is kept (seconds). */
  readonly failureTtlSeconds: number;
}

export const DEFAULT_DNS_CACHE_LIMITS: DnsCacheLimits = { maxEntries: 2000, maxTtlSeconds: 3600, negativeTtlSeconds: 60, failureTtlSeconds: 15 };

interface Entry {
  readonly answer: Promise<DnsAnswer>;
  /** Clock time after which the entry is stale; Infinity while in flight. */
  expiresAt: number;
}

export class DnsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock, private readonly limits: DnsCacheLimits = DEFAULT_DNS_CACHE_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached (or in-flight) answer for `key`, else the one `lookup` starts. */
  getOrStart(key: string, lookup: () => Promise<DnsAnswer>): Promise<DnsAnswer> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) {
      // Re-insert: Map order is the LRU order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.answer;
    }
    if (hit) this.entries.delete(key);
    const entry: Entry = { answer: lookup(), expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    this.evict();
    void entry.answer.then(
      (answer) => {
        const ttl = this.ttlSecondsOf(answer);
        if (ttl <= 0) {
          if (this.entries.get(key) === entry) this.entries.delete(key);
        } else {
          entry.expiresAt = this.clock.now() + ttl * 1000;
        }
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.answer;
  }

  private ttlSecondsOf(answer: DnsAnswer): number {
    switch (answer.outcome) {
      case 'answer':
        return Math.min(this.limits.maxTtlSeconds, ...answer.records.map((r) => r.ttl));
      case 'nodata':
      case 'nxdomain':
        return this.limits.negativeTtlSeconds;
      default:
        return answer.error === 'cancelled' ? 0 : this.limits.failureTtlSeconds;
    }
  }

  private evict(): void {
    while (this.entries.size > this.limits.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}
