import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedConnector, Profile } from '../../src-main/contract/planner';
import { buildPlan, importConnectors, parseProfile, renderPlanPowerShell } from '../../src-main/planner/index';
import { psQuote } from '../../src-main/planner/powershell';
import { validateConnector } from '../../src-main/planner/validate';

/**
 * The cmdlets' parameters and value kinds, from the fact sheet (§1, PS docs):
 * every parameter the planner writes must be here, with a value of this kind.
 */
type Kind = 'string' | 'bool' | 'domains' | 'ipv4' | 'hosts' | 'domain' | { enum: readonly string[] };
const CONNECTOR_TYPE = { enum: ['Partner', 'OnPremises'] } as const;
const ALLOWED: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
  'New-InboundConnector': {
    Name: 'string', ConnectorType: CONNECTOR_TYPE, SenderDomains: 'domains', SenderIPAddresses: 'ipv4', RequireTls: 'bool',
    RestrictDomainsToCertificate: 'bool', RestrictDomainsToIPAddresses: 'bool', TlsSenderCertificateName: 'domain', TrustedOrganizations: 'domains',
    CloudServicesMailEnabled: 'bool', TreatMessagesAsInternal: 'bool', AssociatedAcceptedDomains: 'domains', EFSkipLastIP: 'bool', EFSkipIPs: 'hosts',
    EFUsers: 'hosts', Enabled: 'bool', Comment: 'string',
  },
  'New-OutboundConnector': {
    Name: 'string', ConnectorType: CONNECTOR_TYPE, RecipientDomains: 'domains', UseMXRecord: 'bool', SmartHosts: 'hosts',
    TlsSettings: { enum: ['EncryptionOnly', 'CertificateValidation', 'DomainValidation'] }, TlsDomain: 'domain', IsTransportRuleScoped: 'bool',
    RouteAllMessagesViaOnPremises: 'bool', AllAcceptedDomains: 'bool', SenderRewritingEnabled: 'bool', TestMode: 'bool',
    MtaStsMode: { enum: ['Opportunistic', 'None'] }, SmtpDaneMode: { enum: ['Opportunistic', 'Mandatory', 'None'] }, CloudServicesMailEnabled: 'bool',
    Enabled: 'bool', Comment: 'string', ValidationRecipients: 'hosts',
  },
};
const ON_PREMISES_ONLY = ['TreatMessagesAsInternal', 'RouteAllMessagesViaOnPremises', 'AllAcceptedDomains', 'SenderRewritingEnabled'];
const PARTNER_ONLY = ['RestrictDomainsToCertificate', 'RestrictDomainsToIPAddresses'];

