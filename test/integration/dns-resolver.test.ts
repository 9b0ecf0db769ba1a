import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver } from '../../src-main/engine/dns';
import { startDnsServer, startDohServer, type RunningDnsServer } from '../support/dns-server';
import { createCa, issueCert } from '../support/pki';

const longStrings = Array.from({ length: 12 }, (_, i) => `${String(i).padStart(2, '0')}-${'x'.repeat(200)}`);

describe('resolver against a real authoritative server on loopback', () => {
  let server: RunningDnsServer;
  let silent: RunningDnsServer;
  beforeAll(async () => {
    server = await startDnsServer({
      zone: {
        'contoso.test': [
          { type: 'A', address: '192.0.2.10' },
          { type: 'MX', preference: 20, exchange: 'mx2.contoso.test' },
          { type: 'MX', preference: 10, exchange: 'mx1.contoso.test' },
          { type: 'TXT', strings: ['v=spf1 include:a.test ', 'include:b.test -all'] },
        ],
        'alias.contoso.test': [{ type: 'CNAME', target: 'real.contoso.test' }],
        'real.contoso.test': [{ type: 'A', address: '192.0.2.11' }],
        'loop1.contoso.test': [{ type: 'CNAME', target: 'loop2.contoso.test' }],
        'loop2.contoso.test': [{ type: 'CNAME', target: 'loop1.contoso.test' }],
        'big.contoso.test': [{ type: 'TXT', strings: longStrings }],
        '_25._tcp.mx1.contoso.test': [{ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) }],
        'signed.contoso.test': [{ type: 'A', address: '192.0.2.12' }],
      },
      servfail: ['broken.contoso.test'],
      refused: ['refused.contoso.test'],
      truncateUdp: ['big.contoso.test'],
      silent: ['slow.contoso.test'],
      authenticated: ['signed.contoso.test'],
    });
    silent = await startDnsServer({ zone: {}, allSilent: true });
  });
  afterAll(async () => { await server.close(); await silent.close(); });

  const resolver = () => createResolver({ servers: [server.address], timeoutMs: 1000 });

  it('answers A and MX records, lower-cased, with the server named', async () => {
    const r = resolver();
    const [a, mx] = await Promise.all([r.query('Contoso.TEST.', 'A'), r.query('contoso.test', 'MX')]);
    expect(a).toMatchObject({ name: 'contoso.test', outcome: 'answer', server: server.address, authenticated: false });
    expect(a.records).toEqual([{ type: 'A', name: 'contoso.test', ttl: 300, address: '192.0.2.10' }]);
    expect(mx.records.map((m) => m.type === 'MX' && `${m.preference} ${m.exchange}`).sort()).toEqual(['10 mx1.contoso.test', '20 mx2.contoso.test']);
  });

  it('keeps TXT string boundaries', async () => {
    const txt = await resolver().query('contoso.test', 'TXT');
    expect(txt.records[0]).toMatchObject({ type: 'TXT', strings: ['v=spf1 include:a.test ', 'include:b.test -all'] });
  });

  it('retries over TCP when the UDP answer is truncated, and gets the whole record', async () => {
    const before = server.log.length;
    const txt = await resolver().query('big.contoso.test', 'TXT');
    expect(txt.outcome).toBe('answer');
    expect(txt.records[0]).toMatchObject({ strings: longStrings });
    expect(server.log.slice(before)).toEqual(['udp big.contoso.test TXT', 'tcp big.contoso.test TXT']);
  });

  it('follows a CNAME that the authoritative server answers alone', async () => {
    const a = await resolver().query('alias.contoso.test', 'A');
    expect(a).toMatchObject({ outcome: 'answer', cnameChain: ['real.contoso.test'] });
    expect(a.records).toMatchObject([{ address: '192.0.2.11', name: 'real.contoso.test' }]);
    const cname = await resolver().query('alias.contoso.test', 'CNAME');
    expect(cname.records).toMatchObject([{ type: 'CNAME', target: 'real.contoso.test' }]);
  });

  it('stops at a CNAME loop', async () => {
    const a = await resolver().query('loop1.contoso.test', 'A');
    expect(a.outcome).toBe('servfail');
    expect(a.error).toMatch(/CNAME/);
  });

  it('tells NODATA, NXDOMAIN, SERVFAIL and REFUSED apart', async () => {
    const r = resolver();
    const [nodata, nx, fail, refused] = await Promise.all([
      r.query('contoso.test', 'AAAA'), r.query('nope.contoso.test', 'A'),
      r.query('broken.contoso.test', 'A'), r.query('refused.contoso.test', 'A'),
    ]);
    expect([nodata.outcome, nx.outcome, fail.outcome, refused.outcome]).toEqual(['nodata', 'nxdomain', 'servfail', 'refused']);
    expect(fail.error).toMatch(/SERVFAIL/);
  });

  it('times out on a silent name after one retry, within the deadline', async () => {
    const before = server.log.length;
    const started = Date.now();
    const answer = await createResolver({ servers: [server.address], timeoutMs: 200 }).query('slow.contoso.test', 'A');
    expect(answer.outcome).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.log.slice(before)).toEqual(['udp slow.contoso.test A', 'udp slow.contoso.test A']);
    // The retry is said plainly: a lookup that took twice the deadline was tried twice.
    expect(answer).toMatchObject({ error: 'no answer within 200 ms (tried twice, 400 ms in all)', server: server.address });
  });

  it('names every silent server when each was tried once', async () => {
    const second = await startDnsServer({ zone: {}, allSilent: true });
    try {
      const answer = await createResolver({ servers: [silent.address, second.address], timeoutMs: 150 }).query('contoso.test', 'A');
      expect(answer).toMatchObject({ outcome: 'timeout', error: 'no answer within 150 ms (tried 2 servers, 300 ms in all)', server: `${silent.address}, ${second.address}` });
    } finally {
      await second.close();
    }
  });

  it('moves on to the second server when the first is silent', async () => {
    const answer = await createResolver({ servers: [silent.address, server.address], timeoutMs: 200 }).query('contoso.test', 'A');
    expect(answer).toMatchObject({ outcome: 'answer', server: server.address });
  });

  it('reports the AD bit and reads TLSA records', async () => {
    const r = resolver();
    const [signed, tlsa] = await Promise.all([r.query('signed.contoso.test', 'A'), r.query('_25._tcp.mx1.contoso.test', 'TLSA')]);
    expect(signed.authenticated).toBe(true);
    expect(tlsa.authenticated).toBe(false);
    expect(tlsa.records).toEqual([{ type: 'TLSA', name: '_25._tcp.mx1.contoso.test', ttl: 300, usage: 3, selector: 1, matchingType: 1, data: 'ab'.repeat(32) }]);
  });

  it('shares identical lookups in flight and caches them for the run', async () => {
    const r = resolver();
    const before = server.log.length;
    const answers = await Promise.all([r.query('real.contoso.test', 'A'), r.query('REAL.contoso.test', 'A'), r.query('real.contoso.test.', 'A')]);
    await r.query('real.contoso.test', 'A');
    expect(answers.every((a) => a.outcome === 'answer')).toBe(true);
    expect(server.log.slice(before)).toEqual(['udp real.contoso.test A']);
  });

  it('reports a network error when the DoH endpoint refuses connections', async () => {
    const answer = await createResolver({ doh: 'https://127.0.0.1:1/dns-query', timeoutMs: 1000 }).query('contoso.test', 'A');
    expect(answer.outcome).toBe('network-error');
    expect(answer.error).toBeTruthy();
  });
});

