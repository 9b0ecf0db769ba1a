import { describe, expect, it } from 'vitest';
import { expandIpv6, sameAddress, wildcardMatches } from '../../src-main/engine/dns/names';
import { reverseName } from '../../src-main/engine/checks/host';
import { mxMatchesPattern } from '../../src-main/engine/checks/mta-sts';

/** One rule for "* is one left-most label" and one for "the same address", shared by checks, tls and connectors. */
describe('shared name and address rules', () => {
  it.each([
    ['*.contoso.com', 'mx1.contoso.com', true],
    ['*.contoso.com', 'a.b.contoso.com', false],
    ['*.contoso.com', 'contoso.com', false],
    ['*.com', 'contoso.com', false],
    ['MX1.Contoso.com.', 'mx1.contoso.com', true],
    ['mx*.contoso.com', 'mx1.contoso.com', false],
  ])('%s against %s: %s (certificates and MTA-STS alike)', (pattern, host, expected) => {
    expect(wildcardMatches(pattern, host)).toBe(expected);
    expect(mxMatchesPattern(host, pattern)).toBe(expected);
  });

  it('expands IPv6 however it is written, IPv4-mapped included', () => {
    expect(expandIpv6('2001:db8::25').join(':')).toBe('2001:0db8:0000:0000:0000:0000:0000:0025');
    expect(expandIpv6('::1')).toHaveLength(8);
    expect(expandIpv6('::ffff:192.0.2.1').join(':')).toBe('0000:0000:0000:0000:0000:ffff:c000:0201');
    expect(sameAddress('2001:DB8::25', '2001:db8:0:0:0:0:0:25')).toBe(true);
    expect(sameAddress('[::1]', '0:0:0:0:0:0:0:1')).toBe(true);
    expect(sameAddress('192.0.2.1', '192.0.2.10')).toBe(false);
  });

  it('reverse names from the same expansion', () => {
    expect(reverseName('2001:db8::25')).toBe('5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa');
  });
});
