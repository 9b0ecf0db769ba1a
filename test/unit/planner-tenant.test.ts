import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExistingConnector, ExistingOutbound, Plan } from '../../src-main/contract/planner';
import { buildPlan, importConnectors, parseProfile, renderPlanMarkdown, renderPlanPowerShell } from '../../src-main/planner/index';

/**
 * A real tenant has connectors the profile knows nothing about (a signature
 * service, a cloud filter, connectors for mail flow rules). The exports here
 * are written as Exchange Online PowerShell 7 (examples/unrelated-connectors)
 * and Windows PowerShell 5.1 (UTF-16 LE with BOM, enums as numbers, dates as
 * /Date(ms)/ and { value, DisplayHint, DateTime }) write them (issue 15).
 */
const read = (url: URL) => new Uint8Array(readFileSync(url));
const contoso = parseProfile(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8'), 'john-bob-sun.json');
const ps7 = (): ExistingConnector[] => [
  ...importConnectors('inbound.json', read(new URL('../../examples/unrelated-connectors/inbound.json', import.meta.url))),
  ...importConnectors('outbound.json', read(new URL('../../examples/unrelated-connectors/outbound.json', import.meta.url))),
];
const ps51 = (): ExistingConnector[] => [
  ...importConnectors('in51.json', read(new URL('../fixtures/connectors/ps51-unrelated-inbound-utf16.json', import.meta.url))),
  ...importConnectors('out51.json', read(new URL('../fixtures/connectors/ps51-unrelated-outbound-utf16.json', import.meta.url))),
];
const flow = (plan: Plan, from: string, to: string) => plan.flows.find((f) => f.from === from && f.to === to);
const gapsOf = (plan: Plan, code: string) => plan.gaps.filter((g) => g.code === code);

describe.each([['PowerShell 7', ps7], ['Windows PowerShell 5.1', ps51]])('a tenant with unrelated connectors (%s export)', (_label, load) => {
  const plan = buildPlan(contoso, load());

  it('does not take the signature service\'s OnPremises inbound connector for the own server\'s', () => {
    const ownIn = plan.connectors.find((c) => c.id === 'in-own-ex2013');
    expect(ownIn?.existing).toBeUndefined();
    expect(gapsOf(plan, 'CONNECTOR_MISSING').map((g) => g.subject)).toContain('in-own-ex2013');
    // Nothing advises changing the signature service's certificate name.
    expect(plan.gaps.filter((g) => g.subject === 'Signature service inbound' && g.code !== 'IMPORT_ASSUMPTION').map((g) => g.code)).toEqual(['CONNECTOR_NOT_IN_PLAN']);
    expect(JSON.stringify(plan.gaps)).not.toMatch(/Set TlsSenderCertificateName to mail\.contoso\.com/);
  });

  it('does not take a cloud filter\'s Partner connector for "*" as ContosoBank\'s', () => {
    expect(plan.connectors.find((c) => c.id === 'in-partner-contosobank')?.existing).toBeUndefined();
    expect(flow(plan, 'partner:ContosoBank', 'bob')?.status).toBe('connector-missing');
    expect(flow(plan, 'partner:ContosoBank', 'bob')?.explanation).not.toMatch(/Cloud filter/);
  });

  it('writes the create commands for the connectors that do not exist', () => {
    const script = renderPlanPowerShell(plan);
    expect(script).toMatch(/^\s+New-InboundConnector -Name 'From EX2013 to Office 365'/m);
    expect(script).toMatch(/^\s+New-InboundConnector -Name 'From ContosoBank to Office 365'/m);
    expect(script).not.toMatch(/Already exists as "Signature service inbound"|Already exists as "Cloud filter inbound"/);
  });

  it('lists the unrelated connectors as "not part of this plan", never as unused or for removal; rule-scoped ones as used by rules', () => {
    const notInPlan = gapsOf(plan, 'CONNECTOR_NOT_IN_PLAN');
    expect(notInPlan.map((g) => [g.subject, g.severity])).toEqual([
      ['Signature service inbound', 'info'], ['Cloud filter inbound', 'info'], ['Signature service outbound', 'info'],
    ]);
    expect(notInPlan.find((g) => g.subject === 'Signature service outbound')?.message).toMatch(/mail flow rules/);
    for (const g of notInPlan) expect(`${g.message} ${g.fix}`).not.toMatch(/Remove-|unused/i);
    expect(renderPlanMarkdown(plan)).toContain('is not part of this plan');
  });

  it('matches ContosoBank\'s outbound connector by its domain, says why, and does not call it covered with weaker TLS', () => {
    const out = plan.connectors.find((c) => c.id === 'out-partner-contosobank');
    expect(out).toMatchObject({ existing: 'Outbound to ContosoBank' });
    expect(out?.matchedBecause).toMatch(/^matched because its RecipientDomains name contosobank\.com/);
    expect(gapsOf(plan, 'PARTNER_TLS_WEAKER')).toMatchObject([{ severity: 'fail', subject: 'Outbound to ContosoBank' }]);
    expect(gapsOf(plan, 'PARTNER_TLS_WEAKER')[0]?.fix).toBe("Set-OutboundConnector -Identity 'Outbound to ContosoBank' -TlsSettings CertificateValidation");
    expect(flow(plan, 'bob', 'partner:ContosoBank')?.status).toBe('connector-missing');
  });
});

describe('Windows PowerShell 5.1 numbers', () => {
  it('reads ConnectorType 1 as OnPremises, 2 as Partner; ConnectorSource 2 as HybridWizard; TlsSettings 4 as DomainValidation, and reports each reading', () => {
    const [sigIn, filterIn] = ps51();
    expect(sigIn).toMatchObject({ connectorType: 'OnPremises', connectorSource: 'Default', whenChangedUtc: new Date(1709630504000).toISOString(), whenCreatedUtc: new Date(1700000000000).toISOString() });
    expect(filterIn).toMatchObject({ connectorType: 'Partner' });
    expect(sigIn?.importNotes.join(' ')).toMatch(/ConnectorType was the number 1, read as OnPremises/);
    const hybrid = importConnectors('h.json', read(new URL('../fixtures/connectors/ps51-hybrid-outbound-utf8bom.json', import.meta.url)));
    expect(hybrid[0]).toMatchObject({ connectorType: 'OnPremises', connectorSource: 'HybridWizard', tlsSettings: 'DomainValidation' });
    const plan = buildPlan(contoso, ps51());
    expect(plan.gaps.filter((g) => g.code === 'IMPORT_ASSUMPTION').length).toBeGreaterThanOrEqual(4);
  });

  it('reads the Hybrid Configuration Wizard\'s 5.1 export as the wizard\'s: covered, not missing, edited or unused', () => {
    const hybrid = parseProfile(readFileSync(new URL('../../examples/hybrid-done.json', import.meta.url), 'utf8'), 'hybrid-done.json');
    const existing = [
      ...importConnectors('i.json', read(new URL('../fixtures/connectors/ps51-hybrid-inbound-utf16.json', import.meta.url))),
      ...importConnectors('o.json', read(new URL('../fixtures/connectors/ps51-hybrid-outbound-utf8bom.json', import.meta.url))),
    ];
    const plan = buildPlan(hybrid, existing);
    expect(plan.gaps.map((g) => g.code).filter((c) => c !== 'IMPORT_ASSUMPTION')).toEqual([]);
    expect(flow(plan, 'john', 'bob')?.status).toBe('covered');
    expect(flow(plan, 'bob', 'john')?.status).toBe('covered');
    expect(plan.connectors.every((c) => c.matchedBecause?.includes('Hybrid Configuration Wizard'))).toBe(true);
  });
});

describe('covered only with at least the planned TLS', () => {
  const bankOut = (extra: Partial<ExistingOutbound>): ExistingOutbound => ({
    direction: 'outbound', name: 'Bank out', enabled: true, connectorType: 'Partner', connectorSource: 'Default', comment: '', cloudServicesMailEnabled: false,
    source: 'test', importNotes: [], recipientDomains: ['contosobank.com'], smartHosts: [], useMxRecord: true, isTransportRuleScoped: false,
    routeAllMessagesViaOnPremises: false, allAcceptedDomains: false, testMode: false, tlsSettings: 'CertificateValidation', ...extra,
  });
  const named = { ...contoso, partners: [{ ...contoso.partners[0]!, certificateCheck: 'ca-issued-with-name' as const, certificateName: 'mx.contosobank.com' }] };

  it('CertificateValidation without TlsDomain where DomainValidation is planned is a failing gap', () => {
    const plan = buildPlan(named, [bankOut({})], [], { existingImported: true });
    expect(gapsOf(plan, 'PARTNER_TLS_WEAKER')).toMatchObject([{ severity: 'fail' }]);
    expect(gapsOf(plan, 'PARTNER_TLS_WEAKER')[0]?.fix).toContain("-TlsSettings DomainValidation -TlsDomain 'mx.contosobank.com'");
    expect(flow(plan, 'bob', 'partner:ContosoBank')?.status).toBe('connector-missing');
  });

  it('the planned TLS or stricter covers the flow; test mode does not', () => {
    expect(flow(buildPlan(named, [bankOut({ tlsSettings: 'DomainValidation', tlsDomain: 'mx.contosobank.com' })], [], { existingImported: true }), 'bob', 'partner:ContosoBank')?.status).toBe('covered');
    expect(flow(buildPlan(contoso, [bankOut({ tlsSettings: 'DomainValidation', tlsDomain: 'mx.contosobank.com' })], [], { existingImported: true }), 'bob', 'partner:ContosoBank')?.status).toBe('covered');
    const testMode = buildPlan(contoso, [bankOut({ testMode: true })], [], { existingImported: true });
    expect(flow(testMode, 'bob', 'partner:ContosoBank')?.status).toBe('connector-missing');
    expect(gapsOf(testMode, 'CONNECTOR_TEST_MODE')[0]?.message).toMatch(/test mode/);
  });
});