describe('DNS over HTTPS: extra trust anchors, deadline, bounded body', () => {
  const ca = createCa({ commonName: 'DoH Resolver Test CA' });
  const leaf = issueCert(ca, { commonName: '127.0.0.1', altNames: ['127.0.0.1'] });
  const zone = { 'contoso.test': [{ type: 'A' as const, address: '192.0.2.10' }] };

  /** A hostile DoH peer: a real HTTPS server with the test certificate that misbehaves after the request. */
  async function hostileDoh(behaviour: 'silent' | 'huge'): Promise<{ url: string; close(): Promise<void> }> {
    const sockets = new Set<Socket>();
    const server: Server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_request, response) => {
      if (behaviour === 'silent') return; // headers never come
      response.writeHead(200, { 'content-type': 'application/dns-message' });
      const chunk = Buffer.alloc(16_384, 0x41);
      const pump = (): void => { while (response.write(chunk)) { /* keep writing until the client stops reading */ } };
      response.on('drain', pump);
      pump();
    });
    server.on('connection', (socket: Socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return {
      url: `https://127.0.0.1:${address.port}/dns-query`,
      close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
    };
  }

  it('trusts the DoH server through the extra CA, and only through it', async () => {
    const doh = await startDohServer({ zone, certPem: leaf.certPem, keyPem: leaf.keyPem });
    try {
      const trusted = await createResolver({ doh: doh.url, caCertificates: [ca.certPem], timeoutMs: 2000 }).query('contoso.test', 'A');
      expect(trusted).toMatchObject({ outcome: 'answer', records: [{ address: '192.0.2.10' }] });
      const untrusted = await createResolver({ doh: doh.url, timeoutMs: 2000 }).query('contoso.test', 'A');
      expect(untrusted).toMatchObject({ outcome: 'network-error', error: expect.stringMatching(/not trusted/) });
    } finally {
      await doh.close();
    }
  });

  it('a DoH server that never answers times out within the deadline (one retry)', async () => {
    const doh = await hostileDoh('silent');
    try {
      const started = performance.now();
      const answer = await createResolver({ doh: doh.url, caCertificates: [ca.certPem], timeoutMs: 300 }).query('contoso.test', 'A');
      expect(answer.outcome).toBe('timeout');
      expect(answer.error).toBe('no answer within 300 ms (tried twice, 600 ms in all)');
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await doh.close();
    }
  });

  it('a DoH answer larger than a DNS message is refused, not buffered', async () => {
    const doh = await hostileDoh('huge');
    try {
      const answer = await createResolver({ doh: doh.url, caCertificates: [ca.certPem], timeoutMs: 2000 }).query('contoso.test', 'A');
      expect(answer).toMatchObject({ outcome: 'network-error', error: expect.stringMatching(/larger than 65535 bytes/) });
    } finally {
      await doh.close();
    }
  });
});
