import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Device, OwnServer, Partner, Plan, Profile } from '../../src-main/contract/planner';
import { PlanSchema } from '../../src-main/contract/planner';
import { buildPlan, parseProfile } from '../../src-main/planner/index';
import { RULES } from '../../src-main/planner/rules';

/** Test profiles: the article's organisation, with parts swapped per row. */
const server = (kind: OwnServer['kind'], extra: Partial<OwnServer> = {}): OwnServer => ({
  name: 'Onprem', kind, hostNames: ['mail.contoso.com'], publicIps: ['203.0.113.25'], certificateName: 'mail.contoso.com', domains: ['onprem.contoso.com'], ...extra,
});
const profile = (extra: Partial<Profile> = {}): Profile => ({
  name: 'Test', acceptedDomains: ['contoso.com', 'onprem.contoso.com'], subscription: 'exchange-online', ownServers: [], hybridWizardCompleted: false,
  mailboxes: 'all-cloud', mxPointsTo: 'office365', partners: [], devices: [], ...extra,
});
const bank: Partner = { name: 'ContosoBank', domains: ['contosobank.com'], requireTlsInbound: true, requireTlsOutbound: true, certificateCheck: 'ca-issued', ipRanges: [], smartHosts: [] };
const printer = (extra: Partial<Device> = {}): Device => ({ name: 'Printer', externalRecipients: false, supportsTls12: false, supportsAuth: false, ...extra });

const flow = (plan: Plan, from: string, to: string) => {
  const f = plan.flows.find((x) => x.from === from && x.to === to);
  if (!f) throw new Error(`no flow ${from} -> ${to}`);
  return f;
};
const decisionRules = (plan: Plan) => plan.decisions.map((d) => d.rule);

describe('Table 1 of the article, row by row', () => {
  it('standalone EOP: two connectors, own server -> Office 365 and Office 365 -> own server', () => {
    const plan = buildPlan(profile({ subscription: 'eop-standalone', mailboxes: 'all-own-servers', ownServers: [server('exchange-2010-or-later')] }));
    expect(decisionRules(plan)).toContain(RULES.t1Eop);
    expect(plan.connectors.map((c) => [c.cmdlet, c.fromToText, c.optional])).toEqual([
      ['New-InboundConnector', "From: Your organization's email server, To: Office 365", false],
      ['New-OutboundConnector', "From: Office 365, To: Your organization's email server", false],
    ]);
    expect(plan.connectors.every((c) => c.rule.includes(RULES.t1Eop))).toBe(true);
    expect(plan.flows.some((f) => f.from === 'bob' || f.to === 'bob')).toBe(false); // EOP hosts no mailboxes
  });

  it('Exchange Online with some mailboxes on own servers: two connectors, with the advice to consider hybrid', () => {
    const plan = buildPlan(profile({ mailboxes: 'split', ownServers: [server('exchange-2010-or-later')] }));
    expect(decisionRules(plan)).toContain(RULES.t1Split);
    expect(plan.decisions.find((d) => d.rule === RULES.t1Split)?.text).toMatch(/hybrid deployment better meets your needs/);
    expect(plan.connectors.map((c) => c.from + '>' + c.to)).toEqual(['own-server>office365', 'office365>own-server']);
    expect(plan.findings.map((f) => f.code)).toContain('PLAN_CONSIDER_HYBRID');
  });

  it('Exchange Online sending from printers: only one connector From your organisation\'s email server To Office 365; required when the printer must reach outsiders without SMTP AUTH (issue 11)', () => {
    const plan = buildPlan(profile({ devices: [printer({ externalRecipients: true, staticPublicIp: '203.0.113.40' })] }));
    expect(plan.connectors).toHaveLength(1);
    const [c] = plan.connectors;
    expect(c).toMatchObject({ cmdlet: 'New-InboundConnector', fromToText: "From: Your organization's email server, To: Office 365", optional: false, from: 'device:Printer', to: 'office365' });
    expect(c?.rule).toContain(RULES.t1Devices);
    expect(c?.parameters).toMatchObject({ ConnectorType: 'OnPremises', SenderIPAddresses: ['203.0.113.40'] });
  });

  it('partners with security restrictions: two connectors with TLS, required because the restrictions were asked for (the article: optional)', () => {
    const plan = buildPlan(profile({ partners: [bank] }));
    expect(plan.connectors.map((c) => [c.fromToText, c.optional, c.rule])).toEqual([
      ['From: Partner organization, To: Office 365', false, RULES.t1Partners],
      ['From: Office 365, To: Partner organization', false, RULES.t1Partners],
    ]);
    expect(plan.connectors[0]?.parameters).toMatchObject({ ConnectorType: 'Partner', SenderDomains: ['contosobank.com'], RequireTls: true });
    expect(plan.connectors[1]?.parameters).toMatchObject({ ConnectorType: 'Partner', RecipientDomains: ['contosobank.com'], UseMXRecord: true, TlsSettings: 'CertificateValidation' });
  });

  it('no own servers, no devices, no partners: no connector at all (Exchange Online is ready right away)', () => {
    const plan = buildPlan(profile());
    expect(plan.connectors).toEqual([]);
    expect(decisionRules(plan)).toContain(RULES.noConnectors);
    expect(flow(plan, 'bob', 'sun').status).toBe('no-connector-needed');
  });

  it('a probe of the partner’s receiving server says nothing about mail FROM the partner, unless Office 365 checks the certificate it sends with', () => {
    const failed = [{ target: 'partner:ContosoBank', ok: false, code: 'TLS_CERT_SELF_SIGNED', message: 'CertificateValidation would fail (450 4.7.320)' }];
    const plain = buildPlan(profile({ partners: [bank] }), [], failed);
    expect(flow(plain, 'bob', 'partner:ContosoBank').status).toBe('tls-failing');
    expect(flow(plain, 'partner:ContosoBank', 'bob').status).toBe('connector-missing');
    const restricted = buildPlan(profile({ partners: [{ ...bank, senderCertificateName: 'mail.contosobank.com' }] }), [], failed);
    expect(flow(restricted, 'partner:ContosoBank', 'bob').status).toBe('tls-failing');
  });
});

