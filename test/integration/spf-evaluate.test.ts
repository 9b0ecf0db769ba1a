import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver } from '../../src-main/engine/dns/index';
import { checkHost, doesIpPassSpf, flattenSpf, ownServerFinding, type SpfEvaluation } from '../../src-main/engine/spf/index';
import { CheckReportSchema } from '../../src-main/contract/check';
import { startDnsServer, type RunningDnsServer, type Zone, type ZoneRecord } from '../support/dns-server';
import { runCli } from '../support/run-cli';

/**
 * check_host() against the real test DNS server on loopback: the way to the
 * deciding term, the counts, explanations with the exp-only macros, both
 * address families, every processing limit, DNS failures; then flattenSpf,
 * the own-server finding, the `spf` command and `check --sender-ip`.
 */
const TXT = (...strings: string[]): ZoneRecord => ({ type: 'TXT', strings });
const A = (address: string): ZoneRecord => ({ type: 'A', address });
const AAAA = (address: string): ZoneRecord => ({ type: 'AAAA', address });
const MX = (preference: number, exchange: string): ZoneRecord => ({ type: 'MX', preference, exchange });
const PTR = (target: string): ZoneRecord => ({ type: 'PTR', target });

const ZONE: Zone = {
  'contoso.test': [
    TXT('v=spf1 include:_spf.contoso.test mx a:web.contoso.test/24 ', '-all exp=explain.contoso.test'),
    MX(10, 'mx.contoso.test'),
  ],
  '_spf.contoso.test': [TXT('v=spf1 ip4:192.0.2.0/25 ip6:2001:db8:1::/48 redirect=_spf2.contoso.test')],
  '_spf2.contoso.test': [TXT('v=spf1 ip4:198.51.100.10 -all')],
  'mx.contoso.test': [A('203.0.113.5'), AAAA('2001:db8:5::5')],
  'web.contoso.test': [A('203.0.113.200')],
  'explain.contoso.test': [TXT('%{i} may not send for %{d} (checked by %{r} at %{t} for %{c}; sender %{S})')],
  'v6.test': [TXT('v=spf1 a/24//64 -all'), A('192.0.2.1'), AAAA('2001:db8:6::1')],
  'many.test': [TXT(`v=spf1 ${Array.from({ length: 11 }, (_, i) => `a:h${i + 1}.many.test`).join(' ')} ip4:192.0.2.99 -all`)],
  ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`h${i + 1}.many.test`, [A(`198.51.100.${i + 1}`)]])),
  'voids.test': [TXT('v=spf1 a:n1.voids.test a:n2.voids.test a:n3.voids.test ip4:192.0.2.99 -all')],
  'bigmx.test': [TXT('v=spf1 mx -all'), ...Array.from({ length: 11 }, (_, i) => MX(i, `m${i}.bigmx.test`))],
  ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i}.bigmx.test`, [A('192.0.2.77')]])),
  'ptr.test': [TXT('v=spf1 ptr -all')],
  // 192.0.2.50 has 11 PTR names; only the 11th resolves back to it, so it is never looked at.
  '50.2.0.192.in-addr.arpa': Array.from({ length: 11 }, (_, i) => PTR(`p${i + 1}.ptr.test`)),
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i + 1}.ptr.test`, [A('192.0.2.60')]])),
  'p11.ptr.test': [A('192.0.2.50')],
  '51.2.0.192.in-addr.arpa': [PTR('host51.ptr.test')],
  'host51.ptr.test': [A('192.0.2.51')],
  'pmacro.test': [TXT('v=spf1 exists:%{p}.allowed.pmacro.test -all')],
  'host51.ptr.test.allowed.pmacro.test': [A('127.0.0.2')],
  'broken.test': [TXT('v=spf1 include:sf.broken.test -all')],
  'slow.test': [TXT('v=spf1 a:quiet.slow.test -all')],
  'nospf.test': [TXT('google-site-verification=abc')],
  'inclnone.test': [TXT('v=spf1 include:nospf.test -all')],
  'two.test': [TXT('v=spf1 -all'), TXT('v=spf1 +all')],
  'script.test': [TXT('v=spf1 include:<script> -all'), MX(10, 'mx.contoso.test')],
  'macro.test': [TXT('v=spf1 ip4:192.0.2.0/24 ptr:contoso.test exists:%{l}.bl.macro.test ip6:2001:db8::/32 -ip4:203.0.113.9 a:mx.contoso.test/28 include:_spf.contoso.test ~all')],
  'open.test': [TXT('v=spf1 ip4:192.0.2.1 +all')],
  'v4mx.test': [TXT('v=spf1 mx -all'), MX(10, 'a.v4mx.test'), MX(20, 'b.v4mx.test'), MX(30, 'c.v4mx.test')],
  'a.v4mx.test': [A('192.0.2.31')], 'b.v4mx.test': [A('192.0.2.32')], 'c.v4mx.test': [A('192.0.2.33')],
};

