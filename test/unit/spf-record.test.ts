import { describe, expect, it } from 'vitest';
import { formatIpv6, inNetwork, macroIp, networkText, parseSpfAddress, reverseLookupName } from '../../src-main/engine/spf/address';
import { expandDomainSpec, expandMacros, hasMacros, type MacroValues } from '../../src-main/engine/spf/macros';
import { domainSpecError, isSpfRecord, parseSpfRecord, parseSpfTerm, spfWords } from '../../src-main/engine/spf/record';

/** The RFC 7208 §7.4 example: strong-bad@email.example.com sending from 192.0.2.3 (or 2001:db8::cb01). */
function rfcValues(ip = '192.0.2.3', validated = 'mx.example.org'): MacroValues {
  return {
    sender: 'strong-bad@email.example.com', localPart: 'strong-bad', senderDomain: 'email.example.com', domain: 'email.example.com',
    ip: parseSpfAddress(ip)!, helo: 'mx.example.org', receiver: 'mx.receiver.example', timestamp: 1_700_000_000,
    validatedName: () => Promise.resolve(validated),
  };
}

describe('SPF record parsing (RFC 7208 §4.5, §4.6, §5, §6)', () => {
  it('selects records by "v=spf1" followed by a space or the end, in any case', () => {
    expect(isSpfRecord('v=spf1 -all')).toBe(true);
    expect(isSpfRecord('V=SpF1')).toBe(true);
    expect(isSpfRecord('v=spf10 -all')).toBe(false);
    expect(isSpfRecord('v=spf1\t-all')).toBe(false);
    expect(isSpfRecord('spf2.0/pra -all')).toBe(false);
  });

  it('splits terms on spaces only, one or more', () => {
    expect(spfWords('v=spf1  a   -all ')).toEqual(['a', '-all']);
  });

  it('reads every mechanism with its qualifier, arguments and prefix lengths', () => {
    const parsed = parseSpfRecord('v=spf1 +a -mx:mail.contoso.com/24//64 ~ip4:192.0.2.0/24 ?ip6:2001:db8::/32 a//48 ptr ptr:contoso.com exists:%{i}.bl.contoso.com include:_spf.contoso.com all redirect=_spf.contoso.com exp=exp.contoso.com moo=bar');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.record.mechanisms.map((m) => `${m.qualifier}${m.kind}`)).toEqual(['+a', '-mx', '~ip4', '?ip6', '+a', '+ptr', '+ptr', '+exists', '+include', '+all']);
    expect(parsed.record.mechanisms[1]).toMatchObject({ kind: 'mx', domainSpec: 'mail.contoso.com', cidr4: 24, cidr6: 64 });
    expect(parsed.record.mechanisms[0]).toMatchObject({ kind: 'a', cidr4: 32, cidr6: 128 });
    expect(parsed.record.mechanisms[4]).toMatchObject({ kind: 'a', cidr4: 32, cidr6: 48 });
    expect(parsed.record.mechanisms[2]).toMatchObject({ kind: 'ip4', network: '192.0.2.0', prefix: 24 });
    expect(parsed.record.redirect).toBe('_spf.contoso.com');
    expect(parsed.record.exp).toBe('exp.contoso.com');
    expect(parsed.record.terms.filter((t) => t.type === 'modifier').map((t) => t.type === 'modifier' && t.name)).toEqual(['redirect', 'exp', 'moo']);
  });

  const invalid: ReadonlyArray<readonly [string, RegExp]> = [
    ['include:<script>', /not a domain name/],
    ['include:<script>alert(1)</script>', /not a domain name/],
    ['a:foo-bar', /not a domain name/],
    ['a:contoso.123', /not a domain name/],
    ['include:', /domain is empty/],
    ['include', /needs a domain/],
    ['exists', /needs a domain/],
    ['ip4:192.0.2.0/33', /over 32/],
    ['ip4:192.0.2.1/032', /not a prefix length/],
    ['ip4:192.0.2', /not an IPv4 address/],
    ['ip4:01.2.3.4', /not an IPv4 address/],
    ['ip6:2001:db8::/129', /over 128/],
    ['ip6:192.0.2.1', /not an IPv6 address/],
    ['a/33', /over 32/],
    ['mx//129', /over 128/],
    ['all:foo.com', /takes no argument/],
    ['all.', /takes no argument/],
    ['inclde:x.test', /not an SPF mechanism/],
    ['redirect:contoso.com', /not an SPF mechanism/],
    ['moo.cow/far_out=man:dog/cat', /not an SPF mechanism/],
    ['exists:%{x}.contoso.com', /invalid macro/],
    ['exists:%{d0}.contoso.com', /keeps zero labels/],
    ['exists:%{c}.contoso.com', /only an explanation/],
    ['a:%contoso.com', /does not start a macro/],
    ['redirect=contoso', /not a domain name/],
    ['foo=%{q}', /invalid macro/],
    ['-', /neither a mechanism/],
  ];
  for (const [term, reason] of invalid) {
    it(`rejects "${term}" with the reason`, () => {
      const parsed = parseSpfTerm(term);
      expect(parsed.type).toBe('error');
      if (parsed.type === 'error') expect(parsed.reason).toMatch(reason);
    });
  }

  it('accepts domain-specs that end in a macro or a dotted top label, with an optional final dot', () => {
    for (const spec of ['contoso.com', 'contoso.com.', '%{d}', 'foo.%{d}', '%{ir}.%{v}._spf.%{d2}', 'x-1.co-uk', '_spf.contoso.com', 'macro%%percent%_%_space%-url-space.example.com']) {
      expect(domainSpecError(spec), spec).toBeUndefined();
    }
  });

  it('makes the whole record a permerror for any bad term, duplicate redirect/exp, or non-ASCII text', () => {
    expect(parseSpfRecord('v=spf1 ip4:192.0.2.1 -all moo')).toMatchObject({ ok: false, term: 'moo' });
    expect(parseSpfRecord('v=spf1 redirect=a.test redirect=b.test')).toMatchObject({ ok: false, reason: expect.stringMatching(/more than once/) });
    expect(parseSpfRecord('v=spf1 exp=a.test exp=b.test -all')).toMatchObject({ ok: false });
    expect(parseSpfRecord('v=spf1 a:b\u00fccher.example -all')).toMatchObject({ ok: false, reason: expect.stringMatching(/not ASCII/) });
    expect(parseSpfRecord('v=spf1 a:ctrl.example.com\rptr -all')).toMatchObject({ ok: false });
    expect(parseSpfRecord('v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all')).toMatchObject({ ok: true });
  });
});

