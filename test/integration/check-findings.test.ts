import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckDeps } from '../../src-main/engine/checks/index';
import { createResolver } from '../../src-main/engine/dns';
import { systemClock } from '../../src-main/engine/clock';
import { CheckReportSchema, type CheckReport } from '../../src-main/contract/check';
import type { ProbeReport } from '../../src-main/contract/probe';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server';
import { startHttpsServer, type RunningHttpsServer } from '../support/https-server';
import { FIXTURE_BEHAVIOUR, FIXTURE_ZONE, MTA_STS_POLICIES } from '../support/dns-fixtures';
import { createCa, issueCert } from '../support/pki';

/**
 * Every finding code of issue 2 (and the extras), each from a real check run
 * against the dns2 fixture server on loopback, MTA-STS policies over a real
 * HTTPS server whose certificate comes from a test CA made here.
 */
let dns: RunningDnsServer;
let https: RunningHttpsServer;
let caPem: string;

beforeAll(async () => {
  dns = await startDnsServer({ zone: FIXTURE_ZONE, ...FIXTURE_BEHAVIOUR });
  const ca = createCa({ commonName: 'Mailflow Doctor Test CA' });
  caPem = ca.certPem;
  const leaf = issueCert(ca, { commonName: 'mta-sts.sts.test', altNames: Object.keys(MTA_STS_POLICIES).filter((h) => h !== 'mta-sts.stsname.test') });
  https = await startHttpsServer({ certPem: leaf.certPem, keyPem: leaf.keyPem, routes: MTA_STS_POLICIES });
});
afterAll(async () => { await dns?.close(); await https?.close(); });

function deps(overrides: Partial<CheckDeps> = {}): CheckDeps {
  return {
    resolver: createResolver({ servers: [dns.address], timeoutMs: 300 }),
    clock: systemClock,
    timeoutMs: 2000,
    caCertificates: [caPem],
    mtaStsPort: https.port,
    ...overrides,
  };
}

async function check(domain: string, overrides: Partial<CheckDeps> = {}): Promise<CheckReport> {
  const report = await runCheck(domain, deps(overrides));
  CheckReportSchema.parse(report);
  return report;
}

const codes = (report: CheckReport): string[] => report.findings.map((f) => f.code);
const find = (report: CheckReport, code: string) => report.findings.find((f) => f.code === code);

