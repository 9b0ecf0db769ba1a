import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckDeps } from '../../src-main/engine/checks/index';
import { createResolver } from '../../src-main/engine/dns';
import { systemClock } from '../../src-main/engine/clock';
import { CheckReportSchema, type CheckReport } from '../../src-main/contract/check';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server';
import { startHttpsServer, type RunningHttpsServer } from '../support/https-server';
import { createCa, issueCert } from '../support/pki';
import { runCli } from '../support/run-cli';

/**
 * Issue 8, defect 8 (noise and wording), each against the loopback DNS server
 * (and a real HTTPS server for MTA-STS): one reverse-DNS finding per address,
 * a null MX in words everywhere, a DNS timeout never called "no address", an
 * SPF term naming no valid domain is a syntax error, DMARC_MALFORMED names
 * every problem, and an MTA-STS policy fetched over a private CA says so.
 */
let dns: RunningDnsServer;
let https: RunningHttpsServer;
let caPem: string;

const TXT = (...strings: string[]) => ({ type: 'TXT' as const, strings });

beforeAll(async () => {
  const ca = createCa({ commonName: 'Wording Test CA' });
  caPem = ca.certPem;
  const leaf = issueCert(ca, { commonName: 'mta-sts.words.test' });
  https = await startHttpsServer({
    certPem: leaf.certPem, keyPem: leaf.keyPem,
    routes: { 'mta-sts.words.test': { status: 200, body: 'version: STSv1\r\nmode: enforce\r\nmx: *.words.test\r\nmax_age: 604800\r\n' } },
  });
  dns = await startDnsServer({
    zone: {
      // Two MX hosts on one address: one reverse-DNS finding for that address, naming both.
      'words.test': [{ type: 'MX', preference: 10, exchange: 'mx1.words.test' }, { type: 'MX', preference: 20, exchange: 'mx2.words.test' }, TXT('v=spf1 include:<script>alert(1)</script> -all')],
      'mx1.words.test': [{ type: 'A', address: '127.0.0.7' }],
      'mx2.words.test': [{ type: 'A', address: '127.0.0.7' }],
      '_dmarc.words.test': [TXT('v=DMARC1; p=reject; rua=dmarc@words.test pct=150')],
      '_mta-sts.words.test': [TXT('v=STSv1; id=1')],
      'mta-sts.words.test': [{ type: 'A', address: '127.0.0.1' }],
      // A null MX: no DKIM, autodiscover, MTA-STS or TLS-RPT noise, and the MX table says it takes no mail.
      'null.words.test': [{ type: 'MX', preference: 0, exchange: '' }, TXT('v=spf1 -all')],
      '_dmarc.null.words.test': [TXT('v=DMARC1; p=reject')],
      // An MX whose address lookup times out.
      'slow.words.test': [{ type: 'MX', preference: 10, exchange: 'mx.slow.words.test' }],
    },
    silent: ['mx.slow.words.test'],
  });
});

afterAll(async () => {
  await Promise.all([dns?.close(), https?.close()]);
});

afterEach(() => {
  process.exitCode = undefined;
});

function deps(overrides: Partial<CheckDeps> = {}): CheckDeps {
  return { resolver: createResolver({ servers: [dns.address], timeoutMs: 300 }), clock: systemClock, timeoutMs: 2000, caCertificates: [caPem], mtaStsPort: https.port, ...overrides };
}

async function check(domain: string): Promise<CheckReport> {
  return CheckReportSchema.parse(await runCheck(domain, deps()));
}

const find = (report: CheckReport, code: string) => report.findings.filter((f) => f.code === code);

describe('noise and wording (issue 8)', () => {
  it('reverse DNS: one finding per address, however many MX hosts share it', async () => {
    const report = await check('words.test');
    const rdns = report.findings.filter((f) => f.area === 'reverse-dns');
    expect(rdns).toHaveLength(1);
    expect(rdns[0]).toMatchObject({ code: 'RDNS_MISSING', subject: 'mx1.words.test, mx2.words.test (127.0.0.7)' });
  });

  it('an SPF term whose domain is not a valid name is a syntax error, not a missing record', async () => {
    const report = await check('words.test');
    expect(find(report, 'SPF_SYNTAX')[0]?.message).toMatch(/invalid term "include:<script>alert\(1\)<\/script>" \("<script>alert\(1\)<\/script>" is not a domain name/);
    expect(find(report, 'SPF_INCLUDE_NO_RECORD')).toHaveLength(0);
    expect(dns.log.some((l) => l.includes('<script>'))).toBe(false);
  });

  it('DMARC_MALFORMED names every problem: the missing ";", rua not a mailto: URI, pct over 100', async () => {
    const message = find(await check('words.test'), 'DMARC_MALFORMED')[0]?.message ?? '';
    expect(message).toMatch(/a ";" is missing before "pct="/);
    expect(message).toMatch(/rua "dmarc@words\.test" is not a mailto: URI/);
    expect(message).toMatch(/pct="150" is not a whole number from 0 to 100/);
  });

  it('an MTA-STS policy fetched over a private CA says so', async () => {
    const report = await check('words.test');
    expect(find(report, 'MTA_STS_PRIVATE_CA')[0]?.message).toMatch(/trusted by your CA file only/);
    expect(find(report, 'MTA_STS_OK')).toHaveLength(1);
  });

  it('a null MX: no DKIM, autodiscover, MTA-STS or TLS-RPT noise; the verdict and the MX table say it accepts no mail', async () => {
    const report = await check('null.words.test');
    expect(report.findings.map((f) => f.area).filter((a) => ['dkim', 'autodiscover', 'mta-sts', 'tls-rpt'].includes(a))).toEqual([]);
    expect(report.verdict).toMatchObject({ delivery: 'accepts-no-mail' });
    expect(report.verdict?.summary[0]).toBe('null.words.test accepts no mail (null MX): Exchange Online bounces mail to it at once.');
    const { out } = await runCli(['check', 'null.words.test', '--dns-server', dns.address, '--timeout', '1']);
    expect(out).toMatch(/^MX hosts\n {6}0 {2}\. {2}accepts no mail \(null MX\)$/m);
  });

  it('a DNS timeout is not "has no address"', async () => {
    const report = await check('slow.words.test');
    expect(report.mx[0]?.addresses).toEqual([]);
    expect(report.mx[0]?.addressError).toMatch(/^address lookup failed: no answer within/);
    expect(find(report, 'MX_TARGET_NO_ADDRESS')).toHaveLength(0);
    expect(find(report, 'MX_OK')[0]?.message).toContain('mx.slow.words.test (address lookup failed)');
    expect(report.verdict?.mxWalk[0]).toMatchObject({ outcome: 'no-address', detail: expect.stringMatching(/could not be resolved \(address lookup failed/) });
    const { out } = await runCli(['check', 'slow.words.test', '--dns-server', dns.address, '--timeout', '1', '--no-probe']);
    expect(out).toMatch(/^ {5}10 {2}mx\.slow\.words\.test {2}address lookup failed: no answer/m);
    expect(out).not.toMatch(/no address/);
  });
});