describe('macro expansion (RFC 7208 §7)', () => {
  const examples: ReadonlyArray<readonly [string, string]> = [
    ['%{s}', 'strong-bad@email.example.com'],
    ['%{o}', 'email.example.com'],
    ['%{d}', 'email.example.com'],
    ['%{d4}', 'email.example.com'],
    ['%{d3}', 'email.example.com'],
    ['%{d2}', 'example.com'],
    ['%{d1}', 'com'],
    ['%{dr}', 'com.example.email'],
    ['%{d2r}', 'example.email'],
    ['%{l}', 'strong-bad'],
    ['%{l-}', 'strong.bad'],
    ['%{lr}', 'strong-bad'],
    ['%{lr-}', 'bad.strong'],
    ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
    ['%{p}.%{h}', 'mx.example.org.mx.example.org'],
    ['%%%_%-', '% %20'],
  ];
  for (const [macro, expected] of examples) {
    it(`expands ${macro} as the RFC's §7.4 example says`, async () => {
      expect(await expandMacros(macro, rfcValues())).toBe(expected);
    });
  }

  it('expands the IPv6 example (nibbles; DNS does not care about their case)', async () => {
    const text = await expandMacros('%{ir}.%{v}._spf.%{d2}', rfcValues('2001:db8::cb01'));
    expect(text.toLowerCase()).toBe('1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com');
  });

  it('URL-escapes the value of an upper-case macro letter, and only then', async () => {
    expect(await expandMacros('%{S}', rfcValues())).toBe('strong-bad%40email.example.com');
    const values = { ...rfcValues(), localPart: 'a b/c~d' };
    expect(await expandMacros('%{L}', values)).toBe('a%20b%2Fc~d');
    expect(await expandMacros('%{l}', values)).toBe('a b/c~d');
  });

  it('splits on every delimiter given and joins with dots; keeps the right-most N after reversing', async () => {
    const values = { ...rfcValues(), localPart: 'a-b+c_d=e,f/g' };
    expect(await expandMacros('%{l-+_=,/}', values)).toBe('a.b.c.d.e.f.g');
    expect(await expandMacros('%{l2r-+_=,/}', values)).toBe('b.a');
    expect(await expandMacros('%{d99}', rfcValues())).toBe('email.example.com');
  });

  it('allows c, r and t in explanations only, with spaces', async () => {
    expect(await expandMacros('%{c} via %{r} at %{t}', rfcValues('2001:db8::cb01'), { explanation: true })).toBe('2001:db8::cb01 via mx.receiver.example at 1700000000');
    await expect(expandMacros('%{c}', rfcValues())).rejects.toThrow(/only an explanation/);
    await expect(expandMacros('a b', rfcValues())).rejects.toThrow(/space/);
  });

  it('cuts an expanded name from the left to 253 characters and drops the final dot', async () => {
    const values = { ...rfcValues(), localPart: Array.from({ length: 60 }, (_, i) => `label${i}`).join('.') };
    const name = await expandDomainSpec('%{l}.example.com.', values);
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name.endsWith('label59.example.com')).toBe(true);
    expect(name.startsWith('label')).toBe(true);
  });

  it('knows which domain-specs depend on the message', () => {
    expect(hasMacros('%{i}.bl.contoso.com')).toBe(true);
    expect(hasMacros('spf.protection.outlook.com')).toBe(false);
    expect(hasMacros('50%%.contoso.com')).toBe(false);
  });
});

