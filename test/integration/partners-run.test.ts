import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerResult } from '../../src-main/contract/partners';
import { systemClock } from '../../src-main/engine/clock';
import { createResolver } from '../../src-main/engine/dns/index';
import { parsePartnerList } from '../../src-main/engine/partners/import';
import { PORT25_BLOCKED_EXPLANATION, runPartners, type PartnerRunDeps } from '../../src-main/engine/partners/run';
import { nodeSocketFactory, timeoutsFromStep, type SocketFactory } from '../../src-main/engine/smtp/index';
import { composePartnerMessage } from '../../src-main/report/partner-message';
import { startDnsServer } from '../support/dns-server';
import { startPartnerLab, type PartnerLab } from '../support/partner-lab';
import { startRawServer } from '../support/smtp-servers';

let lab: PartnerLab;
beforeAll(async () => { lab = await startPartnerLab(); });
afterAll(async () => { await lab?.close(); });

function deps(overrides: Partial<PartnerRunDeps> & Pick<PartnerRunDeps, 'onResult'>): PartnerRunDeps {
  return {
    newResolver: () => createResolver({ servers: [lab.dns.address], timeoutMs: 3000 }),
    clock: systemClock,
    port: lab.port,
    rehearsalAnchors: [lab.caSubject],
    probe: { heloName: 'tester.example', timeouts: timeoutsFromStep(5000), trust: [lab.ca.certPem], clock: systemClock },
    compose: composePartnerMessage,
    ...overrides,
  };
}

async function runLab(csv: string, overrides: Partial<PartnerRunDeps> = {}): Promise<{ results: Map<string, PartnerResult>; summary: Awaited<ReturnType<typeof runPartners>> }> {
  const results = new Map<string, PartnerResult>();
  const summary = await runPartners(parsePartnerList(csv).partners, deps({ onResult: (r) => { results.set(r.domain, r); }, ...overrides }));
  return { results, summary };
}