describe('Table 2 of the article, row by row', () => {
  const rows: ReadonlyArray<{ kind: OwnServer['kind']; subscription: Profile['subscription']; hybrid: boolean; rule: string; create: number; wizard: number }> = [
    { kind: 'exchange-2010-or-later', subscription: 'eop-standalone', hybrid: false, rule: RULES.t2ExEop, create: 2, wizard: 0 },
    { kind: 'exchange-2010-or-later', subscription: 'exchange-online', hybrid: false, rule: RULES.t2ExExoNoHybrid, create: 2, wizard: 0 },
    { kind: 'exchange-2010-or-later', subscription: 'exchange-online', hybrid: true, rule: RULES.t2ExExoHybrid, create: 0, wizard: 2 },
    { kind: 'exchange-2007-or-earlier', subscription: 'eop-standalone', hybrid: false, rule: RULES.t2Ex2007, create: 2, wizard: 0 },
    { kind: 'exchange-2007-or-earlier', subscription: 'exchange-online', hybrid: false, rule: RULES.t2Ex2007, create: 2, wizard: 0 },
    { kind: 'exchange-2007-or-earlier', subscription: 'exchange-online', hybrid: true, rule: RULES.t2Ex2007, create: 2, wizard: 0 },
    { kind: 'non-microsoft', subscription: 'eop-standalone', hybrid: false, rule: RULES.t2NonMs, create: 2, wizard: 0 },
    { kind: 'non-microsoft', subscription: 'exchange-online', hybrid: false, rule: RULES.t2NonMs, create: 2, wizard: 0 },
  ];
  it.each(rows)('$kind + $subscription, hybrid $hybrid -> $rule', ({ kind, subscription, hybrid, rule, create, wizard }) => {
    const plan = buildPlan(profile({ subscription, hybridWizardCompleted: hybrid, mailboxes: subscription === 'eop-standalone' ? 'all-own-servers' : 'split', ownServers: [server(kind)] }));
    expect(decisionRules(plan)).toContain(rule);
    expect(plan.connectors.filter((c) => c.createdBy === 'you')).toHaveLength(create);
    expect(plan.connectors.filter((c) => c.createdBy === 'hybrid-wizard')).toHaveLength(wizard);
    for (const c of plan.connectors) expect(c.rule.startsWith(rule)).toBe(true);
    expect(PlanSchema.parse(plan)).toEqual(plan);
  });

  it('hybrid completed: nothing to create; the wizard made them; view on the connectors page or rerun the wizard', () => {
    const plan = buildPlan(profile({ hybridWizardCompleted: true, mailboxes: 'split', ownServers: [server('exchange-2010-or-later')] }));
    expect(plan.decisions.find((d) => d.rule === RULES.t2ExExoHybrid)?.text).toMatch(/no connectors to create.*Hybrid Configuration Wizard created them.*connectors page.*run the wizard again/);
    for (const c of plan.connectors) expect(c.powershell).not.toMatch(/^New-/m);
    expect(flow(plan, 'john', 'bob').status).toBe('not-checked');
  });

  it('Exchange 2007 with a hybrid: connectors planned, and a note to check what already exists', () => {
    const plan = buildPlan(profile({ hybridWizardCompleted: true, mailboxes: 'split', ownServers: [server('exchange-2007-or-earlier')] }));
    expect(plan.decisions.find((d) => d.rule === RULES.t2Ex2007)?.text).toMatch(/check on the connectors page whether connectors are already set up/);
    expect(plan.findings.map((f) => f.code)).toContain('PLAN_CHECK_EXISTING_2007_HYBRID');
  });

  it('hybrid marked for a non-Microsoft server or with EOP: "Not available" is reported and connectors are planned', () => {
    const plan = buildPlan(profile({ hybridWizardCompleted: true, mailboxes: 'split', ownServers: [server('non-microsoft')] }));
    expect(plan.findings.map((f) => f.code)).toContain('PLAN_HYBRID_NOT_AVAILABLE');
    expect(plan.connectors.filter((c) => c.createdBy === 'you')).toHaveLength(2);
  });

  it('a non-Microsoft server next to Exchange Online mailboxes gets TreatMessagesAsInternal', () => {
    const plan = buildPlan(profile({ mailboxes: 'split', ownServers: [server('non-microsoft')] }));
    expect(plan.connectors[0]?.parameters['TreatMessagesAsInternal']).toBe(true);
  });
});

