import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExistingConnector, ExistingInbound, ExistingOutbound, Plan, Profile } from '../../src-main/contract/planner';
import { buildPlan, importConnectors, parseProfile } from '../../src-main/planner/index';

const example = (name: string): Profile => parseProfile(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'), name);
const fixture = (name: string) => importConnectors(name, new Uint8Array(readFileSync(new URL(`../fixtures/connectors/${name}`, import.meta.url))));
const contoso = example('john-bob-sun.json');

const inbound = (extra: Partial<ExistingInbound>): ExistingInbound => ({
  direction: 'inbound', name: 'in', enabled: true, connectorType: 'Partner', connectorSource: 'Default', comment: '', cloudServicesMailEnabled: false,
  source: 'test', importNotes: [], senderDomains: [], senderIpAddresses: [], requireTls: false, restrictDomainsToIpAddresses: false,
  restrictDomainsToCertificate: false, treatMessagesAsInternal: false, ...extra,
});
const outbound = (extra: Partial<ExistingOutbound>): ExistingOutbound => ({
  direction: 'outbound', name: 'out', enabled: true, connectorType: 'Partner', connectorSource: 'Default', comment: '', cloudServicesMailEnabled: false,
  source: 'test', importNotes: [], recipientDomains: [], smartHosts: [], useMxRecord: true, isTransportRuleScoped: false,
  routeAllMessagesViaOnPremises: false, allAcceptedDomains: false, testMode: false, ...extra,
});
/** What a correct Contoso tenant has: matches every planned connector of john-bob-sun.json. */
const correct = (): ExistingConnector[] => [
  inbound({ name: 'From EX2013 to Office 365', connectorType: 'OnPremises', senderDomains: ['*'], requireTls: true, tlsSenderCertificateName: 'mail.contoso.com' }),
  outbound({ name: 'From Office 365 to EX2013', connectorType: 'OnPremises', recipientDomains: ['onprem.contoso.com'], smartHosts: ['mail.contoso.com'], useMxRecord: false, tlsSettings: 'DomainValidation', tlsDomain: 'mail.contoso.com' }),
  inbound({ name: 'ContosoBank in', senderDomains: ['contosobank.com'], requireTls: true }),
  outbound({ name: 'ContosoBank out', recipientDomains: ['contosobank.com'], tlsSettings: 'CertificateValidation' }),
];
const codes = (plan: Plan) => plan.gaps.map((g) => g.code);
const gap = (plan: Plan, code: string) => plan.gaps.find((g) => g.code === code);
const flow = (plan: Plan, from: string, to: string) => plan.flows.find((f) => f.from === from && f.to === to);

describe('gap analysis against imported connectors', () => {
  it('a correct tenant: every planned connector matched, the flows that need connectors are covered, no gaps', () => {
    const plan = buildPlan(contoso, correct());
    expect(plan.existingImported).toBe(true);
    expect(plan.connectors.map((c) => c.existing)).toEqual(['From EX2013 to Office 365', 'From Office 365 to EX2013', 'ContosoBank in', 'ContosoBank out']);
    expect(plan.gaps).toEqual([]);
    for (const f of plan.flows) expect(['covered', 'no-connector-needed', 'not-possible']).toContain(f.status);
    expect(flow(plan, 'john', 'bob')?.status).toBe('covered');
    expect(flow(plan, 'partner:ContosoBank', 'john')?.evidence.join('\n')).toMatch(/ContosoBank in/);
  });

  it('missing: an empty export means nothing exists; required connectors (partner connectors asked for included) fail', () => {
    const plan = buildPlan(contoso, [], [], { existingImported: true });
    expect(plan.gaps.filter((g) => g.code === 'CONNECTOR_MISSING').map((g) => [g.subject, g.severity])).toEqual([
      ['in-own-ex2013', 'fail'], ['out-own-ex2013', 'fail'], ['in-partner-contosobank', 'fail'], ['out-partner-contosobank', 'fail'],
    ]);
    expect(flow(plan, 'john', 'bob')?.status).toBe('connector-missing');
  });

  it('disabled: the matching connector is off, the flow is not covered', () => {
    const existing = correct();
    existing[0] = { ...existing[0], enabled: false } as ExistingConnector;
    const plan = buildPlan(contoso, existing);
    expect(gap(plan, 'CONNECTOR_DISABLED')).toMatchObject({ severity: 'fail', subject: 'From EX2013 to Office 365' });
    expect(gap(plan, 'CONNECTOR_DISABLED')?.fix).toContain("Set-InboundConnector -Identity 'From EX2013 to Office 365' -Enabled $true");
    expect(flow(plan, 'john', 'bob')?.status).toBe('connector-missing');
    expect(flow(plan, 'bob', 'john')?.status).toBe('covered');
  });

  it('partner without TLS where TLS is required, in both directions (the PS 7 fixture has it inbound)', () => {
    const plan = buildPlan(contoso, [...fixture('ps7-inbound.json'), ...fixture('ps7-outbound.json')]);
    expect(plan.gaps.filter((g) => g.code === 'PARTNER_TLS_NOT_REQUIRED').map((g) => g.subject)).toEqual(['ContosoBank inbound']);
    expect(flow(plan, 'partner:ContosoBank', 'bob')?.status).toBe('connector-missing');
    const existing = correct();
    existing[3] = { ...(existing[3] as ExistingOutbound), tlsSettings: undefined };
    const out = buildPlan(contoso, existing);
    expect(gap(out, 'PARTNER_TLS_NOT_REQUIRED')).toMatchObject({ subject: 'ContosoBank out', severity: 'fail' });
    existing[3] = { ...(existing[3] as ExistingOutbound), tlsSettings: 'EncryptionOnly' };
    const weaker = buildPlan(contoso, existing);
    expect(gap(weaker, 'PARTNER_TLS_WEAKER')).toMatchObject({ severity: 'fail' });
    expect(flow(weaker, 'bob', 'partner:ContosoBank')?.status).toBe('connector-missing');
  });

  it('TlsSenderCertificateName or TlsDomain not matching the server\'s certificate name', () => {
    const existing = correct();
    existing[0] = { ...(existing[0] as ExistingInbound), tlsSenderCertificateName: 'old.contoso.com' };
    existing[1] = { ...(existing[1] as ExistingOutbound), tlsDomain: 'legacy.contoso.com' };
    const plan = buildPlan(contoso, existing);
    expect(plan.gaps.filter((g) => g.code === 'CERTIFICATE_NAME_MISMATCH').map((g) => g.subject)).toEqual(['From EX2013 to Office 365', 'From Office 365 to EX2013']);
    expect(gap(plan, 'CERTIFICATE_NAME_MISMATCH')?.fix).toMatch(/5\.7\.64/);
    // A wildcard that covers the name is fine.
    existing[0] = { ...(existing[0] as ExistingInbound), tlsSenderCertificateName: '*.contoso.com' };
    existing[1] = { ...(existing[1] as ExistingOutbound), tlsDomain: '*.contoso.com' };
    expect(codes(buildPlan(contoso, existing))).not.toContain('CERTIFICATE_NAME_MISMATCH');
  });

  it('smart hosts that are not the own servers', () => {
    const existing = correct();
    existing[1] = { ...(existing[1] as ExistingOutbound), smartHosts: ['mail.contoso.com', 'old-relay.isp.example'] };
    const plan = buildPlan(contoso, existing);
    expect(gap(plan, 'SMART_HOSTS_NOT_OWN_SERVERS')).toMatchObject({ severity: 'fail', subject: 'From Office 365 to EX2013' });
    // Only the foreign host is named as foreign.
    expect(gap(plan, 'SMART_HOSTS_NOT_OWN_SERVERS')?.message).toMatch(/delivers to old-relay\.isp\.example, which is not among your own servers/);
  });

  it('duplicate or overlapping connectors for one partner', () => {
    const plan = buildPlan(contoso, [...correct(), outbound({ name: 'Bank (old)', recipientDomains: ['*.contosobank.com'], tlsSettings: 'EncryptionOnly' })]);
    expect(gap(plan, 'DUPLICATE_PARTNER_CONNECTORS')).toMatchObject({ severity: 'warn' });
    expect(gap(plan, 'DUPLICATE_PARTNER_CONNECTORS')?.message).toMatch(/"ContosoBank out" and "Bank \(old\)"/);
  });

  it('an allow-by-domain connector next to one that restricts by IP or certificate', () => {
    const plan = buildPlan(contoso, [...correct(), inbound({ name: 'Bank by IP', senderDomains: ['contosobank.com'], senderIpAddresses: ['192.0.2.0/24'], restrictDomainsToIpAddresses: true, requireTls: true })]);
    expect(gap(plan, 'ALLOW_BY_DOMAIN_NEXT_TO_RESTRICT')).toMatchObject({ severity: 'warn', subject: 'ContosoBank in' });
    expect(gap(plan, 'ALLOW_BY_DOMAIN_NEXT_TO_RESTRICT')?.message).toMatch(/restricting one wins/);
  });

  it('hybrid-wizard connectors edited by hand', () => {
    const hybrid = example('hybrid-done.json');
    const good = buildPlan(hybrid, [...fixture('ps51-hybrid-inbound-utf16.json'), ...fixture('ps51-hybrid-outbound-utf8bom.json')]);
    expect(codes(good)).not.toContain('HYBRID_CONNECTOR_EDITED');
    expect(flow(good, 'john', 'bob')?.status).toBe('covered');
    expect(flow(good, 'bob', 'john')?.status).toBe('covered');
    expect(codes(good)).toContain('IMPORT_ASSUMPTION'); // PS 5.1 numbers were read by an assumed mapping
    const edited = buildPlan(hybrid, [...fixture('ps51-hybrid-inbound-utf16.json'), ...fixture('hybrid-outbound-edited.json')]);
    const g = gap(edited, 'HYBRID_CONNECTOR_EDITED');
    expect(g).toMatchObject({ severity: 'warn', subject: 'Outbound to 3f9a1c2e-7b4d-4e5f-9a8b-1c2d3e4f5a6b' });
    expect(g?.message).toMatch(/TlsSettings is empty/);
    expect(g?.message).toMatch(/source is AdminUI/);
    expect(g?.fix).toMatch(/Hybrid Configuration Wizard again/);
  });

  it('connectors no flow uses', () => {
    const plan = buildPlan(contoso, [...correct(), inbound({ name: 'Old fax gateway', connectorType: 'OnPremises', senderDomains: ['*'], senderIpAddresses: ['198.51.100.77'], enabled: false })]);
    expect(plan.gaps.filter((g) => g.code === 'CONNECTOR_NOT_IN_PLAN').map((g) => [g.subject, g.severity])).toEqual([['Old fax gateway', 'info']]);
    expect(gap(plan, 'CONNECTOR_NOT_IN_PLAN')?.message).toMatch(/not part of this plan/);
    expect(gap(plan, 'CONNECTOR_NOT_IN_PLAN')?.fix).not.toMatch(/Remove-/);
  });

  it('test-mode and rule-scoped connectors are flagged when they carry a planned flow; test mode does not cover it', () => {
    const existing = correct();
    existing[3] = { ...(existing[3] as ExistingOutbound), testMode: true, isTransportRuleScoped: true };
    const plan = buildPlan(contoso, existing);
    expect(gap(plan, 'CONNECTOR_TEST_MODE')?.severity).toBe('fail');
    expect(gap(plan, 'CONNECTOR_RULE_SCOPED')?.severity).toBe('warn');
    expect(flow(plan, 'bob', 'partner:ContosoBank')?.status).toBe('connector-missing');
  });

  it('matches the own-server inbound connector by IP when it has no certificate, and a device by an IP inside a range', () => {
    const p: Profile = { ...contoso, ownServers: contoso.ownServers.map((s) => ({ ...s, certificateName: undefined })), partners: [], devices: [{ name: 'App', externalRecipients: true, staticPublicIp: '203.0.113.41', supportsAuth: false, supportsTls12: false }] };
    const plan = buildPlan(p, [
      inbound({ name: 'Onprem by IP', connectorType: 'OnPremises', senderDomains: ['*'], senderIpAddresses: ['203.0.113.0/24'] }),
      outbound({ name: 'To onprem', connectorType: 'OnPremises', recipientDomains: ['onprem.contoso.com'], smartHosts: ['mail.contoso.com'], useMxRecord: false, tlsSettings: 'CertificateValidation' }),
    ]);
    expect(plan.connectors.map((c) => [c.id, c.existing])).toEqual([['in-own-ex2013', 'Onprem by IP'], ['out-own-ex2013', 'To onprem'], ['in-device-app', 'Onprem by IP']]);
    expect(flow(plan, 'device:App', 'sun')?.status).toBe('covered');
  });
});

describe('review fixes: gaps the cmdlets\' rules imply', () => {
  it('flags an existing OnPremises inbound connector whose certificate name is not in an accepted domain (ATTR36)', () => {
    const existing = correct();
    existing[0] = inbound({ name: 'From EX2013 to Office 365', connectorType: 'OnPremises', senderDomains: ['*'], requireTls: true, tlsSenderCertificateName: 'mail.contoso-old.net' });
    const plan = buildPlan({ ...contoso, ownServers: contoso.ownServers.map((s) => ({ ...s, certificateName: '*.contoso.com' })) }, existing);
    expect(gap(plan, 'CERTIFICATE_NAME_NOT_ACCEPTED')).toMatchObject({ severity: 'warn', subject: 'From EX2013 to Office 365' });
    expect(codes(buildPlan(contoso, correct()))).not.toContain('CERTIFICATE_NAME_NOT_ACCEPTED');
  });

  it('requires TLS on the existing partner connector when the partner is restricted to a sender certificate', () => {
    const profile: Profile = { ...contoso, partners: contoso.partners.map((p) => ({ ...p, requireTlsInbound: false, senderCertificateName: 'out.contosobank.com' })) };
    const existing = correct();
    existing[2] = inbound({ name: 'ContosoBank in', senderDomains: ['contosobank.com'], requireTls: false, restrictDomainsToCertificate: true, tlsSenderCertificateName: 'out.contosobank.com' });
    const plan = buildPlan(profile, existing);
    expect(gap(plan, 'PARTNER_TLS_NOT_REQUIRED')).toMatchObject({ severity: 'fail', subject: 'ContosoBank in' });
  });
});
