import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExistingOutbound, OwnServer, Plan, Profile } from '../../src-main/contract/planner';
import { ProfileSchema } from '../../src-main/contract/planner';
import { buildPlan, importAcceptedDomains, parseProfile, renderPlanPowerShell, withPowerShellFromParameters } from '../../src-main/planner/index';
import { psCommand } from '../../src-main/planner/powershell';
import { validateConnector } from '../../src-main/planner/validate';

const contoso = parseProfile(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8'), 'john-bob-sun.json');
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/connectors/${name}`, import.meta.url)));
const flow = (plan: Plan, from: string, to: string) => plan.flows.find((f) => f.from === from && f.to === to);
const codes = (plan: Plan) => [...plan.gaps.map((g) => g.code), ...plan.findings.map((f) => f.code)];
const server = (extra: Partial<OwnServer>): OwnServer => ({ ...contoso.ownServers[0]!, ...extra });
const ownOut = (extra: Partial<ExistingOutbound>): ExistingOutbound => ({
  direction: 'outbound', name: 'From Office 365 to EX2013', enabled: true, connectorType: 'OnPremises', connectorSource: 'Default', comment: '', cloudServicesMailEnabled: false,
  source: 'test', importNotes: [], recipientDomains: ['onprem.contoso.com'], smartHosts: ['mail.contoso.com'], useMxRecord: false, isTransportRuleScoped: false,
  routeAllMessagesViaOnPremises: false, allAcceptedDomains: false, testMode: false, tlsSettings: 'DomainValidation', tlsDomain: 'mail.contoso.com', ...extra,
});

describe('centralised mail transport (issue 15 §3)', () => {
  it('routes Bob → Sun through the own server when the profile says so, depending on that connector', () => {
    const plan = buildPlan({ ...contoso, centralizedTransport: true });
    const out = plan.connectors.find((c) => c.id === 'out-own-ex2013')!;
    expect(out.parameters['RouteAllMessagesViaOnPremises']).toBe(true);
    const bobSun = flow(plan, 'bob', 'sun')!;
    expect(bobSun.status).not.toBe('no-connector-needed');
    expect(bobSun.connectors).toEqual(['out-own-ex2013', 'in-own-ex2013']);
    expect(bobSun.path).toContain('Your email server');
    expect(bobSun.explanation).toMatch(/Centralised mail transport/);
  });

  it('detects it in an import: Bob → Sun is not "no connector needed"', () => {
    const plan = buildPlan(contoso, [ownOut({ routeAllMessagesViaOnPremises: true })], [], { existingImported: true });
    expect(plan.decisions.some((d) => /found in the imported connectors/.test(d.text))).toBe(true);
    expect(flow(plan, 'bob', 'sun')?.connectors).toContain('out-own-ex2013');
    // The profile saying "off" against an import saying "on" is a gap.
    expect(codes(buildPlan({ ...contoso, centralizedTransport: false }, [ownOut({ routeAllMessagesViaOnPremises: true })], [], { existingImported: true }))).toContain('CENTRALIZED_TRANSPORT_FOUND');
    // And a planned central connector without it on is a failing gap.
    expect(codes(buildPlan({ ...contoso, centralizedTransport: true }, [ownOut({})], [], { existingImported: true }))).toContain('CENTRALIZED_TRANSPORT_OFF');
  });
});

describe('only commands Exchange Online accepts (issue 15 §4)', () => {
  it('an OnPremises inbound connector that identifies nothing is a failing gap, its command commented out', () => {
    const plan = buildPlan({ ...contoso, ownServers: [server({ certificateName: undefined, publicIps: [] })] });
    expect(plan.gaps.find((g) => g.code === 'OWN_SERVER_NOT_IDENTIFIABLE')).toMatchObject({ severity: 'fail', subject: 'in-own-ex2013' });
    expect(plan.connectors.find((c) => c.id === 'in-own-ex2013')?.powershell.split('\n').every((l) => l.startsWith('#'))).toBe(true);
  });

  it('never writes -RecipientDomains @() (or any empty list)', () => {
    expect(psCommand('New-OutboundConnector', 'x', { RecipientDomains: [], SmartHosts: ['mx.example.com'] })).toBe("New-OutboundConnector -Name 'x' -SmartHosts 'mx.example.com'");
    const plan = buildPlan({ ...contoso, acceptedDomains: [], ownServers: [server({ domains: [] })] });
    expect(renderPlanPowerShell(plan)).not.toContain('@()');
    expect(plan.gaps.find((g) => g.code === 'CONNECTOR_NO_DOMAINS' && g.subject === 'out-own-ex2013')?.severity).toBe('fail');
  });

  it('refuses a smart host with a port, with the reason', () => {
    expect(ProfileSchema.safeParse({ ...contoso, partners: [{ ...contoso.partners[0]!, smartHosts: ['host.contosobank.com:2525'] }] }).success).toBe(false);
    const problems = validateConnector('New-OutboundConnector', 'x', { ConnectorType: 'Partner', RecipientDomains: ['a.com'], UseMXRecord: false, SmartHosts: ['host.a.com:2525'] });
    expect(problems.map((p) => p.code)).toEqual(['CONNECTOR_BAD_SMART_HOST']);
    expect(problems[0]?.message).toMatch(/has a port/);
  });

  it('two own servers for the same domains: one connector per address space, and the gap says which one wins', () => {
    const plan = buildPlan({ ...contoso, ownServers: [server({}), server({ name: 'EX2016', hostNames: ['mail2.contoso.com'], publicIps: ['203.0.113.26'] })] });
    const gap = plan.gaps.find((g) => g.code === 'OWN_SERVERS_SAME_ADDRESS_SPACE');
    expect(gap).toMatchObject({ severity: 'fail', subject: 'out-own-ex2016' });
    expect(gap?.message).toMatch(/keeps the connector to EX2013/);
    expect(plan.connectors.find((c) => c.id === 'out-own-ex2016')?.powershell).toMatch(/^# NOT CREATED/);
  });

  it('two imported OnPremises outbound connectors for the same domains: a gap naming both (rule-scoped ones left out)', () => {
    const plan = buildPlan(contoso, [ownOut({}), ownOut({ name: 'Old route to EX2013', smartHosts: ['old.contoso.com'] }), ownOut({ name: 'Rule route', isTransportRuleScoped: true })], [], { existingImported: true });
    const gaps = plan.gaps.filter((g) => g.code === 'ONPREMISES_OUTBOUND_SAME_DOMAINS');
    expect(gaps).toMatchObject([{ severity: 'warn', subject: 'Old route to EX2013' }]);
    expect(gaps[0]?.message).toMatch(/"From Office 365 to EX2013" and "Old route to EX2013"/);
  });

  it('supports routing all outbound mail through a gateway by smart host ("*")', () => {
    const profile: Profile = { ...contoso, outboundGateway: { name: 'Mail filter', smartHosts: ['out.filter.example.net'], certificateCheck: 'ca-issued' } };
    const plan = buildPlan(profile);
    const gw = plan.connectors.find((c) => c.id === 'out-gateway-mail-filter')!;
    expect(gw.parameters).toEqual({ ConnectorType: 'Partner', RecipientDomains: ['*'], UseMXRecord: false, SmartHosts: ['out.filter.example.net'], TlsSettings: 'CertificateValidation' });
    expect(gw.powershell).toMatch(/^if \(-not/);
    expect(flow(plan, 'bob', 'sun')).toMatchObject({ connectors: ['out-gateway-mail-filter'], status: 'connector-missing' });
    // The partner's own connector is more specific and still wins.
    expect(flow(plan, 'bob', 'partner:ContosoBank')?.connectors).toEqual(['out-partner-contosobank']);
    // "*" without smart hosts is still refused.
    expect(validateConnector('New-OutboundConnector', 'x', { ConnectorType: 'Partner', RecipientDomains: ['*'], UseMXRecord: true }).map((p) => p.code)).toEqual(['CONNECTOR_BAD_DOMAIN']);
  });

  it('TreatMessagesAsInternal only for servers other than Exchange 2010 or later (2007 included), saying what it does', () => {
    for (const kind of ['exchange-2007-or-earlier', 'non-microsoft'] as const) {
      const c = buildPlan({ ...contoso, ownServers: [server({ kind })] }).connectors.find((x) => x.id === 'in-own-ex2013')!;
      expect(c.parameters['TreatMessagesAsInternal']).toBe(true);
      expect(c.reason).toMatch(/anti-spam filtering is skipped/);
    }
    expect(buildPlan(contoso).connectors.find((x) => x.id === 'in-own-ex2013')?.parameters['TreatMessagesAsInternal']).toBeUndefined();
  });

  it('hybrid marked for Exchange 2007 or a non-Microsoft server: the wizard supports neither; the connectors are planned, and the tables agree', () => {
    for (const kind of ['exchange-2007-or-earlier', 'non-microsoft'] as const) {
      const plan = buildPlan({ ...contoso, hybridWizardCompleted: true, ownServers: [server({ kind })] });
      expect(plan.connectors.filter((c) => c.createdBy === 'you').map((c) => c.id)).toContain('in-own-ex2013');
      const split = plan.decisions.find((d) => d.rule.includes('some of your mailboxes'));
      expect(split?.text).toMatch(/supports neither Exchange 2007 nor non-Microsoft servers/);
      expect(split?.text).not.toMatch(/set them up \(see Table 2\)\.$/);
      expect(plan.findings.find((f) => f.code === 'PLAN_HYBRID_NOT_AVAILABLE')?.message).toMatch(/does not support/);
    }
  });
});

describe('planner fidelity (issue 11 §3)', () => {
  it('a device that must mail outsiders without TLS or SMTP AUTH needs the relay connector: required, and its absence a failing gap', () => {
    const profile: Profile = { ...contoso, devices: [{ name: 'Scanner', externalRecipients: true, staticPublicIp: '203.0.113.41', supportsTls12: false, supportsAuth: false }] };
    const relay = buildPlan(profile).connectors.find((c) => c.id === 'in-device-scanner')!;
    expect(relay.optional).toBe(false);
    const imported = buildPlan(profile, [], [], { existingImported: true });
    expect(imported.gaps.find((g) => g.code === 'CONNECTOR_MISSING' && g.subject === 'in-device-scanner')?.severity).toBe('fail');
  });

  it('shared address space: Set-AcceptedDomain -DomainType InternalRelay, checked against a 5.1 or PowerShell 7 Get-AcceptedDomain export', () => {
    const profile: Profile = { ...contoso, sharedDomains: ['onprem.contoso.com'] };
    const plan = buildPlan(profile);
    expect(plan.acceptedDomainChanges).toEqual([expect.objectContaining({ domain: 'onprem.contoso.com', domainType: 'InternalRelay', powershell: "Set-AcceptedDomain -Identity 'onprem.contoso.com' -DomainType InternalRelay" })]);
    expect(renderPlanPowerShell(plan)).toContain("Set-AcceptedDomain -Identity 'onprem.contoso.com' -DomainType InternalRelay");
    const ps51 = importAcceptedDomains('domains.json', fixture('ps51-accepted-domains-utf16.json'));
    expect(ps51.map((d) => [d.domainName, d.domainType])).toEqual([['contoso.com', 'Authoritative'], ['onprem.contoso.com', 'Authoritative']]);
    const wrong = buildPlan(profile, [], [], { acceptedDomains: ps51 });
    expect(wrong.gaps.find((g) => g.code === 'ACCEPTED_DOMAIN_NOT_INTERNAL_RELAY')).toMatchObject({ severity: 'fail', subject: 'onprem.contoso.com', fix: "Set-AcceptedDomain -Identity 'onprem.contoso.com' -DomainType InternalRelay" });
    const right = buildPlan(profile, [], [], { acceptedDomains: importAcceptedDomains('d.json', fixture('ps7-accepted-domains.json')) });
    expect(right.gaps.map((g) => g.code)).not.toContain('ACCEPTED_DOMAIN_NOT_INTERNAL_RELAY');
    expect(right.acceptedDomainChanges[0]?.powershell).toMatch(/^# .*already InternalRelay/);
    // A plan read back from JSON gets its accepted-domain commands written again from the typed value.
    const tampered = { ...plan, acceptedDomainChanges: plan.acceptedDomainChanges.map((c) => ({ ...c, powershell: 'Remove-Mailbox x' })) };
    expect(withPowerShellFromParameters(tampered).acceptedDomainChanges[0]?.powershell).toBe("Set-AcceptedDomain -Identity 'onprem.contoso.com' -DomainType InternalRelay");
  });

  it('asks for the Exchange version once; out-of-support versions get the 4.7.230 / 5.7.230 warning with the report and pause cmdlets', () => {
    expect(buildPlan(contoso).findings.find((f) => f.code === 'PLAN_EXCHANGE_VERSION_UNKNOWN')?.severity).toBe('info');
    const old = buildPlan({ ...contoso, ownServers: [server({ exchangeVersion: '2016' })] }).findings.find((f) => f.code === 'PLAN_EXCHANGE_OUT_OF_SUPPORT');
    expect(old?.severity).toBe('warn');
    expect(`${old?.explanation} ${old?.fix}`).toMatch(/4\.7\.230[\s\S]*5\.7\.230[\s\S]*Get-OnPremServerReportInfo[\s\S]*New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer/);
    expect(codes(buildPlan({ ...contoso, ownServers: [server({ exchangeVersion: 'subscription-edition' })] }))).not.toContain('PLAN_EXCHANGE_OUT_OF_SUPPORT');
  });

  it('device advice covers RejectDirectSend and the retirement of basic-auth SMTP AUTH', () => {
    const plan = buildPlan({ ...contoso, devices: [{ name: 'Printer', externalRecipients: false, supportsTls12: false, supportsAuth: false }, { name: 'App', externalRecipients: true, supportsTls12: true, supportsAuth: true }] });
    const [direct, auth] = plan.deviceRecommendations;
    expect(direct?.requirements.join(' ')).toMatch(/RejectDirectSend \$true[\s\S]*Partner inbound connector/);
    expect(auth?.requirements.join(' ')).toMatch(/Basic authentication[\s\S]*retired/);
  });
});
