import type { DnsServerOptions, Zone, ZoneRecord } from './dns-server';

/**
 * Fixture zones: one small domain per situation the checks must recognise.
 * Every address is on loopback (127.0.0.0/8), so nothing a check or a later
 * probe does can leave this machine.
 */
const A = (address: string): ZoneRecord => ({ type: 'A', address });
const MX = (preference: number, exchange: string): ZoneRecord => ({ type: 'MX', preference, exchange });
const TXT = (...strings: string[]): ZoneRecord => ({ type: 'TXT', strings });
const CNAME = (target: string): ZoneRecord => ({ type: 'CNAME', target });
const PTR = (target: string): ZoneRecord => ({ type: 'PTR', target });
const KEY = TXT('v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest0123456789abcdef');

function rev(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** A domain with everything right for Office 365 (the baseline). */
function office365Domain(domain: string, address: string): Record<string, ZoneRecord[]> {
  const dashes = domain.replace(/\./g, '-');
  const mx = `${dashes}.mail.protection.outlook.com`;
  return {
    [domain]: [MX(0, mx), TXT('v=spf1 include:spf.protection.outlook.com ', '-all')],
    [mx]: [A(address)],
    [rev(address)]: [PTR(mx)],
    [`_dmarc.${domain}`]: [TXT(`v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@${domain}; adkim=s; aspf=r`)],
    [`selector1._domainkey.${domain}`]: [CNAME(`selector1-${dashes}._domainkey.contoso.onmicrosoft.com`)],
    [`selector2._domainkey.${domain}`]: [CNAME(`selector2-${dashes}._domainkey.contoso.onmicrosoft.com`)],
    [`selector1-${dashes}._domainkey.contoso.onmicrosoft.com`]: [KEY],
    [`selector2-${dashes}._domainkey.contoso.onmicrosoft.com`]: [KEY],
    [`autodiscover.${domain}`]: [CNAME('autodiscover.outlook.com')],
    [`_smtp._tls.${domain}`]: [TXT(`v=TLSRPTv1; rua=mailto:tlsrpt@${domain}`)],
  };
}

const deepSpf: Record<string, ZoneRecord[]> = {
  'deepspf.test': [MX(10, 'mx.deepspf.test'), TXT('v=spf1 include:one.deepspf.test include:two.deepspf.test mx -all')],
  'mx.deepspf.test': [A('127.0.0.40')],
  'one.deepspf.test': [TXT('v=spf1 include:three.deepspf.test a:h1.deepspf.test a:h2.deepspf.test ~all')],
  'two.deepspf.test': [TXT('v=spf1 a:h3.deepspf.test a:h4.deepspf.test exists:h5.deepspf.test ~all')],
  'three.deepspf.test': [TXT('v=spf1 a:h6.deepspf.test a:h7.deepspf.test ~all')],
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`h${i}.deepspf.test`, [A(`127.0.1.${i}`)]])),
};

