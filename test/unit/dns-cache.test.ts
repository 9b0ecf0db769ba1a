import { describe, expect, it } from 'vitest';
import type { DnsAnswer } from '../../src-main/contract/dns';
import { DnsCache } from '../../src-main/engine/dns/cache';

/** The session's DNS cache: bounded in entries, TTLs honoured, failures kept briefly. */
function answer(name: string, outcome: DnsAnswer['outcome'], ttl = 300): DnsAnswer {
  return {
    name, type: 'A', outcome, cnameChain: [], authenticated: false, server: 'test', elapsedMs: 0,
    records: outcome === 'answer' ? [{ type: 'A', name, ttl, address: '192.0.2.1' }] : [],
  };
}

function fixedClock(start = 1_000_000): { now(): number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => { now += ms; } };
}

describe('DnsCache', () => {
  it('keeps an answer for its TTL, then asks again', async () => {
    const clock = fixedClock();
    const cache = new DnsCache(clock);
    let lookups = 0;
    const lookup = (): Promise<DnsAnswer> => { lookups++; return Promise.resolve(answer('a.test', 'answer', 30)); };
    await cache.getOrStart('a', lookup);
    await cache.getOrStart('a', lookup);
    expect(lookups).toBe(1);
    clock.advance(29_000);
    await cache.getOrStart('a', lookup);
    expect(lookups).toBe(1);
    clock.advance(2_000);
    await cache.getOrStart('a', lookup);
    expect(lookups).toBe(2);
  });

  it('shares a lookup in flight, keeps a failure only a few seconds and NXDOMAIN a minute', async () => {
    const clock = fixedClock();
    const cache = new DnsCache(clock, { maxEntries: 10, maxTtlSeconds: 3600, negativeTtlSeconds: 60, failureTtlSeconds: 5 });
    let lookups = 0;
    const fail = (): Promise<DnsAnswer> => { lookups++; return Promise.resolve(answer('t.test', 'timeout')); };
    await Promise.all([cache.getOrStart('t', fail), cache.getOrStart('t', fail)]);
    expect(lookups).toBe(1);
    clock.advance(6_000);
    await cache.getOrStart('t', fail);
    expect(lookups).toBe(2);
    let nx = 0;
    const missing = (): Promise<DnsAnswer> => { nx++; return Promise.resolve(answer('n.test', 'nxdomain')); };
    await cache.getOrStart('n', missing);
    clock.advance(59_000);
    await cache.getOrStart('n', missing);
    expect(nx).toBe(1);
    clock.advance(2_000);
    await cache.getOrStart('n', missing);
    expect(nx).toBe(2);
  });

  it('never holds more than maxEntries answers; the least recently used goes first', async () => {
    const cache = new DnsCache(fixedClock(), { maxEntries: 3, maxTtlSeconds: 3600, negativeTtlSeconds: 60, failureTtlSeconds: 5 });
    const asked: string[] = [];
    const lookup = (name: string) => (): Promise<DnsAnswer> => { asked.push(name); return Promise.resolve(answer(name, 'answer')); };
    for (const name of ['a', 'b', 'c']) await cache.getOrStart(name, lookup(name));
    await cache.getOrStart('a', lookup('a')); // a is now the most recent
    for (let i = 0; i < 100; i++) await cache.getOrStart(`x${i}`, lookup(`x${i}`));
    expect(cache.size).toBe(3);
    asked.length = 0;
    await cache.getOrStart('b', lookup('b'));
    expect(asked).toEqual(['b']);
  });
});
