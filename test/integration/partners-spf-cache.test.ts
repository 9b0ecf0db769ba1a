import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src-main/contract/probe';
import { createResolver } from '../../src-main/engine/dns/index';
import { createSharedProber } from '../../src-main/engine/partners/probe-cache';
import { createSpfFlattener } from '../../src-main/engine/partners/spf-ranges';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server';

let dns: RunningDnsServer;
beforeAll(async () => {
  const chain = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`l${i}.spf.test`, [{ type: 'TXT' as const, strings: [`v=spf1 ip4:40.92.${i}.1 include:l${i + 1}.spf.test -all`] }]]));
  dns = await startDnsServer({
    zone: {
      ...chain,
      'mixed.spf.test': [{ type: 'TXT', strings: ['v=spf1 a mx ip4:52.100.0.0/24 -ip4:52.100.9.9 ptr exists:%{i}.x.spf.test redirect=other.spf.test'] }],
      'other.spf.test': [{ type: 'TXT', strings: ['v=spf1 ip6:2a01:111::/48 -all'] }],
      'two.spf.test': [{ type: 'TXT', strings: ['v=spf1 -all'] }, { type: 'TXT', strings: ['v=spf1 +all'] }],
    },
  });
});
afterAll(async () => { await dns?.close(); });

const flatten = () => createSpfFlattener(createResolver({ servers: [dns.address], timeoutMs: 3000 }));

describe('SPF ranges for inbound partners (the RFC 7208 flatten, over the loopback DNS server)', () => {
  it('follows includes, and says when the policy passes the 10-lookup limit (a permerror at receivers)', async () => {
    const result = await flatten()('l0.spf.test');
    expect(result.ipv4).toEqual(Array.from({ length: 12 }, (_, i) => `40.92.${i}.1`));
    expect(result.complete).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([expect.stringMatching(/DNS-querying terms: receivers stop at the 10th with a permanent error/)]));
  });

  it('keeps only what authorises (+), names the terms it cannot turn into ranges, and ignores redirect when there is no all', async () => {
    const result = await flatten()('mixed.spf.test');
    expect(result.ipv4).toEqual(['52.100.0.0/24']);
    expect(result.ipv6).toEqual(['2a01:111::/48']);
    expect(result.complete).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([
      'mixed.spf.test: "ptr": ptr authorises by reverse DNS of each client, not by address',
      'mixed.spf.test: "exists:%{i}.x.spf.test": exists authorises by a DNS answer for each message, not by address',
    ]));
  });

  it('says when there is no SPF record, or two', async () => {
    expect((await flatten()('none.spf.test')).problems).toEqual(['none.spf.test has no SPF record']);
    expect((await flatten()('two.spf.test')).problems).toEqual(['two.spf.test has 2 SPF records (a permanent error for receivers)']);
  });
});

describe('the shared-probe cache', () => {
  const report = (host: string, address: string): ProbeReport => ({
    host, address, port: 25, mode: 'starttls', stages: [{ name: 'connect', status: 'ok', startMs: 0, durationMs: 1 }], starttls: true, tls: null,
    certificates: [], certificateVerdict: null, banner: null, bannerHost: null, ehloHost: null, capabilities: null, capabilitiesTls: null, rcptReply: null,
    dane: [], daneAuthenticated: null, transcript: [{ t: 0, direction: 'event', text: 'connected' }], transcriptTruncated: false, predictions: [], findings: [], elapsedMs: 1,
  });

  it('probes a host/address/port once while it is cached, forgets the least recently used beyond its bound, and keeps results slim', async () => {
    const probed: string[] = [];
    const cache = createSharedProber({ maxEntries: 2, probe: async (t) => { probed.push(`${t.host}/${t.address}`); return report(t.host, t.address); } });
    const get = (host: string) => cache.get({ host, address: '192.0.2.1', port: 25 });
    expect((await get('a.example')).reused).toBe(false);
    expect((await get('A.example.')).reused).toBe(true);
    await get('b.example');
    await get('a.example'); // a is now the most recent
    await get('c.example'); // evicts b
    expect((await get('a.example')).reused).toBe(true);
    expect((await get('b.example')).reused).toBe(false);
    expect(probed).toEqual(['a.example/192.0.2.1', 'b.example/192.0.2.1', 'c.example/192.0.2.1', 'b.example/192.0.2.1']);
    expect(cache.stats()).toMatchObject({ probes: 4, reused: 3, connected: 4 });
    expect((await get('b.example')).report.transcript).toEqual([]);
  });
});