export const FIXTURE_ZONE: Zone = {
  'spf.protection.outlook.com': [TXT('v=spf1 ip4:40.92.0.0/15 ip4:52.100.0.0/14 -all')],
  'autodiscover.outlook.com': [A('127.0.0.200')],
  ...office365Domain('good.test', '127.0.0.10'),
  // no MX, address only -> implicit MX
  'nomx.test': [A('127.0.0.11'), TXT('v=spf1 -all')],
  'nullmx.test': [MX(0, ''), TXT('v=spf1 -all')],
  'noaddr.test': [MX(10, 'ghost.noaddr.test')],
  'cnamemx.test': [MX(10, 'alias.cnamemx.test')],
  'alias.cnamemx.test': [CNAME('real.cnamemx.test')],
  'real.cnamemx.test': [A('127.0.0.12')],
  'iplit.test': [MX(10, '127.0.0.13')],
  'legacy.test': [MX(10, 'mail.messaging.microsoft.com')],
  'mail.messaging.microsoft.com': [A('127.0.0.14')],
  'mixed.test': [MX(0, 'mixed-test.mail.protection.outlook.com'), MX(10, 'mx.mixed.test'), TXT('v=spf1 mx -all')],
  'mixed-test.mail.protection.outlook.com': [A('127.0.0.15')],
  'mx.mixed.test': [A('127.0.0.16')],
  'nospf.test': [MX(10, 'mx.nospf.test'), TXT('google-site-verification=abc')],
  'mx.nospf.test': [A('127.0.0.17')],
  'twospf.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 mx -all'), TXT('v=spf1 a -all')],
  ...deepSpf,
  'voidspf.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 a:v1.voidspf.test a:v2.voidspf.test mx:v3.voidspf.test -all')],
  'loopspf.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 include:loop2.loopspf.test -all')],
  'loop2.loopspf.test': [TXT('v=spf1 include:loopspf.test -all')],
  'passall.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 +all')],
  'baddmarc.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  '_dmarc.baddmarc.test': [TXT('v=DMARC1, p=reject, pct=150')],
  'nonedmarc.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  '_dmarc.nonedmarc.test': [TXT('v=DMARC1; p=none; rua=mailto:d@nonedmarc.test')],
  // DMARC tree walk (DMARCbis): subdomains of org.test inherit its sp=quarantine (p=reject)
  'org.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  '_dmarc.org.test': [TXT('v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@org.test')],
  'sub.org.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  // two labels down, no record at _dmarc.b.org.test either
  'a.b.org.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  // a subdomain with its own record: the parent (_dmarc.solo.test) is never asked
  'own.solo.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  '_dmarc.own.solo.test': [TXT('v=DMARC1; p=reject; rua=mailto:dmarc@own.solo.test')],
  '_dmarc.solo.test': [TXT('v=DMARC1; p=none; sp=none; rua=mailto:dmarc@solo.test')],
  // nothing anywhere up the tree
  'sub.orphan.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  // p=none and no sp=: p covers subdomains; no rua=
  'sub.ponly.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  '_dmarc.ponly.test': [TXT('v=DMARC1; p=none')],
  // the parent's lookup times out: a DNS failure, not "missing"
  'sub.slowparent.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  // the nearest parent has a record; the one above it does not answer (and is not needed)
  'x.mid.quiet.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  '_dmarc.mid.quiet.test': [TXT('v=DMARC1; p=reject; rua=mailto:dmarc@mid.quiet.test')],
  // MTA-STS: policies served by the test HTTPS server at mta-sts.<domain> (127.0.0.1)
  ...office365Domain('sts.test', '127.0.0.20'),
  'mx2.sts.test': [A('127.0.0.21')],
  'sts.test': [MX(0, 'sts-test.mail.protection.outlook.com'), MX(10, 'mx2.sts.test'), TXT('v=spf1 include:spf.protection.outlook.com -all')],
  '_mta-sts.sts.test': [TXT('v=STSv1; id=20260101T000000')],
  'mta-sts.sts.test': [A('127.0.0.1')],
  ...office365Domain('stsbad.test', '127.0.0.22'),
  '_mta-sts.stsbad.test': [TXT('v=STSv1; id=1')],
  'mta-sts.stsbad.test': [A('127.0.0.1')],
  ...office365Domain('stsdown.test', '127.0.0.23'),
  '_mta-sts.stsdown.test': [TXT('v=STSv1; id=2')],
  'mta-sts.stsdown.test': [A('127.0.0.1')],
  ...office365Domain('stsredirect.test', '127.0.0.29'),
  '_mta-sts.stsredirect.test': [TXT('v=STSv1; id=3')],
  'mta-sts.stsredirect.test': [A('127.0.0.1')],
  // the HTTPS certificate does not name mta-sts.stsname.test
  ...office365Domain('stsname.test', '127.0.0.30'),
  '_mta-sts.stsname.test': [TXT('v=STSv1; id=4')],
  'mta-sts.stsname.test': [A('127.0.0.1')],
  // DANE: TLSA on the MX; authenticated (AD) here, not in dane-noad.test
  'dane.test': [MX(10, 'mx.dane.test'), TXT('v=spf1 mx -all')],
  'mx.dane.test': [A('127.0.0.24')],
  '_25._tcp.mx.dane.test': [{ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: '0123456789abcdef'.repeat(4) }],
  'dane-noad.test': [MX(10, 'mx.dane-noad.test'), TXT('v=spf1 mx -all')],
  'mx.dane-noad.test': [A('127.0.0.25')],
  '_25._tcp.mx.dane-noad.test': [{ type: 'TLSA', usage: 2, selector: 0, matchingType: 1, data: 'fedcba9876543210'.repeat(4) }],
  // reverse DNS that does not point back
  'rdns.test': [MX(10, 'mx.rdns.test'), TXT('v=spf1 mx -all')],
  'mx.rdns.test': [A('127.0.0.26')],
  [rev('127.0.0.26')]: [PTR('elsewhere.rdns.test')],
  'elsewhere.rdns.test': [A('127.0.0.27')],
  // failures
  'slow.test': [MX(10, 'mx.nospf.test'), TXT('v=spf1 -all')],
  'servfail.test': [TXT('v=spf1 -all')],
  // a TXT set too big for UDP: only TCP completes it
  'bigtxt.test': [MX(10, 'mx.nospf.test'), ...Array.from({ length: 8 }, (_, i) => TXT(`verification-${i}=${'z'.repeat(240)}`)), TXT('v=spf1 ip4:127.0.0.0/8 ', '-all')],
  // IDN: bücher.test
  'xn--bcher-kva.test': [MX(10, 'mx.xn--bcher-kva.test'), TXT('v=spf1 mx -all')],
  'mx.xn--bcher-kva.test': [A('127.0.0.28')],
};

export const FIXTURE_BEHAVIOUR: Omit<DnsServerOptions, 'zone'> = {
  silent: ['_dmarc.slow.test', '_dmarc.slowparent.test', '_dmarc.quiet.test'],
  servfail: ['servfail.test'],
  truncateUdp: ['bigtxt.test'],
  authenticated: ['_25._tcp.mx.dane.test'],
};

/** MTA-STS policy bodies by Host (served by the test HTTPS server). */
export const MTA_STS_POLICIES: Readonly<Record<string, { status: number; body: string; contentType?: string; headers?: Readonly<Record<string, string>> }>> = {
  'mta-sts.sts.test': { status: 200, body: 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 604800\r\n' },
  'mta-sts.stsbad.test': { status: 200, body: 'version: STSv2\nmode: strict\nmax_age: 99999999999\n' },
  'mta-sts.stsdown.test': { status: 404, body: 'not found' },
  'mta-sts.stsredirect.test': { status: 301, body: '', headers: { location: 'https://mta-sts.sts.test/.well-known/mta-sts.txt' } },
  'mta-sts.stsname.test': { status: 200, body: 'version: STSv1\nmode: enforce\nmx: *.mail.protection.outlook.com\nmax_age: 86400\n' },
};
