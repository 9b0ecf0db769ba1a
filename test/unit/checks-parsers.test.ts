import { describe, expect, it } from 'vitest';
import type { DnsAnswer, RecordType } from '../../src-main/contract/dns';
import { dmarcTreeWalkNames, MAX_TREE_WALK_QUERIES, parseDmarc } from '../../src-main/engine/checks/dmarc';
import { mxMatchesPattern, parseMtaStsPolicy, parseMtaStsRecord } from '../../src-main/engine/checks/mta-sts';
import { parseTlsRpt } from '../../src-main/engine/checks/tls-rpt';
import { checkSpf } from '../../src-main/engine/checks/spf';
import { expectedOffice365Host, isOffice365Host } from '../../src-main/engine/checks/mx';
import type { CheckContext } from '../../src-main/engine/checks/context';

describe('DMARC parsing', () => {
  it('reads every tag', () => {
    expect(parseDmarc('v=DMARC1; p=quarantine; sp=reject; pct=50; rua=mailto:a@x.test,mailto:b@y.test!10m; ruf=mailto:f@x.test; adkim=s; aspf=r')).toEqual({
      problems: [],
      record: { v: 'DMARC1', p: 'quarantine', sp: 'reject', pct: 50, rua: ['mailto:a@x.test', 'mailto:b@y.test!10m'], ruf: ['mailto:f@x.test'], adkim: 's', aspf: 'r' },
    });
  });
  it.each([
    ['v=DMARC1, p=reject', /separated by ","/],
    ['v=DMARC1; p=reject; pct=150', /pct="150"/],
    ['v=DMARC1; p=reject; rua=dmarc@x.test', /rua "dmarc@x.test" is not a mailto: URI/],
    ['v=DMARC1; rua=mailto:a@x.test', /"p=" is missing/],
    ['p=reject; v=DMARC1', /must start with "v=DMARC1;"/],
    ['v=DMARC1; p=block', /p="block"/],
    ['v=DMARC1; p=none; adkim=x', /adkim="x"/],
  ])('%s is malformed', (text, problem) => {
    expect(parseDmarc(text).problems.join('; ')).toMatch(problem);
  });
});

describe('MTA-STS', () => {
  it('matches * as exactly one left-most label', () => {
    expect(mxMatchesPattern('contoso-com.mail.protection.outlook.com', '*.mail.protection.outlook.com')).toBe(true);
    expect(mxMatchesPattern('a.b.mail.protection.outlook.com', '*.mail.protection.outlook.com')).toBe(false);
    expect(mxMatchesPattern('mail.protection.outlook.com', '*.mail.protection.outlook.com')).toBe(false);
    expect(mxMatchesPattern('MX1.Contoso.com', 'mx1.contoso.com')).toBe(true);
    expect(mxMatchesPattern('mx2.contoso.com', 'mx1.contoso.com')).toBe(false);
  });
  it('parses a policy and rejects bad ones', () => {
    expect(parseMtaStsPolicy('version: STSv1\r\nmode: testing\r\nmx: mx1.contoso.com\r\nmx: *.contoso.net\r\nmax_age: 86400\r\n').policy)
      .toEqual({ version: 'STSv1', mode: 'testing', mx: ['mx1.contoso.com', '*.contoso.net'], maxAge: 86400 });
    expect(parseMtaStsPolicy('version: STSv1\nmode: enforce\nmax_age: 86400').problems).toEqual(['no "mx" line']);
    expect(parseMtaStsPolicy('version: STSv1\nmode: enforce\nmx: a.test\nmax_age: 31557601').problems).toEqual(['max_age "31557601" is not 0 to 31557600 seconds']);
    expect(parseMtaStsRecord('v=STSv1; id=20260101T000000')).toEqual([]);
    expect(parseMtaStsRecord('v=STSv1;')).toEqual(['the "id=" field is missing']);
  });
});

