import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMxProber } from '../../src-main/engine/smtp/index';
import { createResolver } from '../../src-main/engine/dns/index';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server';
import { createCa, fullChain, issueCert } from '../support/pki';
import { hasIpv6Loopback, startSmtpFixture, type RunningServer } from '../support/smtp-servers';

/** createMxProber: every address of one MX in parallel, TLSA from DNS with its AD bit. */
const HOST = 'mx.prober.test';
let smtp: RunningServer;
let dns: RunningDnsServer;
let rootPem: string;
let ipv6: boolean;

beforeAll(async () => {
  const root = createCa({ commonName: 'Prober Root' });
  rootPem = root.certPem;
  const leaf = issueCert(root, { commonName: HOST, keyType: 'ec' });
  ipv6 = await hasIpv6Loopback();
  // '::' listens on both 127.0.0.1 and ::1 where the machine has IPv6; else 127.0.0.1 only.
  smtp = await startSmtpFixture({ name: HOST, key: leaf.keyPem, cert: fullChain(leaf), listenHost: ipv6 ? '::' : '127.0.0.1' });
  const spki = createHash('sha256').update(new X509Certificate(leaf.certPem).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  dns = await startDnsServer({
    zone: { [`_${smtp.port}._tcp.${HOST}`]: [{ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: spki }] },
    authenticated: [`_${smtp.port}._tcp.${HOST}`],
  });
});

afterAll(async () => {
  await Promise.all([smtp?.close(), dns?.close()]);
});

describe('createMxProber', () => {
  it('probes each address of the MX and matches its DNSSEC-authenticated TLSA record', async () => {
    const addresses = ipv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
    const progress: string[] = [];
    const prober = createMxProber({
      resolver: createResolver({ servers: [dns.address], timeoutMs: 2000 }),
      port: smtp.port,
      trust: [rootPem],
      timeouts: { connectMs: 2000, bannerMs: 2000, commandMs: 2000, tlsMs: 2000, totalMs: 6000 },
      onProgress: (e) => progress.push(`${e.step}:${e.status}`),
    });
    const reports = await prober({ host: `${HOST}.`, preference: 10, addresses });
    expect(reports.map((r) => r.address)).toEqual(addresses);
    for (const report of reports) {
      expect(report.host).toBe(HOST);
      expect(report.certificateVerdict?.summary).toBe('trusted');
      expect(report.dane).toHaveLength(1);
      expect(report.dane[0]?.result).toBe('match');
      expect(report.daneAuthenticated).toBe(true);
      expect(report.findings.find((f) => f.code === 'DANE_TLSA_MATCH')?.severity).toBe('ok');
    }
    expect(progress).toContain(`smtp:${HOST}/127.0.0.1:banner:done`);
  });
});
