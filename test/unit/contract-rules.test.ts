import { describe, expect, it } from 'vitest';
import {
  certificateNameRule,
  domainPatternRule,
  domainRule,
  hostNameRule,
  ipv4Rule,
  publicIpv4RangeRule,
  publicIpv4Rule,
  quoteValue,
  smartHostRule,
  toAsciiName,
} from '../../src-main/contract/rules';
import { ruleSchema } from '../../src-main/contract/rule-schema';

describe('value rules: one judgement per kind of value', () => {
  it.each([
    ['mail.contoso.com', undefined],
    ['MAIL.Contoso.com.', undefined],
    ['mail.bücher.example', undefined],
    ['mail fabrikam com', /has spaces/],
    ['mail,fabrikam.com', /comma/],
    ['not a host', /has spaces/],
    ['contoso', /not a full name/],
    ['-mail.contoso.com', /characters a host name cannot have/],
    ['mail..contoso.com', /empty part/],
    ['1.2.3.4', /looks like an IP address/],
    ['', /empty/],
    [`${'a'.repeat(64)}.com`, /at most 63/],
  ])('host name %j', (value, expected) => {
    const problem = hostNameRule(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it.each([
    ['contoso.com', undefined],
    ['contosobank', /not a full name \(no dot\).*contoso\.com/],
    ['contoso bank.com', /has spaces/],
    ['<script>.com', /characters/],
  ])('domain %j', (value, expected) => {
    const problem = domainRule(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it('domain patterns allow *.domain only as the first part', () => {
    expect(domainPatternRule('*.contoso.com')).toBeUndefined();
    expect(domainPatternRule('mail.*.contoso.com')).toMatch(/only as "\*\.domain"/);
    expect(domainPatternRule('*')).toMatch(/every domain/);
    expect(certificateNameRule('*.contoso.com')).toBeUndefined();
    expect(certificateNameRule('mail.contoso.com')).toBeUndefined();
    expect(certificateNameRule('a*.contoso.com')).toMatch(/wildcard/);
  });

  it.each([
    ['203.0.113.10', undefined],
    ['203.0.113.300', /not an IPv4 address/],
    ['999.1.1.1', /not an IPv4 address/],
    ['2001:db8::1', /IPv6/],
  ])('IPv4 %j', (value, expected) => {
    const problem = ipv4Rule(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it.each([
    ['203.0.113.10', undefined],
    ['8.8.8.8', undefined],
    ['192.168.1.10', /private address \(192\.168\.0\.0\/16\).*public address/],
    ['10.1.2.3', /private address \(10\.0\.0\.0\/8\)/],
    ['172.20.0.1', /private address \(172\.16\.0\.0\/12\)/],
    ['127.0.0.1', /loopback/],
    ['100.64.1.1', /carrier-grade NAT/],
    ['169.254.1.1', /link-local/],
    ['224.0.0.1', /multicast/],
  ])('public IPv4 %j', (value, expected) => {
    const problem = publicIpv4Rule(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it.each([
    ['203.0.113.0/24', undefined],
    ['203.0.113.7/32', undefined],
    ['203.0.113.7', undefined],
    ['203.0.0.0/16', /\/16; connectors accept ranges from \/24 to \/32/],
    ['203.0.113.0/33', /invalid mask/],
    ['10.0.0.0/24', /private/],
  ])('public IPv4 range %j', (value, expected) => {
    const problem = publicIpv4RangeRule(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it.each([
    ['mail.contoso.com', undefined],
    ['203.0.113.25', undefined],
    ['mail.contoso.com:2525', /has a port/],
    ['203.0.113.25:25', /has a port/],
    ['not a host', /has spaces/],
    ['mail', /not a full name/],
    ['192.168.1.25', /private address/],
    ['2001:db8::25', /IPv6/],
  ])('smart host %j', (value, expected) => {
    const problem = smartHostRule(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it('converts IDN to punycode without Node APIs and refuses what no name can hold', () => {
    expect(toAsciiName('Bücher.Example')).toBe('xn--bcher-kva.example');
    expect(toAsciiName('a/b.com')).toBeUndefined();
    expect(toAsciiName('user@contoso.com')).toBeUndefined();
  });

  it('quotes values with control and bidi characters made visible', () => {
    expect(quoteValue('evil\u001b[2J\u202e.com')).toBe('"evil\\u{1b}[2J\\u{202e}.com"');
  });

  it('ruleSchema reports the rule\'s own words', () => {
    const result = ruleSchema(smartHostRule).safeParse('mail.contoso.com:2525');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/has a port/);
    expect(ruleSchema(smartHostRule).parse('  mail.contoso.com ')).toBe('mail.contoso.com');
  });
});