describe('TLS-RPT', () => {
  it('accepts mailto and https, rejects others', () => {
    expect(parseTlsRpt('v=TLSRPTv1; rua=mailto:tls@x.test,https://r.x.test/report')).toEqual([]);
    expect(parseTlsRpt('v=TLSRPTv1;')).toEqual(['the "rua=" tag is missing']);
    expect(parseTlsRpt('v=TLSRPTv1; rua=tls@x.test')).toEqual(['rua "tls@x.test" is not a mailto: or https: URI']);
  });
});

describe('DMARC tree walk names (DMARCbis)', () => {
  it('drops labels from the left, nearest first, never the bare TLD', () => {
    expect(dmarcTreeWalkNames('a.b.contoso.com')).toEqual(['b.contoso.com', 'contoso.com']);
    expect(dmarcTreeWalkNames('sub.contoso.com')).toEqual(['contoso.com']);
    expect(dmarcTreeWalkNames('contoso.com')).toEqual([]);
    expect(dmarcTreeWalkNames('com')).toEqual([]);
  });
  it('from 8 labels or more jumps to the right-most 7: at most 8 lookups with the first', () => {
    const eight = 'l8.l7.l6.l5.l4.l3.l2.com';
    expect(dmarcTreeWalkNames(eight)[0]).toBe('l7.l6.l5.l4.l3.l2.com');
    const twenty = `${Array.from({ length: 17 }, (_, i) => `x${i}`).join('.')}.l3.l2.com`;
    const names = dmarcTreeWalkNames(twenty);
    expect(names[0]!.split('.')).toHaveLength(7);
    expect(names.at(-1)).toBe('l2.com');
    expect(names.length + 1).toBeLessThanOrEqual(MAX_TREE_WALK_QUERIES);
    for (const n of [3, 7, 8, 9, 30]) {
      expect(dmarcTreeWalkNames(Array.from({ length: n }, (_, i) => `a${i}`).join('.')).length + 1).toBeLessThanOrEqual(MAX_TREE_WALK_QUERIES);
    }
  });
});

describe('Office 365 MX names', () => {
  it('dots become dashes; both host families count', () => {
    expect(expectedOffice365Host('contoso.com')).toBe('contoso-com.mail.protection.outlook.com');
    expect(isOffice365Host('contoso-com.mail.protection.outlook.com')).toBe(true);
    expect(isOffice365Host('contoso-com.a-v1.mx.microsoft')).toBe(true);
    expect(isOffice365Host('mail.messaging.microsoft.com')).toBe(false);
  });
});

describe('SPF text checks that DNS wire format cannot carry', () => {
  /** In-memory records (a unit test of the evaluation, not of DNS): a TXT string over 255 bytes can only come from a non-wire source such as DoH JSON or a zone editor preview. */
  function ctxWith(records: Readonly<Record<string, readonly string[][]>>): CheckContext {
    return {
      domain: 'contoso.test',
      async query(name: string, type: RecordType): Promise<DnsAnswer> {
        const txt = type === 'TXT' ? records[name] : undefined;
        return { name, type, outcome: txt ? 'answer' : 'nxdomain', records: (txt ?? []).map((strings) => ({ type: 'TXT' as const, name, ttl: 1, strings })), cnameChain: [], authenticated: false, server: 'memory', elapsedMs: 0 };
      },
      reportFailure() { /* in-memory records never fail */ },
    };
  }
  it('flags a single string over 255 bytes and a record over 450 bytes', async () => {
    const long = `v=spf1 ${Array.from({ length: 30 }, (_, i) => `ip4:10.0.${i}.0/24`).join(' ')} -all`;
    const result = await checkSpf(ctxWith({ 'contoso.test': [[long]] }));
    expect(result.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['SPF_STRING_TOO_LONG', 'SPF_RECORD_TOO_LONG']));
  });
  it('flags an invalid term', async () => {
    const result = await checkSpf(ctxWith({ 'contoso.test': [['v=spf1 ip4:10.0.0.0/8 inclde:x.test -all']] }));
    expect(result.findings.find((f) => f.code === 'SPF_SYNTAX')?.message).toContain('"inclde:x.test"');
  });
});