describe('check: each situation gives its finding', () => {
  const table: ReadonlyArray<readonly [string, readonly string[], readonly string[]]> = [
    ['good.test', ['MX_OK', 'MX_OFFICE365', 'SPF_OK', 'DMARC_OK', 'DKIM_SELECTOR_OK', 'AUTODISCOVER_OFFICE365', 'TLSRPT_OK', 'MTA_STS_MISSING', 'DANE_NONE'],
      // Microsoft's own MX hosts: their reverse DNS is not the domain owner's to fix (issue 8).
      ['SPF_NO_OFFICE365_INCLUDE', 'DKIM_OFFICE365_MISSING', 'MX_OFFICE365_UNEXPECTED_HOST', 'DNS_TIMEOUT', 'RDNS_OK', 'RDNS_MISSING', 'RDNS_MISMATCH']],
    ['nx.test', ['DOMAIN_NOT_FOUND'], ['SPF_MISSING', 'DMARC_MISSING']],
    ['nomx.test', ['MX_MISSING'], ['MX_OK']],
    // A null MX takes no mail: no DKIM, autodiscover, MTA-STS or TLS-RPT noise (issue 8).
    ['nullmx.test', ['MX_NULL'], ['MX_MISSING', 'DKIM_NOT_FOUND', 'DKIM_OFFICE365_MISSING', 'AUTODISCOVER_MISSING', 'TLSRPT_MISSING', 'MTA_STS_MISSING']],
    ['noaddr.test', ['MX_TARGET_NO_ADDRESS'], []],
    ['cnamemx.test', ['MX_TARGET_CNAME'], ['MX_TARGET_NO_ADDRESS']],
    ['iplit.test', ['MX_TARGET_IP_LITERAL'], []],
    ['legacy.test', ['MX_OFFICE365_LEGACY'], []],
    ['mixed.test', ['MX_MIXED', 'MX_OFFICE365', 'SPF_NO_OFFICE365_INCLUDE', 'DKIM_OFFICE365_MISSING'], []],
    ['nospf.test', ['SPF_MISSING', 'DMARC_MISSING', 'TLSRPT_MISSING', 'DKIM_NOT_FOUND', 'AUTODISCOVER_MISSING'], []],
    ['twospf.test', ['SPF_MULTIPLE_RECORDS'], []],
    ['deepspf.test', ['SPF_TOO_MANY_LOOKUPS'], []],
    ['voidspf.test', ['SPF_VOID_LOOKUPS'], []],
    ['loopspf.test', ['SPF_LOOP'], []],
    ['passall.test', ['SPF_PASS_ALL'], []],
    ['baddmarc.test', ['DMARC_MALFORMED'], []],
    ['nonedmarc.test', ['DMARC_POLICY_NONE'], []],
    ['sub.org.test', ['DMARC_INHERITED'], ['DMARC_MISSING', 'DMARC_POLICY_NONE', 'DMARC_NO_REPORTS']],
    ['a.b.org.test', ['DMARC_INHERITED'], ['DMARC_MISSING']],
    ['own.solo.test', ['DMARC_OK'], ['DMARC_INHERITED', 'DMARC_POLICY_NONE']],
    ['sub.orphan.test', ['DMARC_MISSING'], ['DMARC_INHERITED']],
    ['sub.ponly.test', ['DMARC_POLICY_NONE', 'DMARC_NO_REPORTS'], ['DMARC_MISSING', 'DMARC_INHERITED']],
    ['sub.slowparent.test', ['DNS_TIMEOUT'], ['DMARC_MISSING', 'DMARC_INHERITED']],
    ['x.mid.quiet.test', ['DMARC_INHERITED'], ['DNS_TIMEOUT']],
    ['sts.test', ['MTA_STS_MX_NOT_COVERED'], ['MTA_STS_POLICY_UNREACHABLE']],
    ['stsbad.test', ['MTA_STS_INVALID'], []],
    ['stsdown.test', ['MTA_STS_POLICY_UNREACHABLE'], []],
    ['dane.test', ['DANE_TLSA'], ['DANE_TLSA_UNAUTHENTICATED']],
    // The fixture server is authoritative-only (no RA): no AD proves nothing, so the state is unknown (issue 8).
    ['dane-noad.test', ['DANE_DNSSEC_UNKNOWN'], ['DANE_TLSA_UNAUTHENTICATED']],
    ['rdns.test', ['RDNS_MISMATCH'], []],
    ['slow.test', ['DNS_TIMEOUT'], ['DMARC_MISSING']],
    ['servfail.test', ['DNS_SERVFAIL'], ['MX_MISSING', 'DOMAIN_NOT_FOUND']],
    ['bigtxt.test', ['SPF_OK'], ['SPF_MISSING']],
  ];
  it.each(table)('%s', async (domain, expected, absent) => {
    const report = await check(domain);
    for (const code of expected) expect(codes(report), `${domain} should report ${code}`).toContain(code);
    for (const code of absent) expect(codes(report), `${domain} should not report ${code}`).not.toContain(code);
  });
});

describe('check: DMARC of a subdomain (DMARCbis tree walk)', () => {
  it('applies the organisational policy when the subdomain has no record, its sp= over p=', async () => {
    const f = find(await check('sub.org.test'), 'DMARC_INHERITED')!;
    expect(f.severity).toBe('ok');
    expect(f.subject).toBe('sub.org.test');
    expect(f.message).toBe('No DMARC record at _dmarc.sub.org.test; the organisational policy at _dmarc.org.test applies: sp=quarantine, reports to mailto:dmarc@org.test.');
    expect(f.evidence).toEqual([
      '_dmarc.sub.org.test TXT: name does not exist (NXDOMAIN)',
      '_dmarc.org.test TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@org.test"',
    ]);
  });

  it('walks past every parent without a record, nearest first', async () => {
    const f = find(await check('a.b.org.test'), 'DMARC_INHERITED')!;
    expect(f.message).toContain('the organisational policy at _dmarc.org.test applies: sp=quarantine');
    expect(f.evidence.map((e) => e.split(' ')[0])).toEqual(['_dmarc.a.b.org.test', '_dmarc.b.org.test', '_dmarc.org.test']);
  });

  it('uses the subdomain\'s own record and never asks the parent', async () => {
    const before = dns.log.length;
    const report = await check('own.solo.test');
    expect(find(report, 'DMARC_OK')!.evidence).toEqual(['_dmarc.own.solo.test TXT "v=DMARC1; p=reject; rua=mailto:dmarc@own.solo.test"']);
    const asked = dns.log.slice(before);
    expect(asked).toContain('udp _dmarc.own.solo.test TXT');
    expect(asked.filter((line) => line.includes('_dmarc.solo.test'))).toEqual([]);
  });

  it('reports DMARC_MISSING only when nothing is found up the tree, naming every place looked', async () => {
    const f = find(await check('sub.orphan.test'), 'DMARC_MISSING')!;
    expect(f.message).toBe('sub.orphan.test has no DMARC record at _dmarc.sub.orphan.test, nor at _dmarc.orphan.test.');
    expect(f.evidence).toHaveLength(2);
  });

  it('without sp=, the parent\'s p= covers the subdomain: p=none is monitoring only', async () => {
    const report = await check('sub.ponly.test');
    expect(find(report, 'DMARC_POLICY_NONE')!.message).toBe('No DMARC record at _dmarc.sub.ponly.test; the organisational policy at _dmarc.ponly.test applies: p=none (the record has no sp=, so p= covers subdomains), which only monitors.');
    expect(find(report, 'DMARC_NO_REPORTS')!.message).toContain('_dmarc.ponly.test, which applies to sub.ponly.test');
  });

  it('a parent lookup that times out is a DNS failure, never "missing"', async () => {
    const report = await check('sub.slowparent.test');
    expect(find(report, 'DNS_TIMEOUT')!.subject).toBe('_dmarc.slowparent.test');
    expect(report.findings.filter((f) => f.area === 'dmarc')).toEqual([]);
  });

  it('a failed lookup above the record that applies is not reported (it was not needed)', async () => {
    const report = await check('x.mid.quiet.test');
    expect(find(report, 'DMARC_INHERITED')!.message).toContain('_dmarc.mid.quiet.test applies: p=reject');
    expect(report.findings.filter((f) => f.area === 'dns')).toEqual([]);
  });
});