describe('the prerequisite and inconsistent profiles', () => {
  it('warns when no accepted domains are set', () => {
    const plan = buildPlan(profile({ acceptedDomains: [], partners: [bank] }));
    expect(plan.findings.find((f) => f.code === 'PLAN_NO_ACCEPTED_DOMAINS')).toMatchObject({ severity: 'warn' });
    expect(plan.decisions[0]?.rule).toBe(RULES.prerequisite);
  });
  it('flags mailboxes on own servers with no server listed, and EOP with cloud mailboxes', () => {
    expect(buildPlan(profile({ mailboxes: 'split' })).findings.map((f) => f.code)).toContain('PLAN_MAILBOXES_WITHOUT_SERVER');
    expect(buildPlan(profile({ subscription: 'eop-standalone', mailboxes: 'split', ownServers: [server('non-microsoft')] })).findings.map((f) => f.code)).toContain('PLAN_EOP_HAS_NO_MAILBOXES');
  });
  it('warns when the own server\'s certificate name is not in an accepted domain (ATTR36 risk), not when it is a subdomain', () => {
    const bad = buildPlan(profile({ mailboxes: 'split', ownServers: [server('non-microsoft', { certificateName: 'mail.other.net' })] }));
    expect(bad.gaps.map((g) => g.code)).toContain('CERTIFICATE_NAME_NOT_ACCEPTED');
    const good = buildPlan(profile({ mailboxes: 'split', ownServers: [server('non-microsoft')] }));
    expect(good.gaps.map((g) => g.code)).not.toContain('CERTIFICATE_NAME_NOT_ACCEPTED');
  });
});

