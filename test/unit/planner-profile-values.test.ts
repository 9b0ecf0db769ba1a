import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../src-main/contract/planner';
import { hostNameRule, domainPatternRule, publicIpv4RangeRule, publicIpv4Rule, smartHostRule } from '../../src-main/contract/rules';
import { parseProfile } from '../../src-main/planner/index';

/**
 * The profile's fields are judged by the one rule for their kind of value
 * (contract/rules.ts), so the schema, the wizard, the CLI and the planner
 * refuse the same values with the same words.
 */
const base = JSON.parse(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
  ownServers: Record<string, unknown>[]; partners: Record<string, unknown>[]; devices: Record<string, unknown>[];
};
const withServer = (extra: Record<string, unknown>) => ({ ...base, ownServers: [{ ...base.ownServers[0], ...extra }] });
const withPartner = (extra: Record<string, unknown>) => ({ ...base, partners: [{ ...base.partners[0], ...extra }] });
const withDevice = (extra: Record<string, unknown>) => ({ ...base, devices: [{ ...base.devices[0], ...extra }] });

function problem(data: unknown): { path: string; message: string } | undefined {
  const result = ProfileSchema.safeParse(data);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
}

describe('profile values are checked with the contract rules', () => {
  it.each([
    ['a host name with spaces', withServer({ hostNames: ['mail fabrikam com'] }), 'ownServers.0.hostNames.0', hostNameRule('mail fabrikam com')],
    ['a partner domain without a dot', withPartner({ domains: ['contosobank'] }), 'partners.0.domains.0', domainPatternRule('contosobank')],
    ['an impossible IPv4 address', withDevice({ staticPublicIp: '203.0.113.300' }), 'devices.0.staticPublicIp', publicIpv4Rule('203.0.113.300')],
    ['a private address in a public-IP field', withServer({ publicIps: ['192.168.1.10'] }), 'ownServers.0.publicIps.0', publicIpv4RangeRule('192.168.1.10')],
    ['a private device address', withDevice({ staticPublicIp: '10.1.2.3' }), 'devices.0.staticPublicIp', publicIpv4Rule('10.1.2.3')],
    ['a /16 range', withPartner({ ipRanges: ['198.51.0.0/16'] }), 'partners.0.ipRanges.0', publicIpv4RangeRule('198.51.0.0/16')],
    ['a smart host with a port', withPartner({ smartHosts: ['mx.contosobank.com:2525'] }), 'partners.0.smartHosts.0', smartHostRule('mx.contosobank.com:2525')],
    ['a smart host that is not a host', withPartner({ smartHosts: ['not a host'] }), 'partners.0.smartHosts.0', smartHostRule('not a host')],
  ])('refuses %s with the rule\'s words', (_what, data, path, words) => {
    expect(words).toBeTruthy();
    expect(problem(data)).toEqual({ path, message: words });
  });

  it('names the field and quotes the rule in parseProfile\'s error (the CLI\'s message)', () => {
    expect(() => parseProfile(JSON.stringify(withServer({ hostNames: ['mail fabrikam com'] })), 'p.json')).toThrow(/p\.json: ownServers\[0\]\.hostNames\[0\]: "mail fabrikam com" has spaces/);
  });

  it('accepts the values the article and the cmdlets take', () => {
    expect(problem(withPartner({ domains: ['contosobank.com', '*.contosobank.com'], smartHosts: ['mx.contosobank.com', '198.51.100.7'], ipRanges: ['198.51.100.0/24'] }))).toBeUndefined();
    expect(problem(withServer({ certificateName: '*.contoso.com' }))).toBeUndefined();
  });

  it('keeps every example in examples/ valid', () => {
    const dir = new URL('../../examples/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'profile.schema.json' && !f.includes('connectors'));
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) expect(() => parseProfile(readFileSync(new URL(f, dir), 'utf8'), f)).not.toThrow();
  });
});