let dns: RunningDnsServer;
beforeAll(async () => {
  dns = await startDnsServer({ zone: ZONE, servfail: ['sf.broken.test'], silent: ['quiet.slow.test'] });
});
afterAll(async () => { await dns?.close(); });

const resolver = (): ReturnType<typeof createResolver> => createResolver({ servers: [dns.address], timeoutMs: 300 });
const check = (ip: string, domain: string, extra: { sender?: string; receiver?: string } = {}): Promise<SpfEvaluation> =>
  checkHost({ ip, domain, sender: extra.sender ?? `postmaster@${domain}`, helo: 'mail.sender.test', ...(extra.receiver ? { receiver: extra.receiver } : {}) }, { resolver: resolver(), now: () => 1_700_000_000_000 });
const pathOf = (e: SpfEvaluation): string[] => e.path.map((s) => `${s.domain} ${s.term}`);

describe('check_host(): result, path, counts', () => {
  it('passes through an include, naming the include and the deciding range', async () => {
    const e = await check('192.0.2.10', 'contoso.test');
    expect(e.result).toBe('pass');
    expect(pathOf(e)).toEqual(['contoso.test include:_spf.contoso.test', '_spf.contoso.test ip4:192.0.2.0/25']);
    expect(e.reason).toBe('"ip4:192.0.2.0/25" in the record of _spf.contoso.test matched, through "include:_spf.contoso.test" in the record of contoso.test');
    expect(e.lookups).toBe(1);
    expect(e.explanation).toBeUndefined();
  });

  it('follows a redirect inside an include', async () => {
    const e = await check('198.51.100.10', 'contoso.test');
    expect(e.result).toBe('pass');
    expect(pathOf(e)).toEqual(['contoso.test include:_spf.contoso.test', '_spf.contoso.test redirect=_spf2.contoso.test', '_spf2.contoso.test ip4:198.51.100.10']);
    expect(e.lookups).toBe(2);
  });

  it('matches mx for IPv4, IPv4-mapped IPv6 (as IPv4) and IPv6 clients', async () => {
    for (const ip of ['203.0.113.5', '::ffff:203.0.113.5', '2001:db8:5::5']) {
      const e = await check(ip, 'contoso.test');
      expect(e.result, ip).toBe('pass');
      expect(pathOf(e).at(-1)).toBe('contoso.test mx');
      expect(e.lookups).toBe(3);
    }
    expect((await check('::ffff:203.0.113.5', 'contoso.test')).ip).toBe('203.0.113.5');
  });

  it('applies a prefix length to an a term', async () => {
    expect(pathOf(await check('203.0.113.77', 'contoso.test')).at(-1)).toBe('contoso.test a:web.contoso.test/24');
  });

  it('fails with the exp= explanation, expanding %{c}, %{r}, %{t} and URL-escaped %{S}', async () => {
    const e = await check('192.0.2.200', 'contoso.test', { receiver: 'mx.receiver.test', sender: 'bob@contoso.test' });
    expect(e.result).toBe('fail');
    expect(pathOf(e)).toEqual(['contoso.test -all']);
    expect(e.lookups).toBe(4);
    expect(e.explanation).toBe('192.0.2.200 may not send for contoso.test (checked by mx.receiver.test at 1700000000 for 192.0.2.200; sender bob%40contoso.test)');
  });

  it('uses both prefix lengths of a/24//64', async () => {
    expect((await check('192.0.2.99', 'v6.test')).result).toBe('pass');
    expect((await check('2001:db8:6::ffff', 'v6.test')).result).toBe('pass');
    expect((await check('2001:db8:7::1', 'v6.test')).result).toBe('fail');
  });

  it('returns none without a record, and permerror for an include of a domain without one', async () => {
    expect(await check('192.0.2.1', 'nospf.test')).toMatchObject({ result: 'none', reason: 'nospf.test has no SPF record' });
    const e = await check('192.0.2.1', 'inclnone.test');
    expect(e.result).toBe('permerror');
    expect(pathOf(e)).toEqual(['inclnone.test include:nospf.test']);
  });

  it('returns permerror for two SPF records and for include:<script>', async () => {
    expect((await check('192.0.2.1', 'two.test')).reason).toMatch(/2 SPF records/);
    const e = await check('192.0.2.1', 'script.test');
    expect(e.result).toBe('permerror');
    expect(e.reason).toMatch(/"include:<script>" is not valid: "<script>" is not a domain name/);
  });
});