describe('devices: one of three options, with reason and requirements', () => {
  const cases: ReadonlyArray<{ title: string; device: Device; extra?: Partial<Profile>; option: string; feasible: boolean; connectors: number; requirement: RegExp }> = [
    { title: 'logs in over TLS 1.2 -> SMTP AUTH client submission', device: printer({ supportsAuth: true, supportsTls12: true, externalRecipients: true }), option: 'smtp-auth', feasible: true, connectors: 0, requirement: /smtp\.office365\.com, port 587/ },
    { title: 'no login, internal only -> direct send', device: printer({ staticPublicIp: '203.0.113.40' }), option: 'direct-send', feasible: true, connectors: 0, requirement: /Internal recipients only/ },
    { title: 'login but no TLS 1.2, internal only -> direct send', device: printer({ supportsAuth: true }), option: 'direct-send', feasible: true, connectors: 0, requirement: /Internal recipients only/ },
    { title: 'no login, external, static IP -> SMTP relay via connector', device: printer({ externalRecipients: true, staticPublicIp: '203.0.113.40' }), option: 'smtp-relay', feasible: true, connectors: 1, requirement: /static public IP 203\.0\.113\.40/ },
    { title: 'no login, external, certificate -> SMTP relay via connector', device: printer({ externalRecipients: true, certificateName: 'scan.contoso.com' }), option: 'smtp-relay', feasible: true, connectors: 1, requirement: /certificate scan\.contoso\.com/ },
    { title: 'no login, external, no IP or certificate -> relay, requirement missing', device: printer({ externalRecipients: true }), option: 'smtp-relay', feasible: false, connectors: 0, requirement: /MISSING: a static public IP or a certificate/ },
    { title: 'standalone EOP (no Exchange Online mailbox to log in as) -> relay', device: printer({ supportsAuth: true, supportsTls12: true, staticPublicIp: '203.0.113.40' }), extra: { subscription: 'eop-standalone', mailboxes: 'all-own-servers', ownServers: [server('non-microsoft')] }, option: 'smtp-relay', feasible: true, connectors: 3, requirement: /static public IP/ },
  ];
  it.each(cases)('$title', ({ device, extra, option, feasible, connectors, requirement }) => {
    const plan = buildPlan(profile({ ...extra, devices: [device] }));
    const [rec] = plan.deviceRecommendations;
    expect(rec).toMatchObject({ device: 'Printer', option, feasible });
    expect(rec?.reason.length).toBeGreaterThan(20);
    expect(rec?.requirements.join('\n')).toMatch(requirement);
    expect(plan.connectors).toHaveLength(connectors);
  });

  it('device flows: direct send to external recipients is not possible; SMTP AUTH reaches everyone without a connector', () => {
    const direct = buildPlan(profile({ devices: [printer()] }));
    expect(flow(direct, 'device:Printer', 'sun').status).toBe('not-possible');
    expect(flow(direct, 'device:Printer', 'bob').status).toBe('no-connector-needed');
    const auth = buildPlan(profile({ devices: [printer({ supportsAuth: true, supportsTls12: true })] }));
    expect(flow(auth, 'device:Printer', 'sun').status).toBe('no-connector-needed');
    const relay = buildPlan(profile({ devices: [printer({ externalRecipients: true, staticPublicIp: '203.0.113.40' })] }));
    expect(flow(relay, 'device:Printer', 'sun')).toMatchObject({ status: 'connector-missing', connectors: ['in-device-printer'] });
    expect(relay.flows.some((f) => f.to.startsWith('device:'))).toBe(false); // devices only send
  });
});