describe('partner run on loopback (real DNS and SMTP peers)', () => {
  let results: Map<string, PartnerResult>;
  let summary: Awaited<ReturnType<typeof runPartners>>;
  let connections: Readonly<Record<string, number>>;
  beforeAll(async () => {
    const before = lab.connections();
    ({ results, summary } = await runLab(lab.csv));
    connections = Object.fromEntries(Object.entries(lab.connections()).map(([a, n]) => [a, n - (before[a] ?? 0)]));
  });

  it('gives each partner its status word', () => {
    const status = Object.fromEntries([...results].map(([d, r]) => [d, r.statusWords]));
    expect(status).toEqual({
      'good-bank.test': 'Ready',
      'second-bank.test': 'Ready',
      'inbound-bank.test': 'Ready',
      'split-bank.test': 'Ready with warnings',
      'expiring-bank.test': 'Ready with warnings',
      'selfsigned-bank.test': 'Not ready',
      'expired-bank.test': 'Not ready',
      'notls-bank.test': 'Not ready',
      'named-bank.test': 'Not ready',
      'down-bank.test': 'Unreachable',
      'nullmx-bank.test': 'No mail',
      'missing-bank.test': 'No mail',
    });
    expect(summary).toMatchObject({ total: 12, done: 12, cancelled: false, counts: { ready: 3, 'ready-with-warnings': 2, 'not-ready': 4, unreachable: 1, 'no-mail': 2 }, expiringSoon: 2 });
  });

  it('probes each MX address once per run, however many partners use it (the servers\' connection log)', () => {
    expect(connections).toEqual({
      '127.0.0.41': 1, '127.0.0.42': 1, '127.0.0.43': 1, '127.0.0.44': 1, '127.0.0.45': 1,
      '127.0.0.46': 1, '127.0.0.47': 1, '127.0.0.48': 1, '127.0.0.49': 1,
    });
    expect(summary.probes).toBe(10); // the nine servers and the address nobody listens on
    expect(summary.probesReused).toBe(1); // second-bank.test reused good-bank.test's mail.hoster.test
  });

  it('judges every setting per verdict class, keeping each host\'s own reason', () => {
    const r = (d: string) => results.get(d)!.readiness;
    expect(r('good-bank.test').DomainValidation).toMatchObject({ verdict: 'pass', value: 'mail.hoster.test' });
    expect(r('selfsigned-bank.test').EncryptionOnly.verdict).toBe('pass');
    expect(r('selfsigned-bank.test').CertificateValidation).toMatchObject({ verdict: 'fail', ndr: '450 4.7.320', reason: expect.stringContaining('mx.selfsigned-bank.test (127.0.0.45): UntrustedRoot: the certificate is self-signed') });
    expect(r('expired-bank.test').CertificateValidation.reason).toContain('Expired');
    expect(r('notls-bank.test').EncryptionOnly).toMatchObject({ verdict: 'fail', ndr: '450 4.4.317', reason: expect.stringContaining('does not offer STARTTLS') });
    expect(r('named-bank.test').CertificateValidation.verdict).toBe('pass');
    expect(r('named-bank.test').DomainValidation).toMatchObject({ verdict: 'fail', value: 'secure.named-bank.test', reason: expect.stringContaining('matches no subjectAltName or CN of the certificate (mx.named-bank.test)') });
    expect(r('split-bank.test').DomainValidation).toMatchObject({ verdict: 'fail', reason: expect.stringContaining('No single TlsDomain matches the certificates of every MX (mx-a.split-bank.test names mx-a.split-bank.test; mx-b.split-other.test names mx-b.split-other.test)') });
    expect(r('split-bank.test').CertificateValidation.hosts.map((h) => [h.host, h.verdict])).toEqual([['mx-a.split-bank.test', 'pass'], ['mx-b.split-other.test', 'pass']]);
    expect(r('good-bank.test').TlsSenderCertificateName.verdict).toBe('not-applicable');
    expect(r('second-bank.test').SenderIPAddresses).toMatchObject({ verdict: 'pass', values: ['40.92.10.0/24'] });
    expect(r('inbound-bank.test').TlsSenderCertificateName).toMatchObject({ verdict: 'pass', value: 'mx.inbound-bank.test' });
    // /23 split into /24s, include followed; IPv6 cannot go into a connector, so the ranges are not the whole story.
    expect(r('inbound-bank.test').SenderIPAddresses).toMatchObject({ verdict: 'unknown', values: ['40.92.20.0/24', '40.92.21.0/24', '52.100.1.7'], reason: expect.stringContaining('connectors take IPv4 only') });
  });

  it('counts the days to the first certificate expiry, and warns within the window', () => {
    expect(results.get('expiring-bank.test')!.daysToExpiry).toBe(10);
    expect(results.get('expiring-bank.test')!.problems[0]).toMatch(/^A certificate expires in 10 day\(s\): CN=mx.expiring-bank.test/);
    expect(results.get('expired-bank.test')!.daysToExpiry).toBeLessThan(0);
    expect(results.get('good-bank.test')!.daysToExpiry).toBeGreaterThan(300);
    expect(results.get('down-bank.test')!.daysToExpiry).toBeNull();
  });

  it('keeps the evidence: certificate subject, issuer, dates and the failing stage', () => {
    const [self] = results.get('selfsigned-bank.test')!.mx;
    expect(self).toMatchObject({ host: 'mx.selfsigned-bank.test', address: '127.0.0.45', reached: true, tlsVersion: 'TLSv1.3', certificate: { subject: expect.stringContaining('CN=mx.selfsigned-bank.test'), issuer: expect.stringContaining('CN=mx.selfsigned-bank.test'), summary: 'self-signed' } });
    const [down] = results.get('down-bank.test')!.mx;
    expect(down).toMatchObject({ reached: false, failedStage: 'connect', failure: expect.stringContaining('Connection refused'), connectTimedOut: false });
  });

  it('writes a message for every partner not ready, none for the ready ones', () => {
    expect(results.get('good-bank.test')!.message).toBeNull();
    const self = results.get('selfsigned-bank.test')!.message!;
    expect(self.subject).toBe('Enforced TLS for e-mail: changes needed on your mail servers: selfsigned-bank.test');
    expect(self.text).toContain('Hello Selfsigned Bank mail team,');
    expect(self.text).toContain('Certificate subject: CN=mx.selfsigned-bank.test');
    expect(self.text).toContain('Install a certificate from a public certificate authority, with its full');
    expect(self.markdown).toContain('- mx.selfsigned-bank.test (127.0.0.45, preference 10): STARTTLS works (TLSv1.3). Certificate validation would fail: UntrustedRoot: the certificate is self-signed.');
    expect(results.get('down-bank.test')!.message!.text).toContain('we could not reach your mail servers');
    expect(results.get('nullmx-bank.test')!.message!.text).toContain('publishes a null MX');
    expect(results.get('split-bank.test')!.message!.text.replace(/\s+/g, ' ')).toContain('put one name (e.g. *.split-bank.test) on the certificates of all your MX hosts');
  });
});