/** A small tokenizer for what the planner writes: -Param followed by $true/$false or single-quoted strings joined by commas. */
const QUOTE = /['\u2018\u2019\u201A\u201B]/;
function parseCommand(line: string): { cmdlet: string; params: Map<string, string[] | boolean> } {
  let i = 0;
  const skipSpace = () => { while (line[i] === ' ') i++; };
  const word = () => { const s = i; while (i < line.length && line[i] !== ' ') i++; return line.slice(s, i); };
  const quoted = (): string => {
    if (!QUOTE.test(line[i] ?? '')) throw new Error(`expected a quote at ${i}: ${line}`);
    i++;
    let out = '';
    for (;;) {
      const ch = line[i];
      if (ch === undefined) throw new Error(`unterminated string: ${line}`);
      if (QUOTE.test(ch)) {
        if (QUOTE.test(line[i + 1] ?? '')) { out += ch; i += 2; continue; }
        i++;
        return out;
      }
      out += ch;
      i++;
    }
  };
  const cmdlet = word();
  const params = new Map<string, string[] | boolean>();
  for (;;) {
    skipSpace();
    if (i >= line.length) break;
    const name = word();
    if (!name.startsWith('-')) throw new Error(`expected a parameter, found ${name}`);
    skipSpace();
    if (line.startsWith('$true', i) || line.startsWith('$false', i)) {
      params.set(name.slice(1), word() === '$true');
      continue;
    }
    const values = [quoted()];
    while (line[i] === ',') { i++; values.push(quoted()); }
    params.set(name.slice(1), values);
  }
  return { cmdlet, params };
}

const DOMAIN = /^(\*|(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)+[a-z]{2,})$/i;
function checkValue(kind: Kind, value: string[] | boolean, where: string): void {
  if (kind === 'bool') { expect(typeof value, where).toBe('boolean'); return; }
  expect(Array.isArray(value), where).toBe(true);
  const list = value as string[];
  if (kind === 'string' || kind === 'domain' || typeof kind === 'object') expect(list, where).toHaveLength(1);
  for (const v of list) {
    if (typeof kind === 'object') expect(kind.enum, where).toContain(v);
    else if (kind === 'domains' || kind === 'domain') expect(v, where).toMatch(DOMAIN);
    else if (kind === 'ipv4') {
      const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(v);
      expect(m, where).not.toBeNull();
      expect(Number(m?.[5] ?? 32), where).toBeGreaterThanOrEqual(24);
    } else if (kind === 'hosts') expect(v, where).toMatch(/^[A-Za-z0-9.:-]+$/);
  }
}

/** Checks one planned connector's PowerShell against the parameter sets and the cross-parameter rules. */
function checkConnector(c: PlannedConnector): void {
  const line = c.powershell.split('\n').find((l) => l.trim().startsWith('New-'));
  expect(line, c.id).toBeDefined();
  const { cmdlet, params } = parseCommand((line ?? '').trim());
  expect(cmdlet).toBe(c.cmdlet);
  const allowed = ALLOWED[cmdlet] ?? {};
  for (const [name, value] of params) {
    const kind = allowed[name];
    expect(kind, `${c.id}: -${name} is not a parameter of ${cmdlet}`).toBeDefined();
    if (kind) checkValue(kind, value, `${c.id} -${name}`);
  }
  const type = (params.get('ConnectorType') as string[] | undefined)?.[0];
  expect(type, `${c.id} ConnectorType`).toBeDefined();
  for (const p of ON_PREMISES_ONLY) if (params.has(p)) expect(type, `${c.id} -${p} is OnPremises only`).toBe('OnPremises');
  for (const p of PARTNER_ONLY) if (params.has(p)) expect(type, `${c.id} -${p} is Partner only`).toBe('Partner');
  const name = (params.get('Name') as string[])[0] ?? '';
  expect(name.length).toBeLessThanOrEqual(64);
  expect(name).toBe(c.name);
  if (cmdlet === 'New-InboundConnector') expect(params.has('SenderDomains'), `${c.id} SenderDomains is required`).toBe(true);
  if (params.get('UseMXRecord') === false) expect((params.get('SmartHosts') as string[] | undefined)?.length ?? 0, `${c.id} SmartHosts`).toBeGreaterThan(0);
  if (params.has('TlsDomain')) expect(params.get('TlsSettings')).toEqual(['DomainValidation']);
  if (type === 'Partner' && cmdlet === 'New-InboundConnector') {
    const ips = params.has('SenderIPAddresses') || params.get('RestrictDomainsToIPAddresses') === true;
    const cert = params.has('TlsSenderCertificateName') || params.get('RestrictDomainsToCertificate') === true;
    expect(ips && cert, `${c.id}: IPs and a certificate in one partner connector`).toBe(false);
  }
  // The parameters in the plan are exactly what the command says.
  for (const [key, value] of Object.entries(c.parameters)) {
    const written = params.get(key);
    expect(written, `${c.id} -${key}`).toEqual(typeof value === 'boolean' ? value : Array.isArray(value) ? value : [value]);
  }
}

const exampleDir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(exampleDir).filter((f) => f.endsWith('.json') && f !== 'profile.schema.json');
const base: Profile = {
  name: 'Quoting test', acceptedDomains: ['contoso.com'], subscription: 'exchange-online', hybridWizardCompleted: false, mailboxes: 'split', mxPointsTo: 'office365',
  ownServers: [{ name: "O'Brien’s ‘Exchange’ $(Remove-Item C:\\)", kind: 'exchange-2010-or-later', hostNames: ['mail.contoso.com'], publicIps: ['203.0.113.0/24'], domains: ['contoso.com'] }],
  partners: [
    { name: 'Bank `$env:PATH` ‚quoted‛', domains: ['bank.example', '*.bank.example'], requireTlsInbound: true, requireTlsOutbound: true, certificateCheck: 'ca-issued-with-name', certificateName: 'mx.bank.example', senderCertificateName: 'out.bank.example', ipRanges: ['192.0.2.0/24'], smartHosts: ['mx1.bank.example'] },
    { name: 'Archiver', domains: ['archive.example'], requireTlsInbound: false, requireTlsOutbound: true, certificateCheck: 'any', ipRanges: ['198.51.100.0/28'], smartHosts: [] },
  ],
  devices: [{ name: 'Scanner; rm -rf /', externalRecipients: true, staticPublicIp: '203.0.113.77', supportsTls12: false, supportsAuth: false }],
};

describe('the PowerShell the planner writes', () => {
  const plans: Array<[string, Plan]> = [
    ...examples.map((f): [string, Plan] => [f, buildPlan(parseProfile(readFileSync(new URL(f, exampleDir), 'utf8'), f))]),
    ['quoting profile', buildPlan(base)],
  ];
  it.each(plans)('%s: every command uses valid parameter names and values and keeps the cmdlet constraints', (_name, plan) => {
    const created = plan.connectors.filter((c) => c.createdBy === 'you');
    for (const c of created) checkConnector(c);
  });

  it('quotes hostile names so they stay data: quotes (also typographic ones) doubled, nothing expanded', () => {
    const plan = buildPlan(base);
    const own = plan.connectors.find((c) => c.id.startsWith('in-own'));
    const line = own?.powershell.split('\n').find((l) => l.trim().startsWith('New-'))?.trim() ?? '';
    expect(parseCommand(line).params.get('Name')).toEqual([own?.name]);
    expect(own?.name).toContain("O'Brien’s ‘Exchange’ $(Remove-Item C:\\)");
    expect(psQuote("a'b’c")).toBe("'a''b’’c'");
    expect(psQuote('line\nbreak')).toBe("'line break'");
    // Every quote inside a value is doubled, so no value ends its string early.
    expect(line).toContain("'From O''Brien’’s ‘‘Exchange’’ $(Remove-Item C:\\) to Office 365'");
  });

  it('prefers the certificate when a partner has both IPs and a certificate, and says so', () => {
    const plan = buildPlan(base);
    const bankIn = plan.connectors.find((c) => c.id.startsWith('in-partner-bank'));
    expect(bankIn?.parameters).toMatchObject({ RestrictDomainsToCertificate: true, TlsSenderCertificateName: 'out.bank.example' });
    expect(bankIn?.parameters['SenderIPAddresses']).toBeUndefined();
    expect(plan.gaps.find((g) => g.subject === bankIn?.id)?.code).toBe('PARTNER_IPS_AND_CERTIFICATE');
    const bankOut = plan.connectors.find((c) => c.id.startsWith('out-partner-bank'));
    expect(bankOut?.parameters).toMatchObject({ UseMXRecord: false, SmartHosts: ['mx1.bank.example'], TlsSettings: 'DomainValidation', TlsDomain: 'mx.bank.example' });
    const archiver = plan.connectors.find((c) => c.id === 'in-partner-archiver');
    expect(archiver?.parameters).toMatchObject({ RestrictDomainsToIPAddresses: true, SenderIPAddresses: ['198.51.100.0/28'], RequireTls: false });
    expect(plan.connectors.find((c) => c.id === 'out-partner-archiver')?.parameters['TlsSettings']).toBe('EncryptionOnly');
  });

  it('the script checks existence before creating each connector, so it is safe to run twice', () => {
    const plan = buildPlan(base);
    const script = renderPlanPowerShell(plan);
    expect(script).toMatch(/^\uFEFF# Mailflow Doctor/);
    expect(script).toContain("$ErrorActionPreference = 'Stop'");
    const lines = script.split('\n');
    for (const c of plan.connectors) {
      const get = c.cmdlet === 'New-InboundConnector' ? 'Get-InboundConnector' : 'Get-OutboundConnector';
      const check = lines.findIndex((l) => l === `if (-not (${get} | Where-Object { $_.Name -eq ${psQuote(c.name)} })) {`);
      const create = lines.findIndex((l) => l.trim().startsWith(`${c.cmdlet} -Name ${psQuote(c.name)} `));
      expect(check, c.id).toBeGreaterThan(0);
      expect(create, c.id).toBe(check + 1);
      expect(lines[create + 1]).toBe('} else {');
      // The connector is commented with its From/To, reason and rule just above.
      const header = lines.slice(Math.max(0, check - 8), check).join('\n');
      expect(header).toContain(`# ${c.fromToText}`);
      expect(header).toContain('# Why: ');
      expect(header).toContain('# Rule: ');
    }
    // No comment line carries a line break that would turn text into a command.
    for (const l of lines) if (l.startsWith('#')) expect(l).not.toMatch(/[\r\u2028]/);
  });

  it('writes wizard-made connectors as comments only', () => {
    const text = readFileSync(new URL('hybrid-done.json', exampleDir), 'utf8');
    const script = renderPlanPowerShell(buildPlan(parseProfile(text, 'hybrid-done.json')));
    expect(script).toContain('# Made by the Hybrid Configuration Wizard; not created by this script.');
    expect(script.split('\n').filter((l) => /^\s*New-/.test(l))).toEqual([]);
  });
});

describe('cmdlet constraints become gaps, not crashes', () => {
  const withServer = (extra: Partial<Profile['ownServers'][number]>): Profile => ({ ...base, partners: [], devices: [], ownServers: [{ name: 'EX', kind: 'exchange-2010-or-later', hostNames: ['mail.contoso.com'], publicIps: ['203.0.113.25'], domains: ['contoso.com'], ...extra }] });
  const cases: ReadonlyArray<[string, Profile, string]> = [
    ['IPv4 wider than /24', withServer({ publicIps: ['203.0.0.0/16'] }), 'CONNECTOR_BAD_IP'],
    ['IPv6 address', withServer({ publicIps: ['2001:db8::25'] }), 'CONNECTOR_BAD_IP'],
    ['no smart hosts with UseMXRecord $false', withServer({ hostNames: [] }), 'CONNECTOR_NO_SMART_HOSTS'],
    ['a connector name over 64 characters', withServer({ name: 'A very long server name that nobody should ever type in a profile' }), 'CONNECTOR_NAME_TOO_LONG'],
    ['a wildcard inside a domain', withServer({ domains: ['a.*.contoso.com'] }), 'CONNECTOR_BAD_DOMAIN'],
    ['a wildcard certificate name in the wrong place', withServer({ certificateName: 'mail.*.contoso.com' }), 'CONNECTOR_BAD_CERTIFICATE_NAME'],
  ];
  it.each(cases)('%s', (_title, profile, code) => {
    const plan = buildPlan(profile);
    const gap = plan.gaps.find((g) => g.code === code);
    expect(gap).toMatchObject({ severity: 'fail' });
    const connector = plan.connectors.find((c) => c.id === gap?.subject);
    expect(connector?.powershell).toMatch(/^# NOT CREATED/);
    expect(connector?.powershell.split('\n').every((l) => l.startsWith('#'))).toBe(true);
    // A flow needing a connector that cannot be created is not covered.
    for (const f of plan.flows.filter((x) => x.connectors.includes(connector?.id ?? ''))) expect(f.status).not.toBe('covered');
  });

  it('TlsDomain needs DomainValidation; DomainValidation needs TlsDomain; partner IPs and certificate together are refused', () => {
    expect(validateConnector('New-OutboundConnector', 'x', { ConnectorType: 'Partner', RecipientDomains: ['a.com'], TlsSettings: 'CertificateValidation', TlsDomain: 'mx.a.com' }).map((p) => p.code)).toEqual(['CONNECTOR_TLSDOMAIN_WITHOUT_DOMAIN_VALIDATION']);
    expect(validateConnector('New-OutboundConnector', 'x', { ConnectorType: 'Partner', RecipientDomains: ['a.com'], TlsSettings: 'DomainValidation' }).map((p) => p.code)).toEqual(['CONNECTOR_DOMAIN_VALIDATION_WITHOUT_TLSDOMAIN']);
    expect(validateConnector('New-InboundConnector', 'x', { ConnectorType: 'Partner', SenderDomains: ['a.com'], SenderIPAddresses: ['192.0.2.1'], TlsSenderCertificateName: 'mx.a.com' }).map((p) => p.code)).toEqual(['CONNECTOR_IPS_AND_CERTIFICATE']);
    expect(validateConnector('New-InboundConnector', 'x', { ConnectorType: 'OnPremises', SenderDomains: ['*'], SenderIPAddresses: ['192.0.2.0/24', '192.0.2.7/32'] })).toEqual([]);
    expect(validateConnector('New-OutboundConnector', 'x', { ConnectorType: 'Partner', RecipientDomains: ['*'] }).map((p) => p.code)).toEqual(['CONNECTOR_BAD_DOMAIN']);
  });
});

describe('the script after an import', () => {
  it('does not create a connector again when one with another name already does its job', () => {
    const text = readFileSync(new URL('john-bob-sun.json', exampleDir), 'utf8');
    const existing = importConnectors('ps7-inbound.json', readFileSync(new URL('../fixtures/connectors/ps7-inbound.json', import.meta.url)));
    const plan = buildPlan(parseProfile(text, 'john-bob-sun.json'), existing);
    const bankIn = plan.connectors.find((c) => c.id === 'in-partner-contosobank');
    expect(bankIn?.existing).toBe('ContosoBank inbound');
    expect(bankIn?.powershell).toMatch(/^# Already exists as "ContosoBank inbound"; not created again/);
    const script = renderPlanPowerShell(plan);
    expect(script).not.toMatch(/^\s*New-InboundConnector -Name 'From ContosoBank to Office 365'/m);
    // The outbound ones were not imported, so they are still created.
    expect(script).toMatch(/^\s*New-OutboundConnector -Name 'From Office 365 to ContosoBank'/m);
  });
});