describe('client addresses', () => {
  it('treats IPv4-mapped IPv6 as IPv4 and writes IPv6 as RFC 5952 does', () => {
    expect(parseSpfAddress('::ffff:192.0.2.1')).toMatchObject({ version: 4, text: '192.0.2.1' });
    expect(parseSpfAddress('[2001:DB8:0:0:0:0:0:1]')).toMatchObject({ version: 6, text: '2001:db8::1' });
    expect(parseSpfAddress('192.0.2.300')).toBeUndefined();
    expect(parseSpfAddress('fe80::1%eth0')).toBeUndefined();
    expect(formatIpv6(parseSpfAddress('2001:db8:0:1:0:0:0:1')!.bytes)).toBe('2001:db8:0:1::1');
  });

  it('matches prefixes bit by bit, never across versions', () => {
    const net = parseSpfAddress('192.0.2.128')!;
    expect(inNetwork(parseSpfAddress('192.0.2.200')!, net, 25)).toBe(true);
    expect(inNetwork(parseSpfAddress('192.0.2.100')!, net, 25)).toBe(false);
    expect(inNetwork(parseSpfAddress('10.9.9.9')!, net, 0)).toBe(true);
    expect(inNetwork(parseSpfAddress('2001:db8::1')!, net, 0)).toBe(false);
    expect(inNetwork(parseSpfAddress('2001:db8:ffff::1')!, parseSpfAddress('2001:db8::')!, 32)).toBe(true);
    expect(networkText(parseSpfAddress('2001:db8:abcd::1')!, 36)).toBe('2001:db8:a000::');
  });

  it('gives the i macro and reverse names', () => {
    expect(macroIp(parseSpfAddress('192.0.2.3')!)).toBe('192.0.2.3');
    expect(reverseLookupName(parseSpfAddress('192.0.2.3')!)).toBe('3.2.0.192.in-addr.arpa');
    expect(reverseLookupName(parseSpfAddress('2001:db8::cb01')!)).toBe('1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });
});