describe('partner run limits', () => {
  it('shares one probe between partners that use the same MX host, even when they all start at once', async () => {
    const open = { now: 0, max: 0 };
    const counting: SocketFactory = {
      connect: (options) => {
        const socket = nodeSocketFactory.connect(options);
        open.now += 1;
        open.max = Math.max(open.max, open.now);
        socket.once('close', () => { open.now -= 1; });
        return socket;
      },
      startTls: nodeSocketFactory.startTls,
    };
    const zoneDomains = ['good-bank.test', 'second-bank.test'];
    const results: PartnerResult[] = [];
    const many = await runPartners(
      Array.from({ length: 12 }, (_, i) => ({ domain: zoneDomains[i % 2]!, domainUnicode: zoneDomains[i % 2]!, direction: 'outbound' as const, line: i + 1 })),
      deps({ onResult: (r) => { results.push(r); }, concurrency: 12, probe: { heloName: 'tester.example', timeouts: timeoutsFromStep(5000), trust: [lab.ca.certPem], clock: systemClock, socketFactory: counting } }),
    );
    expect(many.done).toBe(12);
    expect(many.probes).toBe(1);
    expect(open.max).toBe(1);
  });

  it('limits connections to one address to the per-address cap across host names', async () => {
    const open = { now: 0, max: 0 };
    const server = await startRawServer((socket) => {
      open.now += 1;
      open.max = Math.max(open.max, open.now);
      socket.resume();
      // Holds the connection 50 ms, then refuses service: the client's probe cannot end (and free its
      // slot) before this reply, so connections held here at once = probes running at once.
      setTimeout(() => { open.now -= 1; socket.end('554 5.3.2 busy\r\n'); }, 50);
    });
    const port = server.port;
    const zone = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [
      [`p${i}.test`, [{ type: 'MX' as const, preference: 10, exchange: `mx${i}.shared.test` }]],
      [`mx${i}.shared.test`, [{ type: 'A' as const, address: '127.0.0.1' }]],
    ]).flat());
    const dns = await startDnsServer({ zone });
    try {
      const results: PartnerResult[] = [];
      const summary = await runPartners(
        Array.from({ length: 8 }, (_, i) => ({ domain: `p${i}.test`, domainUnicode: `p${i}.test`, direction: 'outbound' as const, line: i + 1 })),
        deps({ onResult: (r) => { results.push(r); }, concurrency: 8, port, newResolver: () => createResolver({ servers: [dns.address], timeoutMs: 3000 }) }),
      );
      expect(summary.probes).toBe(8);
      expect(open.max).toBe(2);
      expect(results).toHaveLength(8);
    } finally {
      await dns.close();
      await server.close();
    }
  });

  it('stops early with one explanation when every connection times out (port 25 blocked)', async () => {
    // A socket that never connects: what a network dropping port 25 looks like.
    const blackhole: SocketFactory = { connect: () => new net.Socket(), startTls: nodeSocketFactory.startTls };
    const csv = ['good-bank.test', 'split-bank.test', 'expiring-bank.test', 'selfsigned-bank.test', 'expired-bank.test', 'notls-bank.test', 'named-bank.test', 'inbound-bank.test'].join('\n');
    const { results, summary } = await runLab(csv, {
      concurrency: 2,
      blockedAfter: 3,
      probe: { heloName: 'tester.example', timeouts: { ...timeoutsFromStep(5000), connectMs: 150 }, trust: [], clock: systemClock, socketFactory: blackhole },
    });
    expect(summary.stoppedBecause).toBe(PORT25_BLOCKED_EXPLANATION);
    expect(summary.cancelled).toBe(false);
    expect(summary.done).toBeLessThan(8);
    expect(results.size).toBe(summary.done);
    for (const r of results.values()) expect(r.status).toBe('unreachable');
  });

  it('keeps what finished when cancelled', async () => {
    const controller = new AbortController();
    const kept: PartnerResult[] = [];
    const summary = await runPartners(parsePartnerList(lab.csv).partners, deps({
      concurrency: 1,
      signal: controller.signal,
      onResult: (r) => { kept.push(r); },
      onProgress: (p) => { if (p.done === 3) controller.abort(); },
    }));
    expect(summary).toMatchObject({ cancelled: true, done: 3, total: 12 });
    expect(kept.map((r) => r.domain)).toEqual(['good-bank.test', 'second-bank.test', 'split-bank.test']);
  });
});
