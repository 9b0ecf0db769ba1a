import { describe, expect, it } from 'vitest';
import { NetworkSettingsSchema } from '../../src-main/contract/api';
import { isIpv4Address, isIpv6Address } from '../../src-main/contract/rules';
import { checkNetworkSettings, DEFAULT_NETWORK_SETTINGS, isDnsServer, isLoopbackAddress, TIMEOUT_RULE, type NetworkSettingsInput } from '../../src-main/contract/settings';

/**
 * The network settings' one judgement (checkNetworkSettings), which the CLI
 * calls directly and the contract's schema delegates to: plain code, so a
 * probe starts without building zod (issue 12).
 */
const base: NetworkSettingsInput = { ...DEFAULT_NETWORK_SETTINGS };

describe('IP address rules without a schema library', () => {
  it.each(['::1', '2001:db8::25', '::ffff:192.0.2.1', 'fe80::1', '2001:DB8:0:0:0:0:0:1', '::'])('takes the IPv6 address %s', (value) => {
    expect(isIpv6Address(value)).toBe(true);
  });

  it.each(['::@1\\', '::1\n', '::1\t', '1.2.3.4', '2001:db8:::1', 'gggg::1', '[::1]', '::1%eth0', '', ':'])('refuses %j as an IPv6 address', (value) => {
    expect(isIpv6Address(value)).toBe(false);
  });

  it.each([['192.0.2.10', true], ['0.0.0.0', true], ['255.255.255.255', true], ['1.2.3.256', false], ['01.2.3.4', false], [' 1.2.3.4', false], ['1.2.3', false], ['1.2.3.4.5', false]] as const)('judges %j as an IPv4 address: %s', (value, ok) => {
    expect(isIpv4Address(value)).toBe(ok);
  });

  it('judges DNS servers and loopback addresses with them', () => {
    expect(isDnsServer('[::1]:5353')).toBe(true);
    expect(isDnsServer('127.0.0.1:5353')).toBe(true);
    expect(isDnsServer('192.0.2.1:5353')).toBe(false);
    expect(isDnsServer('[2001:db8::1]:53')).toBe(true);
    expect(isDnsServer('[::@1\\]:5353')).toBe(false);
    expect(isLoopbackAddress('0:0:0:0:0:0:0:1')).toBe(true);
    expect(isLoopbackAddress('::2')).toBe(false);
  });
});

describe('checkNetworkSettings', () => {
  it('gives the settings with each value trimmed and missing lists empty', () => {
    const checked = checkNetworkSettings({ dnsServers: [' 192.0.2.53 '], timeoutSeconds: 5, caFiles: [], heloName: ' mail.contoso.com ', doh: undefined });
    expect(checked).toEqual({ settings: { dnsServers: ['192.0.2.53'], timeoutSeconds: 5, caFiles: [], heloName: 'mail.contoso.com', dkimSelectors: [], publicCaFiles: [] } });
  });

  it('names every problem, in the order of the fields, with the position in a list', () => {
    const checked = checkNetworkSettings({
      ...base,
      dnsServers: ['192.0.2.53', 'dns.example'],
      doh: 'http://dns.example/dns-query',
      timeoutSeconds: 2.5,
      caFiles: ['relative.pem'],
      heloName: 'x y',
      dkimSelectors: ['a.b'],
      publicCaFiles: [' '],
    });
    expect('problems' in checked && checked.problems.map((p) => p.path.join('.'))).toEqual(['dnsServers.1', 'doh', 'timeoutSeconds', 'caFiles.0', 'heloName', 'dkimSelectors.0', 'publicCaFiles.0']);
  });

  it.each([
    ['soon', TIMEOUT_RULE],
    [2.5, TIMEOUT_RULE],
    [Number.NaN, TIMEOUT_RULE],
    [Number.POSITIVE_INFINITY, TIMEOUT_RULE],
    [0, 'at least 1 second (at most 60)'],
    [61, 'at most 60 seconds'],
  ] as const)('refuses the timeout %j: %s', (timeoutSeconds, words) => {
    expect(checkNetworkSettings({ ...base, timeoutSeconds })).toEqual({ problems: [{ path: ['timeoutSeconds'], message: words }] });
  });

  it.each([
    ['dns.example/dns-query', /^not a web address/],
    ['http://dns.example/dns-query', /^DNS over HTTPS needs an https:\/\/ address$/],
    ['https://dns.example:8443/dns-query', /standard port 443/],
    ['https://user:secret@dns.example/dns-query', /no user name or password/],
    [`https://dns.example/${'a'.repeat(2048)}`, /^at most 2048 characters$/],
  ])('refuses the DNS-over-HTTPS address %j', (doh, words) => {
    const checked = checkNetworkSettings({ ...base, doh });
    expect('problems' in checked && checked.problems[0]?.message).toMatch(words);
  });

  it('takes a DNS-over-HTTPS address on another port on this computer only', () => {
    expect(checkNetworkSettings({ ...base, doh: 'https://127.0.0.1:8443/dns-query' })).toHaveProperty('settings.doh', 'https://127.0.0.1:8443/dns-query');
  });

  it('caps each list, in words', () => {
    const checked = checkNetworkSettings({ ...base, dnsServers: Array.from({ length: 9 }, (_, i) => `192.0.2.${i + 1}`), dkimSelectors: Array.from({ length: 11 }, (_, i) => `s${i}`) });
    expect('problems' in checked && checked.problems).toEqual([
      { path: ['dnsServers'], message: 'at most 8 DNS servers' },
      { path: ['dkimSelectors'], message: 'at most 10 DKIM selectors' },
    ]);
  });
});

describe('the contract\'s NetworkSettingsSchema', () => {
  it('refuses with the words and paths of checkNetworkSettings, and gives its settings', () => {
    const bad = NetworkSettingsSchema.safeParse({ ...base, dnsServers: ['dns.example'], heloName: 'x y' });
    expect(bad.success).toBe(false);
    const checked = checkNetworkSettings({ ...base, dnsServers: ['dns.example'], heloName: 'x y' });
    expect(bad.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual('problems' in checked ? checked.problems : []);
    expect(NetworkSettingsSchema.parse({ dnsServers: [], timeoutSeconds: 10, caFiles: [] })).toEqual(DEFAULT_NETWORK_SETTINGS);
  });

  it('says the timeout rule for a timeout that is not a number at all', () => {
    const result = NetworkSettingsSchema.safeParse({ ...base, timeoutSeconds: 'soon' });
    expect(result.error?.issues[0]).toMatchObject({ path: ['timeoutSeconds'], message: TIMEOUT_RULE });
  });
});