describe("the article's example: John, Bob, Sun and ContosoBank", () => {
  const text = readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8');
  const plan = buildPlan(parseProfile(text, 'john-bob-sun.json'));

  it('John and Bob: connectors needed, both ways', () => {
    expect(flow(plan, 'john', 'bob')).toMatchObject({ status: 'connector-missing', connectors: ['in-own-ex2013'] });
    expect(flow(plan, 'bob', 'john')).toMatchObject({ status: 'connector-missing', connectors: ['out-own-ex2013'] });
  });
  it('John and Sun: connectors needed (all Internet email is delivered via Office 365)', () => {
    expect(flow(plan, 'john', 'sun').connectors).toEqual(['in-own-ex2013']);
    expect(flow(plan, 'sun', 'john').connectors).toEqual(['out-own-ex2013']);
    expect(flow(plan, 'john', 'sun').path).toContain('Office 365');
    expect(flow(plan, 'john', 'sun').explanation).toMatch(/All Internet email is delivered via Office 365/);
  });
  it('Bob and Sun: no connector', () => {
    expect(flow(plan, 'bob', 'sun')).toMatchObject({ status: 'no-connector-needed', connectors: [] });
    expect(flow(plan, 'sun', 'bob')).toMatchObject({ status: 'no-connector-needed', connectors: [] });
  });
  it('ContosoBank with TLS both ways: two partner connectors, a CA-signed certificate recommended', () => {
    const partner = plan.connectors.filter((c) => c.from === 'partner:ContosoBank' || c.to === 'partner:ContosoBank');
    expect(partner.map((c) => c.cmdlet)).toEqual(['New-InboundConnector', 'New-OutboundConnector']);
    expect(partner[0]?.parameters['RequireTls']).toBe(true);
    expect(partner[1]?.parameters['TlsSettings']).toBe('CertificateValidation');
    expect(plan.decisions.find((d) => d.text.startsWith('ContosoBank'))?.text).toMatch(/certificate signed by a certification authority \(CA\) is recommended/);
    expect(flow(plan, 'bob', 'partner:ContosoBank').connectors).toEqual(['out-partner-contosobank']);
    expect(flow(plan, 'partner:ContosoBank', 'john').connectors).toEqual(['in-partner-contosobank', 'out-own-ex2013']);
  });
  it('has a flow for every directed pair among John, Bob, Sun, the partner and the device (devices only send), except between outsiders', () => {
    const actors = ['john', 'bob', 'sun', 'partner:ContosoBank'];
    const outside = new Set(['sun', 'partner:ContosoBank']);
    const expected = actors.flatMap((a) => actors.filter((b) => b !== a && !(outside.has(a) && outside.has(b))).map((b) => `${a}>${b}`)).concat(actors.map((b) => `device:Printer 2nd floor>${b}`));
    expect(plan.flows.map((f) => `${f.from}>${f.to}`).sort()).toEqual(expected.sort());
    expect(PlanSchema.parse(plan)).toEqual(plan);
  });
});

describe('MX on the own server and TLS observations', () => {
  it('with the MX on the own server, Sun -> John needs no Office 365 connector, Sun -> Bob goes through the own server', () => {
    const plan = buildPlan(profile({ mailboxes: 'split', mxPointsTo: 'own-server', ownServers: [server('exchange-2010-or-later')] }));
    expect(flow(plan, 'sun', 'john').status).toBe('no-connector-needed');
    expect(flow(plan, 'sun', 'bob')).toMatchObject({ connectors: ['in-own-onprem'], status: 'connector-missing' });
    expect(plan.findings.map((f) => f.code)).toContain('PLAN_MX_NOT_OFFICE365');
  });

  it('a failed TLS observation for a partner marks the flows through it tls-failing, and only those', () => {
    const plan = buildPlan(profile({ partners: [bank] }), [], [{ target: 'partner:ContosoBank', ok: false, code: '450 4.4.317', message: 'TLS required but not offered' }]);
    expect(flow(plan, 'bob', 'partner:ContosoBank')).toMatchObject({ status: 'tls-failing' });
    expect(flow(plan, 'bob', 'partner:ContosoBank').evidence.join()).toMatch(/^ContosoBank: 450 4\.4\.317 /);
    // The explanation names the partner as people know it, not by the planner's internal id.
    expect(flow(plan, 'bob', 'partner:ContosoBank').explanation).toMatch(/^TLS to ContosoBank fails: TLS required but not offered\. /);
    expect(flow(plan, 'bob', 'sun').status).toBe('no-connector-needed');
  });

  it('matches observations by host name too, and ignores successful ones', () => {
    const p = profile({ mailboxes: 'split', ownServers: [server('exchange-2010-or-later')] });
    expect(flow(buildPlan(p, [], [{ target: 'mail.contoso.com', ok: false, message: 'certificate expired' }]), 'bob', 'john').status).toBe('tls-failing');
    expect(flow(buildPlan(p, [], [{ target: 'mail.contoso.com', ok: true, message: 'fine' }]), 'bob', 'john').status).toBe('connector-missing');
  });
});

