import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Partner, Profile } from '../../src-main/contract/planner';
import { PlanSchema } from '../../src-main/contract/planner';
import { actorId, parseActorId, partnerActor, partnerNameOf } from '../../src-main/contract/actors';
import { buildPlan, parseProfile } from '../../src-main/planner/index';
import { cmdletParameters } from '../../src-main/planner/connector';

const contoso = parseProfile(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8'), 'john-bob-sun.json');
const partner = (name: string, extra: Partial<Partner> = {}): Partner => ({
  name, domains: ['backtobasics.example'], requireTlsInbound: true, requireTlsOutbound: true, certificateCheck: 'ca-issued', ipRanges: [], smartHosts: [], ...extra,
});

describe('connectors are typed values; PowerShell and labels are renderings of them', () => {
  it('says whom each connector serves, typed, so labels never parse a name ("Back to Basics Ltd" stays whole; the diagram side is in test/renderer/flow-layout.test.ts)', () => {
    const plan = buildPlan({ ...contoso, partners: [partner('Back to Basics Ltd')] });
    const out = plan.connectors.find((c) => c.to === 'partner:Back to Basics Ltd')!;
    const inbound = plan.connectors.find((c) => c.from === 'partner:Back to Basics Ltd')!;
    expect([out.serves, out.spec.direction]).toEqual([{ kind: 'partner', name: 'Back to Basics Ltd' }, 'outbound']);
    expect([inbound.serves, inbound.spec.direction]).toEqual([{ kind: 'partner', name: 'Back to Basics Ltd' }, 'inbound']);
    expect(plan.connectors.find((c) => c.id === 'in-own-ex2013')?.serves).toEqual({ kind: 'own-server', name: 'EX2013' });
  });

  it('writes each connector\'s cmdlet parameters from its spec', () => {
    const plan = buildPlan(contoso);
    for (const c of plan.connectors) expect(c.parameters).toEqual(cmdletParameters(c.spec));
    const bankOut = plan.connectors.find((c) => c.id === 'out-partner-contosobank')!;
    expect(bankOut.spec).toMatchObject({ direction: 'outbound', type: 'Partner', recipientDomains: ['contosobank.com'], useMxRecord: true, tlsSettings: 'CertificateValidation' });
    expect(bankOut.serves).toEqual({ kind: 'partner', name: 'ContosoBank' });
    expect(PlanSchema.parse(plan)).toEqual(plan);
  });

  it('one actor reference: ids are built and split in one place, names with colons included', () => {
    expect(actorId(partnerActor('A: B'))).toBe('partner:A: B');
    expect(parseActorId('partner:A: B')).toEqual({ kind: 'partner', name: 'A: B' });
    expect(partnerNameOf('device:Printer')).toBeUndefined();
    expect(parseActorId('mail.contoso.com')).toBeUndefined();
    expect(parseActorId('john')).toEqual({ kind: 'john' });
  });
});

describe('the TLS a probe is judged against comes from the planner', () => {
  const withBank = (extra: Partial<Partner>): Profile => ({ ...contoso, partners: [{ ...contoso.partners[0]!, ...extra }] });
  it('follows the planned outbound connector, also when "CA-issued with a name" has no name (CertificateValidation, as planned)', () => {
    const plan = buildPlan(withBank({ certificateCheck: 'ca-issued-with-name', certificateName: undefined }));
    expect(plan.connectors.find((c) => c.id === 'out-partner-contosobank')?.parameters['TlsSettings']).toBe('CertificateValidation');
    expect(plan.tlsRequirements.find((r) => r.target === 'partner:ContosoBank')).toEqual({ target: 'partner:ContosoBank', setting: 'CertificateValidation', connector: 'out-partner-contosobank' });
    expect(plan.tlsRequirements.find((r) => r.target === 'own-server')?.setting).toBe('DomainValidation');
  });

  it('has no requirement where Office 365 uses opportunistic TLS (no TLS asked for outbound)', () => {
    const plan = buildPlan(withBank({ requireTlsOutbound: false, certificateCheck: 'ca-issued' }));
    expect(plan.tlsRequirements.find((r) => r.target === 'partner:ContosoBank')).toBeUndefined();
  });
});