describe('check: details', () => {
  it('lists MX hosts in preference order with their addresses and TLSA', async () => {
    const report = await check('dane.test');
    expect(report.mx).toEqual([{ host: 'mx.dane.test', preference: 10, addresses: ['127.0.0.24'], probes: [],
      tlsa: [{ type: 'TLSA', name: '_25._tcp.mx.dane.test', ttl: 300, usage: 3, selector: 1, matchingType: 1, data: '0123456789abcdef'.repeat(4) }] }]);
    const sts = await check('sts.test');
    expect(sts.mx.map((m) => `${m.preference} ${m.host}`)).toEqual(['0 sts-test.mail.protection.outlook.com', '10 mx2.sts.test']);
  });

  it('names the include chain where SPF passes 10 lookups, with the total', async () => {
    const f = find(await check('deepspf.test'), 'SPF_TOO_MANY_LOOKUPS')!;
    expect(f.severity).toBe('fail');
    // one: include three + 2 a (3), three: 2 a (2), two: 2 a + exists (3), root: 2 includes + mx (3)
    expect(f.message).toContain('needs 11 DNS lookups');
    expect(f.message).toContain('lookup 11 is deepspf.test -> mx');
    expect(f.message).toContain('the largest include is include:one.deepspf.test (6 lookups)');
    expect(f.evidence).toContain('  include:three.deepspf.test: 3 lookup(s)');
    expect(f.evidence[0]).toBe('v=spf1 include:one.deepspf.test include:two.deepspf.test mx -all');
  });

  it('reads a DMARC record with commas as malformed and says why', async () => {
    const f = find(await check('baddmarc.test'), 'DMARC_MALFORMED')!;
    expect(f.message).toMatch(/separated by "," instead of ";"/);
    expect(f.evidence).toEqual(['_dmarc.baddmarc.test TXT "v=DMARC1, p=reject, pct=150"']);
  });

  it('joins multi-string SPF without a separator', async () => {
    const f = find(await check('good.test'), 'SPF_OK')!;
    expect(f.evidence[0]).toBe('v=spf1 include:spf.protection.outlook.com -all');
  });

  it('fetches an MTA-STS policy over HTTPS trusting the test CA, and names the uncovered MX', async () => {
    const report = await check('sts.test');
    const f = find(report, 'MTA_STS_MX_NOT_COVERED')!;
    expect(f.subject).toBe('mx2.sts.test');
    expect(f.severity).toBe('fail');
    expect(https.log).toContain('mta-sts.sts.test /.well-known/mta-sts.txt');
  });

  it('refuses the policy when the certificate is not trusted (no --ca-file)', async () => {
    const f = find(await check('sts.test', { caCertificates: [] }), 'MTA_STS_POLICY_UNREACHABLE')!;
    expect(f.message).toMatch(/not trusted/);
  });

  it('does not follow a redirect for the policy', async () => {
    const f = find(await check('stsredirect.test'), 'MTA_STS_POLICY_UNREACHABLE')!;
    expect(f.message).toContain('HTTP 301 (redirect to https://mta-sts.sts.test/.well-known/mta-sts.txt; redirects are not allowed)');
  });

  it('refuses a certificate that does not name mta-sts.<domain>', async () => {
    const f = find(await check('stsname.test'), 'MTA_STS_POLICY_UNREACHABLE')!;
    expect(f.message).toContain('the certificate is not valid for mta-sts.stsname.test');
  });

  it('does not accept a non-200 answer for the policy', async () => {
    const f = find(await check('stsdown.test'), 'MTA_STS_POLICY_UNREACHABLE')!;
    expect(f.message).toContain('HTTP 404');
  });

  it('says plainly whether TLSA records were authenticated', async () => {
    expect(find(await check('dane.test'), 'DANE_TLSA')!.message).toMatch(/authenticated by DNSSEC/);
    expect(find(await check('dane-noad.test'), 'DANE_DNSSEC_UNKNOWN')!.message).toMatch(/whether DNSSEC signs them is not known: the DNS server used is authoritative-only/);
  });

  it('keeps "no record" and "no answer" apart', async () => {
    const slow = await check('slow.test');
    const timeout = find(slow, 'DNS_TIMEOUT')!;
    expect(timeout.subject).toBe('_dmarc.slow.test');
    // the deadline, the retry and the total, in words (the resolver here waits 300 ms per try)
    expect(timeout.message).toBe(`The lookup of _dmarc.slow.test TXT got no answer within 300 ms (tried twice, 600 ms in all) from ${dns.address}; the checks that need it are incomplete.`);
    expect(timeout.evidence).toEqual([`_dmarc.slow.test TXT: no answer within 300 ms (tried twice, 600 ms in all) from ${dns.address}`]);
    expect(codes(slow)).not.toContain('DMARC_MISSING');
    const nospf = await check('nospf.test');
    expect(codes(nospf)).not.toContain('DNS_TIMEOUT');
  });

  it('checks an IDN domain by its punycode and keeps the Unicode form', async () => {
    const report = await check('bücher.test');
    expect(report.domain).toBe('xn--bcher-kva.test');
    expect(report.domainUnicode).toBe('bücher.test');
    expect(report.mx[0]?.host).toBe('mx.xn--bcher-kva.test');
  });

  it('reports progress for every lookup, started then done or failed', async () => {
    const events: { step: string; status: string }[] = [];
    await check('slow.test', { onProgress: (e) => events.push({ step: e.step, status: e.status }) });
    expect(events).toContainEqual({ step: 'dns:MX slow.test', status: 'started' });
    expect(events).toContainEqual({ step: 'dns:MX slow.test', status: 'done' });
    expect(events).toContainEqual({ step: 'dns:TXT _dmarc.slow.test', status: 'failed' });
    const started = events.filter((e) => e.status === 'started').map((e) => e.step);
    const finished = events.filter((e) => e.status !== 'started').map((e) => e.step);
    expect(finished.sort()).toEqual(started.sort());
  });

  it('checks user-named DKIM selectors', async () => {
    const report = await check('good.test', { dkimSelectors: ['s2026'] });
    expect(find(report, 'DKIM_SELECTOR_MISSING')?.subject).toBe('s2026._domainkey.good.test');
  });

  it('calls probeMx for every MX as soon as its addresses are known and keeps its results', async () => {
    const seen: string[] = [];
    const report = await runCheck('sts.test', deps({
      probeMx: async (mx) => {
        seen.push(`${mx.host} ${mx.addresses.join(',')}`);
        return [{ host: mx.host, address: mx.addresses[0]!, port: 25, stages: [], starttls: false, tls: null, certificates: [], transcript: [], predictions: [], elapsedMs: 1,
          findings: [{ code: 'SMTP_TEST', severity: 'info', area: 'smtp', subject: mx.host, message: 'probed', explanation: '', fix: '', evidence: [] }] } as unknown as ProbeReport];
      },
    }));
    expect(seen.sort()).toEqual(['mx2.sts.test 127.0.0.21', 'sts-test.mail.protection.outlook.com 127.0.0.20']);
    expect(report.mx.every((m) => m.probes.length === 1)).toBe(true);
    expect(report.findings.filter((f) => f.code === 'SMTP_TEST')).toHaveLength(2);
  });

  it('hands each probe the check\'s own TLSA lookup, and a prober that throws becomes a finding', async () => {
    const tlsaNames: string[] = [];
    const report = await runCheck('sts.test', deps({
      smtpPort: 2525,
      probeMx: async (mx) => {
        tlsaNames.push((await mx.tlsa).name);
        throw new Error('bad options');
      },
    }));
    expect(tlsaNames.sort()).toEqual(['_2525._tcp.mx2.sts.test', '_2525._tcp.sts-test.mail.protection.outlook.com']);
    expect(report.findings.filter((f) => f.code === 'MX_PROBE_FAILED').map((f) => f.message)).toContain('The SMTP probe of mx2.sts.test could not run: bad options.');
  });
});