describe('check_host(): processing limits (RFC 7208 §4.6.4)', () => {
  it('stops at the 11th DNS-querying term with permerror, naming it', async () => {
    const e = await check('192.0.2.99', 'many.test');
    expect(e.result).toBe('permerror');
    expect(e.reason).toMatch(/more than 10 DNS-querying terms: "a:h11.many.test"/);
    expect(pathOf(e).at(-1)).toBe('many.test a:h11.many.test');
    expect(e.lookups).toBe(11);
  });

  it('stops at the third void lookup', async () => {
    const e = await check('192.0.2.99', 'voids.test');
    expect(e.result).toBe('permerror');
    expect(e.voidLookups).toBe(3);
    expect(e.reason).toMatch(/more than 2 void lookups.*n3\.voids\.test/);
    expect(pathOf(e)).toEqual(['voids.test a:n3.voids.test']);
  });

  it('counts the MX query as a void lookup, not the missing AAAA of IPv4-only MX hosts', async () => {
    expect(await check('2001:db8::1', 'v4mx.test')).toMatchObject({ result: 'fail', voidLookups: 0 });
    expect(await check('192.0.2.33', 'v4mx.test')).toMatchObject({ result: 'pass', voidLookups: 0 });
  });

  it('refuses more than 10 MX names', async () => {
    const e = await check('192.0.2.77', 'bigmx.test');
    expect(e).toMatchObject({ result: 'permerror', reason: expect.stringMatching(/11 MX records/) });
  });

  it('looks at the first 10 PTR names only, and validates them forward', async () => {
    expect((await check('192.0.2.50', 'ptr.test')).result).toBe('fail');
    expect((await check('192.0.2.51', 'ptr.test')).result).toBe('pass');
  });

  it('expands %{p} to the validated name', async () => {
    const e = await check('192.0.2.51', 'pmacro.test');
    expect(e.result).toBe('pass');
    expect(pathOf(e)).toEqual(['pmacro.test exists:%{p}.allowed.pmacro.test']);
  });
});