describe('parseProfile', () => {
  it('refuses two partners with one name, naming the field', () => {
    const text = JSON.stringify({ ...profile({ partners: [bank, { ...bank, name: 'contosobank' }] }) });
    expect(() => parseProfile(text, 'p.json')).toThrow(/^p\.json: partners\[1\]\.name: the name "contosobank" is used twice/);
  });
  it('accepts a UTF-8 BOM and the $schema pointer, refuses unknown fields', () => {
    expect(parseProfile(`\uFEFF${JSON.stringify({ $schema: './profile.schema.json', ...profile() })}`, 'p.json').name).toBe('Test');
    expect(() => parseProfile(JSON.stringify({ ...profile(), mxpointsto: 'office365' }), 'p.json')).toThrow(/p\.json: \(top level\): Unrecognized key/);
  });
});

describe('review fixes: cmdlet constraints the plan must respect', () => {
  it('requires TLS from a partner whose mail is restricted to a sender certificate, and says so', () => {
    const partner: Partner = { ...bank, requireTlsInbound: false, requireTlsOutbound: false, senderCertificateName: 'out.contosobank.com' };
    const plan = buildPlan(profile({ partners: [partner] }));
    const inbound = plan.connectors.find((c) => c.cmdlet === 'New-InboundConnector');
    expect(inbound?.parameters).toMatchObject({ RestrictDomainsToCertificate: true, TlsSenderCertificateName: 'out.contosobank.com', RequireTls: true });
    expect(inbound?.powershell).toContain("-RequireTls $true");
    expect(inbound?.reason).toMatch(/arrive over TLS/);
    expect(plan.gaps.find((g) => g.code === 'PARTNER_CERTIFICATE_NEEDS_TLS')).toMatchObject({ severity: 'warn', subject: inbound?.id });
    // Asked for TLS already: no warning.
    const asked = buildPlan(profile({ partners: [{ ...partner, requireTlsInbound: true }] }));
    expect(asked.gaps.map((g) => g.code)).not.toContain('PARTNER_CERTIFICATE_NEEDS_TLS');
  });

  it('warns when a relaying device\'s certificate name is not in an accepted domain (ATTR36), as for own servers', () => {
    const device = printer({ externalRecipients: true, certificateName: 'scanner.other.net' });
    const bad = buildPlan(profile({ devices: [device] }));
    const connector = bad.connectors.find((c) => c.from === 'device:Printer');
    expect(connector?.parameters).toMatchObject({ TlsSenderCertificateName: 'scanner.other.net', RequireTls: true });
    expect(bad.gaps.find((g) => g.code === 'CERTIFICATE_NAME_NOT_ACCEPTED')).toMatchObject({ subject: connector?.id });
    const good = buildPlan(profile({ devices: [{ ...device, certificateName: 'scanner.contoso.com' }] }));
    expect(good.gaps.map((g) => g.code)).not.toContain('CERTIFICATE_NAME_NOT_ACCEPTED');
  });

  it('names the organisation\'s own MX host in device requirements, not contoso\'s', () => {
    const plan = buildPlan(profile({ acceptedDomains: ['fabrikam.com'], devices: [printer()] }));
    const requirements = plan.deviceRecommendations[0]?.requirements.join('\n') ?? '';
    expect(requirements).toContain('fabrikam-com.mail.protection.outlook.com');
    expect(requirements).not.toContain('contoso-com');
  });
});