describe('check_host(): DNS failures are temperror', () => {
  it('SERVFAIL in an include', async () => {
    const e = await check('192.0.2.1', 'broken.test');
    expect(e.result).toBe('temperror');
    expect(e.reason).toMatch(/TXT lookup of sf\.broken\.test failed \(servfail/);
    expect(pathOf(e)).toEqual(['broken.test include:sf.broken.test']);
  });

  it('a timeout, within the resolver deadline', async () => {
    const started = Date.now();
    const e = await check('192.0.2.1', 'slow.test');
    expect(e.result).toBe('temperror');
    expect(e.reason).toMatch(/A lookup of quiet\.slow\.test failed \(timeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('flattenSpf', () => {
  it('lists the ranges through include, redirect, mx and a, each with where it comes from', async () => {
    const flat = await flattenSpf('contoso.test', { resolver: resolver() });
    expect(flat.ipv4.map((r) => r.range)).toEqual(['192.0.2.0/25', '198.51.100.10/32', '203.0.113.0/24', '203.0.113.5/32']);
    expect(flat.ipv6.map((r) => r.range)).toEqual(['2001:db8:1::/48', '2001:db8:5::5/128']);
    expect(flat.ipv4.find((r) => r.range === '198.51.100.10/32')?.via).toEqual(['contoso.test: include:_spf.contoso.test', '_spf.contoso.test: redirect=_spf2.contoso.test', '_spf2.contoso.test: ip4:198.51.100.10']);
    expect(flat).toMatchObject({ complete: true, notFlattened: [], lookups: 4 });
    expect(flat.connector.senderIpAddresses).toEqual(['192.0.2.0/25', '198.51.100.10', '203.0.113.0/24', '203.0.113.5']);
    expect(flat.connector.unusable.map((u) => u.range)).toEqual(['2001:db8:1::/48', '2001:db8:5::5/128']);
  });

  it('says what it cannot flatten: ptr, exists, macros, exceptions, +all, failed lookups', async () => {
    const flat = await flattenSpf('macro.test', { resolver: resolver() });
    expect(flat.complete).toBe(false);
    expect(flat.notFlattened.map((n) => n.term)).toEqual(['ptr:contoso.test', 'exists:%{l}.bl.macro.test', 'a:mx.contoso.test/28', 'include:_spf.contoso.test']);
    expect(flat.notFlattened[0]!.reason).toMatch(/reverse DNS/);
    expect(flat.notFlattened[1]!.reason).toMatch(/DNS answer for each message/);
    expect(flat.notFlattened[2]!.reason).toMatch(/exceptions/);
    expect(flat.ipv4.map((r) => r.range)).toContain('203.0.113.0/28');
    const open = await flattenSpf('open.test', { resolver: resolver() });
    expect(open.notFlattened).toEqual([{ domain: 'open.test', term: '+all', reason: expect.stringMatching(/every address/) }]);
    const broken = await flattenSpf('broken.test', { resolver: resolver() });
    expect(broken.notFlattened[0]!.reason).toMatch(/servfail/);
    const many = await flattenSpf('many.test', { resolver: resolver() });
    expect(many.notFlattened.at(-1)!.reason).toMatch(/11 DNS-querying terms: receivers stop at the 10th/);
  });
});

describe('own server: does mail from my IP pass SPF for my domain?', () => {
  it('gives SPF_OWN_SERVER_PASSES or SPF_OWN_SERVER_FAILS with the path and reason', async () => {
    const good = await doesIpPassSpf('contoso.test', '203.0.113.5', { resolver: resolver() });
    expect(good.passes).toBe(true);
    expect(ownServerFinding('contoso.test', good)).toMatchObject({ code: 'SPF_OWN_SERVER_PASSES', severity: 'ok' });
    const bad = await doesIpPassSpf('contoso.test', '192.0.2.200', { resolver: resolver() });
    const f = ownServerFinding('contoso.test', bad);
    expect(f).toMatchObject({ code: 'SPF_OWN_SERVER_FAILS', severity: 'fail', subject: 'contoso.test from 192.0.2.200' });
    expect(f.message).toMatch(/gets SPF fail/);
    expect(f.evidence).toContain('path: contoso.test -all');
    const unsure = ownServerFinding('broken.test', await doesIpPassSpf('broken.test', '192.0.2.1', { resolver: resolver() }));
    expect(unsure).toMatchObject({ code: 'SPF_OWN_SERVER_FAILS', severity: 'warn' });
  });
});

describe('mailflow-doctor spf', () => {
  it('prints the result, the path, the counts and the explanation; exit 1 for fail', async () => {
    const { code, out } = await runCli(['spf', 'contoso.test', '--ip', '192.0.2.200', '--sender', 'bob@contoso.test', '--dns-server', dns.address, '--timeout', '2']);
    expect(code).toBe(1);
    expect(out).toContain('SPF for contoso.test: fail: the domain says this address must not send its mail');
    expect(out).toContain('client 192.0.2.200, sender bob@contoso.test, HELO contoso.test');
    expect(out).toMatch(/contoso\.test {2}-all {2}<- decided/);
    expect(out).toContain('Lookups: 4 of 10 DNS-querying terms, 0 of 2 void lookups');
    expect(out).toContain('Explanation (exp=): 192.0.2.200 may not send for contoso.test (checked by unknown at');
  });

  it('exit 0 for pass, with the include chain indented', async () => {
    const { code, out } = await runCli(['spf', 'contoso.test', '--ip', '198.51.100.10', '--dns-server', dns.address]);
    expect(code).toBe(0);
    expect(out).toContain('  contoso.test  include:_spf.contoso.test\n    _spf.contoso.test  redirect=_spf2.contoso.test\n      _spf2.contoso.test  ip4:198.51.100.10  <- decided');
  });

  it('--json gives the same evaluation', async () => {
    const { code, out } = await runCli(['spf', 'contoso.test', '--ip', '2001:db8:1::1', '--json', '--dns-server', dns.address]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as SpfEvaluation;
    expect(json).toMatchObject({ result: 'pass', ip: '2001:db8:1::1', domain: 'contoso.test', sender: 'postmaster@contoso.test', lookups: 1, voidLookups: 0 });
    expect(json.path.map((s) => s.term)).toEqual(['include:_spf.contoso.test', 'ip6:2001:db8:1::/48']);
  });

  it('shows hostile record text as text, and permerror exits 1', async () => {
    const { code, out } = await runCli(['spf', 'script.test', '--ip', '192.0.2.1', '--dns-server', dns.address, '--no-color']);
    expect(code).toBe(1);
    expect(out).toContain('permerror');
    expect(out).toContain('"<script>" is not a domain name');
    expect(out).toMatch(/script\.test {2}include:<script> {2}<- stopped here/);
  });

  it('takes an address as the domain and the sender', async () => {
    const { out } = await runCli(['spf', 'bob@contoso.test', '--ip', '192.0.2.10', '--dns-server', dns.address]);
    expect(out).toContain('SPF for contoso.test: pass');
    expect(out).toContain('sender bob@contoso.test');
  });

  it('--flatten lists the ranges, where each comes from, and what a partner connector can take', async () => {
    const { code, out } = await runCli(['spf', 'contoso.test', '--flatten', '--dns-server', dns.address]);
    expect(code).toBe(0);
    expect(out).toContain('SPF of contoso.test, flattened: 4 IPv4 ranges, 2 IPv6 ranges (4 DNS-querying terms)');
    expect(out).toMatch(/198\.51\.100\.10\/32 +contoso\.test: include:_spf\.contoso\.test -> _spf\.contoso\.test: redirect=_spf2\.contoso\.test -> _spf2\.contoso\.test: ip4:198\.51\.100\.10/);
    expect(out).toContain('  192.0.2.0/25, 198.51.100.10, 203.0.113.0/24, 203.0.113.5');
    expect(out).toContain('not usable 2001:db8:1::/48: IPv6');
  });

  it('--flatten --json, and exit 1 when part of the SPF cannot be flattened', async () => {
    const { code, out } = await runCli(['spf', 'macro.test', '--flatten', '--json', '--dns-server', dns.address]);
    expect(code).toBe(1);
    const json = JSON.parse(out) as { complete: boolean; notFlattened: { term: string }[] };
    expect(json.complete).toBe(false);
    expect(json.notFlattened.map((n) => n.term)).toContain('exists:%{l}.bl.macro.test');
  });

  const usage: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['no --ip', ['spf', 'contoso.test'], /give --ip <address>.*or --flatten/],
    ['--flatten with --ip', ['spf', 'contoso.test', '--flatten', '--ip', '192.0.2.1'], /takes no --ip/],
    ['a bad --ip', ['spf', 'contoso.test', '--ip', '192.0.2.300'], /--ip "192.0.2.300" is not an IPv4 or IPv6 address/],
    ['a bad domain', ['spf', 'con toso.test', '--ip', '192.0.2.1'], /contains spaces/],
    ['a bad --sender', ['spf', 'contoso.test', '--ip', '192.0.2.1', '--sender', 'no-at-sign'], /is not an address/],
    ['a bad --helo', ['spf', 'contoso.test', '--ip', '192.0.2.1', '--helo', 'a b'], /is not a host name/],
  ];
  for (const [what, args, message] of usage) {
    it(`exit 2 for ${what}`, async () => {
      const { code, err } = await runCli([...args, '--dns-server', dns.address]);
      expect(code).toBe(2);
      expect(err).toMatch(message);
    });
  }
});

describe('mailflow-doctor check --sender-ip', () => {
  it('adds one SPF finding per address, and a failing one makes the exit code 1', async () => {
    const { code, out } = await runCli(['check', 'contoso.test', '--sender-ip', '203.0.113.5', '--sender-ip', '192.0.2.200', '--no-probe', '--json', '--dns-server', dns.address, '--timeout', '2']);
    const report = CheckReportSchema.parse(JSON.parse(out));
    const own = report.findings.filter((f) => f.code.startsWith('SPF_OWN_SERVER'));
    expect(own.map((f) => `${f.code} ${f.subject}`).sort()).toEqual(['SPF_OWN_SERVER_FAILS contoso.test from 192.0.2.200', 'SPF_OWN_SERVER_PASSES contoso.test from 203.0.113.5']);
    expect(own.find((f) => f.code === 'SPF_OWN_SERVER_FAILS')?.fix).toMatch(/ip4:<address>/);
    expect(code).toBe(1);
  });

  it('rejects an address that is not one before any lookup', async () => {
    const asked = dns.log.length;
    const { code, err } = await runCli(['check', 'contoso.test', '--sender-ip', 'mx.contoso.test', '--no-probe', '--dns-server', dns.address, '--compare-dns', dns.address, '--compare-dns', dns.address]);
    expect(code).toBe(2);
    expect(dns.log.length).toBe(asked);
    expect(err).toMatch(/--sender-ip "mx.contoso.test" is not an IPv4 or IPv6 address/);
  });

  it('reports include:<script> as a syntax error in the domain check, not a missing record', async () => {
    const { out } = await runCli(['check', 'script.test', '--no-probe', '--json', '--dns-server', dns.address, '--timeout', '2']);
    const codes = CheckReportSchema.parse(JSON.parse(out)).findings.map((f) => f.code);
    expect(codes).toContain('SPF_SYNTAX');
    expect(codes).not.toContain('SPF_INCLUDE_NO_RECORD');
  });
});
