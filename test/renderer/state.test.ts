import { describe, expect, it } from 'vitest';
import { appReducer, initialState, MAX_EXISTING_FILES } from '../../src-renderer/state/app-state';
import { actorSlug, flowKey, actorsOfProfile, describeActor } from '../../src-renderer/state/actors';
import { buildFlowGraph, statusCounts } from '../../src-renderer/state/flow-graph';
import { emptyProgress, reduceProgress, MAX_STAGES, stepLabel } from '../../src-renderer/state/job-progress';
import { compareCheckRuns, compareFindings } from '../../src-renderer/state/compare-runs';
import { diagnoseChoices, observationFromProbes, requiredTlsSetting, targetForInput } from '../../src-renderer/state/observations';
import { errorsForStep, fieldLabel, listErrors, splitList, validateProfile } from '../../src-renderer/state/profile-form';
import { groupFindings } from '../../src-renderer/state/findings-view';
import { worstSeverity } from '../../src-main/contract/finding-order';
import { FLOW_STATUS_LOOK, legendNote, statusLabel, statusLook } from '../../src-renderer/state/flow-status';
import { dkimSelectorsError, settingsFieldOf, validateSettings } from '../../src-renderer/state/settings-form';
import { FlowStatusSchema } from '../../src-main/contract/planner';
import type { Finding } from '../../src-main/contract/findings';
import { EXAMPLE_PROFILE } from '../../src-renderer/features/plan/example-profile';
import { checkReport, examplePlan, hostileProbe } from './support/fixtures';
import { errorText, SETTINGS_LABELS } from '../../src-renderer/components/error-text';
import { parseDiagnoseInput } from '../../src-renderer/state/diagnose-input';

const finding = (code: string, severity: Finding['severity'], message = code, subject = 'contoso.com'): Finding => ({ code, severity, area: 'spf', subject, message, explanation: '', fix: '', evidence: [] });

describe('app reducer', () => {
  it('starts on the overview with the given profile and no plan', () => {
    const s = initialState(EXAMPLE_PROFILE);
    expect(s.view).toBe('overview');
    expect(s.profileSource).toBe('example');
    expect(s.plan).toBeUndefined();
  });

  it('keeps edits as a draft until saved, then the saved profile is the one shown; plan results and failures', () => {
    let s = initialState(EXAMPLE_PROFILE);
    s = appReducer(s, { type: 'flow-selected', key: 'flow-edge-john-bob' });
    s = appReducer(s, { type: 'profile-edited', profile: { ...EXAMPLE_PROFILE, name: 'Other', partners: [] } });
    // "Start empty" or any edit changes the form only: the main screen keeps the profile it shows.
    expect([s.profile.name, s.profileSource, s.draft?.name, s.selectedFlow]).toEqual([EXAMPLE_PROFILE.name, 'example', 'Other', 'flow-edge-john-bob']);
    s = appReducer(s, { type: 'profile-saved', profile: { ...EXAMPLE_PROFILE, name: 'Other', partners: [] } });
    expect([s.profile.name, s.profileSource, s.draft, s.selectedFlow]).toEqual(['Other', 'saved', undefined, undefined]);
    s = appReducer(s, { type: 'plan-requested' });
    expect(s.planStatus).toBe('loading');
    s = appReducer(s, { type: 'plan-failed', message: 'bad' });
    expect([s.planStatus, s.planError]).toEqual(['failed', 'bad']);
    s = appReducer(s, { type: 'plan-received', plan: examplePlan(), planId: 'plan-7' });
    expect([s.planStatus, s.planError, s.plan?.profileName, s.planId]).toEqual(['ready', undefined, 'Contoso', 'plan-7']);
  });

  it('replaces an imported file of the same name and caps the number of files', () => {
    let s = initialState(EXAMPLE_PROFILE);
    s = appReducer(s, { type: 'existing-added', files: [{ fileName: 'in.json', importId: 'a' }] });
    s = appReducer(s, { type: 'existing-added', files: [{ fileName: 'in.json', importId: 'b' }, { fileName: 'out.json', importId: 'c' }] });
    expect(s.existing).toEqual([{ fileName: 'in.json', importId: 'b' }, { fileName: 'out.json', importId: 'c' }]);
    const many = Array.from({ length: 30 }, (_, i) => ({ fileName: `f${i}.json`, importId: `i${i}` }));
    s = appReducer(s, { type: 'existing-added', files: many });
    expect(s.existing).toHaveLength(MAX_EXISTING_FILES);
    expect(s.existing.at(-1)?.fileName).toBe('f29.json');
  });

  it('keeps the latest TLS observation per target and forgets them when another profile loads', () => {
    let s = initialState(EXAMPLE_PROFILE);
    const at = '2026-12-01T10:00:00.000Z';
    s = appReducer(s, { type: 'observations-added', observations: [{ target: 'partner:ContosoBank', ok: false, message: 'bad', at }] });
    s = appReducer(s, { type: 'observations-added', observations: [{ target: 'partner:ContosoBank', ok: true, message: 'good', at }, { target: 'own-server', ok: true, message: 'fine', at }] });
    expect(s.observations.map((o) => [o.target, o.ok])).toEqual([
      ['partner:ContosoBank', true],
      ['own-server', true],
    ]);
    s = appReducer(s, { type: 'profile-loaded', profile: EXAMPLE_PROFILE, source: 'saved' });
    expect(s.observations).toEqual([]);
  });

  it('numbers notices, keeps the last five and dismisses by id', () => {
    let s = initialState(EXAMPLE_PROFILE);
    for (let i = 0; i < 7; i++) s = appReducer(s, { type: 'notice', level: 'warn', message: `n${i}` });
    expect(s.notices.map((n) => n.message)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6']);
    const id = s.notices[0]!.id;
    s = appReducer(s, { type: 'notice-dismissed', id });
    expect(s.notices.map((n) => n.message)).toEqual(['n3', 'n4', 'n5', 'n6']);
  });
});

describe('actors and keys', () => {
  it('names the article’s people and makes stable test ids', () => {
    expect(describeActor('john', EXAMPLE_PROFILE).title).toBe('John');
    expect(describeActor('john', EXAMPLE_PROFILE).subtitle).toContain('EX2013');
    expect(describeActor('bob', EXAMPLE_PROFILE).subtitle).toContain('Office 365');
    expect(describeActor('sun', EXAMPLE_PROFILE).title).toBe('Sun');
    expect(describeActor('partner:ContosoBank', EXAMPLE_PROFILE).subtitle).toContain('contosobank.com');
    expect(actorSlug('partner:Contoso Bank')).toBe('partner-contoso-bank');
    expect(flowKey('john', 'bob')).toBe('flow-edge-john-bob');
    expect(flowKey('bob', 'partner:ContosoBank')).toBe('flow-edge-bob-partner-contosobank');
  });

  it('leaves John out when every mailbox is in the cloud and there is no own server', () => {
    expect(actorsOfProfile({ ...EXAMPLE_PROFILE, ownServers: [], mailboxes: 'all-cloud', partners: [], devices: [] })).toEqual(['bob', 'sun']);
    expect(actorsOfProfile(EXAMPLE_PROFILE)).toEqual(['john', 'bob', 'sun', 'partner:ContosoBank', 'device:Printer 2nd floor']);
  });
});

describe('flow graph', () => {
  it('has a node per actor and an edge per flow, labelled with its connector', () => {
    const graph = buildFlowGraph(EXAMPLE_PROFILE, examplePlan());
    expect(graph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['john', 'bob', 'sun', 'partner:ContosoBank', 'device:Printer 2nd floor', 'device:Printer']));
    const johnBob = graph.edges.find((e) => e.id === 'flow-edge-john-bob');
    expect(johnBob?.label).toBe('From EX2013 to Office 365');
    expect(johnBob?.status).toBe('connector-missing');
    expect(graph.edges.find((e) => e.id === 'flow-edge-bob-sun')?.label).toBe('No connector');
    expect(statusCounts(graph.edges)).toEqual({ 'connector-missing': 2, 'no-connector-needed': 2, 'tls-failing': 1, 'not-possible': 1 });
    expect(graph.imported).toBe(false);
    expect(buildFlowGraph(EXAMPLE_PROFILE, examplePlan({ existingImported: true })).imported).toBe(true);
    expect(buildFlowGraph(EXAMPLE_PROFILE, undefined).imported).toBe(false);
  });

  it('places John left of Bob left of Sun, devices above and partners below', () => {
    const graph = buildFlowGraph(EXAMPLE_PROFILE, undefined);
    const at = (id: string) => graph.nodes.find((n) => n.id === id)!;
    expect(at('john').x).toBeLessThan(at('bob').x);
    expect(at('bob').x).toBeLessThan(at('sun').x);
    expect(at('device:Printer 2nd floor').y).toBeLessThan(at('bob').y);
    expect(at('partner:ContosoBank').y).toBeGreaterThan(at('bob').y);
    expect(graph.edges).toEqual([]);
  });
});

describe('status look', () => {
  it('gives every status an icon and words, not just a colour', () => {
    for (const status of FlowStatusSchema.options) {
      const look = FLOW_STATUS_LOOK[status];
      expect(look.icon.length).toBeGreaterThan(0);
      expect(look.label.length).toBeGreaterThan(3);
    }
    const icons = new Set(FlowStatusSchema.options.map((s) => FLOW_STATUS_LOOK[s].icon));
    expect(icons.size).toBe(FlowStatusSchema.options.length);
  });

  it('words connector-missing as a need until connectors are imported; every other status reads the same either way', () => {
    expect(statusLabel('connector-missing', { imported: false })).toBe('Connector needed');
    expect(statusLabel('connector-missing', { imported: true })).toBe('Connector missing');
    const before = statusLook('connector-missing', { imported: false });
    const after = statusLook('connector-missing', { imported: true });
    // Same icon and colour (the scheme is the status'), other words.
    expect([before.icon, before.tone]).toEqual([after.icon, after.tone]);
    expect(before.description).toMatch(/import your existing connectors/);
    expect(legendNote('connector-missing', { imported: false })).toBe('import your connectors to check which exist');
    expect(legendNote('connector-missing', { imported: true })).toBeUndefined();
    for (const status of FlowStatusSchema.options.filter((s) => s !== 'connector-missing')) {
      expect(statusLook(status, { imported: false })).toEqual(statusLook(status, { imported: true }));
      expect(statusLabel(status, { imported: false })).toBe(FLOW_STATUS_LOOK[status].label);
      expect(legendNote(status, { imported: false })).toBeUndefined();
    }
  });
});

describe('job progress', () => {
  it('folds events into one row per stage with timings and ignores other jobs', () => {
    let p = emptyProgress('j1');
    p = reduceProgress(p, { jobId: 'j1', step: 'dns:MX', status: 'started', atMs: 10 });
    p = reduceProgress(p, { jobId: 'j2', step: 'dns:MX', status: 'failed', atMs: 11 });
    p = reduceProgress(p, { jobId: 'j1', step: 'spf', status: 'started', atMs: 12 });
    p = reduceProgress(p, { jobId: 'j1', step: 'dns:MX', status: 'done', detail: '2 records', atMs: 40 });
    expect(p.stages.map((s) => [s.step, s.status, s.endedAtMs])).toEqual([
      ['dns:MX', 'done', 40],
      ['spf', 'started', undefined],
    ]);
    expect(p.stages[0]!.detail).toBe('2 records');
    expect(stepLabel('smtp:mx1.contoso.com/192.0.2.1:banner')).toBe('SMTP mx1.contoso.com (192.0.2.1) banner');
    expect(stepLabel('smtp:127.0.0.1/127.0.0.1:ehlo')).toBe('SMTP 127.0.0.1 ehlo');
    expect(stepLabel('smtp:mx1.contoso.com/2001:db8::25:starttls')).toBe('SMTP mx1.contoso.com (2001:db8::25) starttls');
  });

  it('stops adding rows at the cap', () => {
    let p = emptyProgress('j');
    for (let i = 0; i < MAX_STAGES + 50; i++) p = reduceProgress(p, { jobId: 'j', step: `s${i}`, status: 'done', atMs: i });
    expect(p.stages).toHaveLength(MAX_STAGES);
  });
});

describe('comparing runs', () => {
  it('reports added, removed and changed findings by code and subject', () => {
    const before = [finding('SPF_MISSING', 'warn'), finding('DMARC_NONE', 'warn'), finding('MX_OK', 'ok')];
    const after = [finding('DMARC_NONE', 'fail', 'worse now'), finding('MX_OK', 'ok'), finding('DKIM_MISSING', 'info')];
    const diff = compareFindings(before, after);
    expect(diff.added.map((f) => f.code)).toEqual(['DKIM_MISSING']);
    expect(diff.removed.map((f) => f.code)).toEqual(['SPF_MISSING']);
    expect(diff.changed.map((c) => [c.before.severity, c.after.severity])).toEqual([['warn', 'fail']]);
    expect(diff.unchanged).toBe(1);
  });

  it('leaves SMTP and TLS findings out when only one of two checks connected to the MX hosts, and says why', () => {
    const refused: Finding = { ...finding('SMTP_CONNECT_REFUSED', 'fail', 'Connection refused by 127.0.0.23 port 25.', 'mx.contoso.com'), area: 'smtp' };
    const withProbe = checkReport({ findings: [finding('SPF_OK', 'ok'), refused] });
    const dnsOnly = checkReport({ findings: [finding('SPF_OK', 'ok')], mx: [{ host: 'mx.evil.test', preference: 10, addresses: ['127.0.0.1'], tlsa: [], probes: [] }] });
    const diff = compareCheckRuns(withProbe, dnsOnly);
    expect(diff.removed).toEqual([]);
    expect(diff.unchanged).toBe(1);
    expect(diff.note).toMatch(/^The earlier run also connected to the MX hosts .* the later one checked DNS only/);
    expect(compareCheckRuns(dnsOnly, withProbe).added).toEqual([]);
    // Both probed: the refusal counts.
    expect(compareCheckRuns(withProbe, checkReport({ findings: [finding('SPF_OK', 'ok')] })).removed.map((f) => f.code)).toEqual(['SMTP_CONNECT_REFUSED']);
  });

  it('treats the same code on another subject as another finding', () => {
    const diff = compareFindings([finding('X', 'warn', 'm', 'a.com')], [finding('X', 'warn', 'm', 'b.com')]);
    expect([diff.added.length, diff.removed.length]).toEqual([1, 1]);
  });
});

describe('TLS observations from diagnoses', () => {
  it('turns a failing probe into a failing observation with the finding code', () => {
    const o = observationFromProbes('partner:ContosoBank', [hostileProbe()]);
    expect(o).toMatchObject({ target: 'partner:ContosoBank', ok: false, code: 'TLS_CERT_UNTRUSTED' });
  });

  it('says TLS works when every probe set it up', () => {
    const good = hostileProbe({ findings: [], stages: [{ name: 'tls', status: 'ok', startMs: 0, durationMs: 1 }], tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } });
    expect(observationFromProbes('own-server', [good])).toMatchObject({ ok: true });
    expect(observationFromProbes('own-server', [])).toBeUndefined();
  });

  it('judges a self-signed certificate by the TLS setting Office 365 will use', () => {
    const selfSignedWarn = hostileProbe({
      findings: [{ code: 'TLS_CERT_SELF_SIGNED', severity: 'warn', area: 'certificate', subject: 'mx', message: 'self-signed', explanation: '', fix: '', evidence: [] }],
      stages: [{ name: 'tls', status: 'ok', startMs: 0, durationMs: 1 }],
      tls: { version: 'TLSv1.3', cipher: 'x' },
      predictions: [
        { direction: 'outbound', setting: 'EncryptionOnly', verdict: 'pass', reason: 'encrypts', fix: '', reasons: [] },
        { direction: 'outbound', setting: 'CertificateValidation', verdict: 'fail', ndr: '450 4.4.317', reason: 'not trusted', fix: '', reasons: [] },
      ],
    });
    expect(observationFromProbes('partner:ContosoBank', [selfSignedWarn], 'EncryptionOnly')).toMatchObject({ ok: true });
    expect(observationFromProbes('partner:ContosoBank', [selfSignedWarn], 'CertificateValidation')).toMatchObject({ ok: false, code: 'TLS_CERT_SELF_SIGNED' });
    // Issue 8: a self-signed certificate is a failure finding when validated TLS is impossible, yet EncryptionOnly still passes.
    const selfSignedFail = { ...selfSignedWarn, findings: selfSignedWarn.findings.map((f) => ({ ...f, severity: 'fail' as const })) };
    expect(observationFromProbes('partner:ContosoBank', [selfSignedFail], 'EncryptionOnly')).toMatchObject({ ok: true });
    expect(observationFromProbes('partner:ContosoBank', [selfSignedFail], 'CertificateValidation')).toMatchObject({ ok: false, code: 'TLS_CERT_SELF_SIGNED', message: expect.stringContaining('CertificateValidation would fail') });
    const plan = examplePlan();
    // The setting is the planner's (plan.tlsRequirements); the renderer does not work it out from the profile.
    expect(requiredTlsSetting(plan, 'partner:ContosoBank')).toBe('CertificateValidation');
    expect(requiredTlsSetting(plan, 'own-server')).toBe('DomainValidation');
    expect(requiredTlsSetting(examplePlan({ tlsRequirements: [] }), 'partner:ContosoBank')).toBeUndefined();
    expect(requiredTlsSetting(undefined, 'partner:ContosoBank')).toBeUndefined();
  });

  it('flags a server that does not offer STARTTLS', () => {
    const plain = hostileProbe({ findings: [], stages: [], starttls: false, tls: null });
    expect(observationFromProbes('own-server', [plain])).toMatchObject({ ok: false, code: 'STARTTLS_NOT_OFFERED' });
  });

  it('maps typed domains and hosts to the diagram’s actors', () => {
    expect(targetForInput(EXAMPLE_PROFILE, 'ContosoBank.com.')).toBe('partner:ContosoBank');
    expect(targetForInput(EXAMPLE_PROFILE, 'mail.contoso.com')).toBe('own-server');
    expect(targetForInput(EXAMPLE_PROFILE, 'example.org')).toBeUndefined();
    const choices = diagnoseChoices(EXAMPLE_PROFILE);
    expect(choices.map((c) => [c.kind, c.value, c.target])).toEqual(
      expect.arrayContaining([
        ['domain', 'contoso.com', undefined],
        ['host', 'mail.contoso.com', 'own-server'],
        ['domain', 'contosobank.com', 'partner:ContosoBank'],
      ]),
    );
  });
});

describe('profile form', () => {
  it('accepts the article example', () => {
    expect(validateProfile(EXAMPLE_PROFILE)).toEqual({});
  });

  it('puts messages on the fields that are wrong', () => {
    const errors = validateProfile({
      ...EXAMPLE_PROFILE,
      name: '',
      acceptedDomains: ['not a domain'],
      partners: [{ ...EXAMPLE_PROFILE.partners[0]!, domains: [], certificateCheck: 'ca-issued-with-name' }],
      ownServers: [{ ...EXAMPLE_PROFILE.ownServers[0]!, publicIps: ['10.0.0.0/8'] }],
    });
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['name', 'acceptedDomains.0', 'partners.0.domains', 'partners.0.certificateName', 'ownServers.0.publicIps.0']));
    expect(Object.keys(errorsForStep(errors, ['partners']))).toEqual(expect.arrayContaining(['partners.0.domains', 'partners.0.certificateName']));
    expect(Object.keys(errorsForStep(errors, ['partners'])).every((k) => k.startsWith('partners'))).toBe(true);
  });

  it('says what is wrong in plain words (not the schema’s "Too small"), also for partner IP ranges and a device IP, and names fields as the form does', () => {
    const errors = validateProfile({
      ...EXAMPLE_PROFILE,
      partners: [{ ...EXAMPLE_PROFILE.partners[0]!, name: '', ipRanges: ['10.0.0.0/8', '2001:db8::/32'] }],
      devices: [{ ...EXAMPLE_PROFILE.devices[0]!, staticPublicIp: '2001:db8::1' }],
    });
    expect(errors['partners.0.name']).toBe('Give the partner a name.');
    expect(errors['partners.0.ipRanges.0']).toMatch(/is a \/8; connectors accept ranges from \/24 to \/32/);
    expect(errors['partners.0.ipRanges.1']).toMatch(/IPv6/);
    expect(errors['devices.0.staticPublicIp']).toMatch(/"2001:db8::1" is an IPv6 address/);
    expect(Object.values(errors).join(' ')).not.toMatch(/Too small|expected/);
    expect(fieldLabel('partners.1.ipRanges.0')).toBe('Partner 2, IPv4 ranges');
    expect(fieldLabel('ownServers.0.hostNames.0')).toBe('Server 1, public host names');
    expect(fieldLabel('name')).toBe('Profile name');
  });

  it('splits typed lists on lines and commas only: spaces never make three entries of one', () => {
    expect(splitList(' a.com, b.com\nc.com ,, \n')).toEqual(['a.com', 'b.com', 'c.com']);
    expect(splitList('mail fabrikam com')).toEqual(['mail fabrikam com']);
    expect(splitList('a.com;b.com')).toEqual(['a.com;b.com']);
  });

  it('refuses every value the issue found in scripts, each with its reason next to its entry', () => {
    const errors = validateProfile({
      ...EXAMPLE_PROFILE,
      ownServers: [{ ...EXAMPLE_PROFILE.ownServers[0]!, hostNames: ['mail fabrikam com'], publicIps: ['192.168.1.10', '203.0.113.7'] }],
      partners: [{ ...EXAMPLE_PROFILE.partners[0]!, domains: ['contosobank', 'contosobank.com'], smartHosts: ['not a host'], ipRanges: ['10.1.2.3'] }],
      devices: [
        { ...EXAMPLE_PROFILE.devices[0]!, staticPublicIp: '203.0.113.300' },
        { ...EXAMPLE_PROFILE.devices[0]!, name: 'Scanner', staticPublicIp: '999.1.1.1' },
      ],
    });
    expect(errors['ownServers.0.hostNames.0']).toMatch(/^"mail fabrikam com" has spaces; a host name cannot/);
    expect(errors['ownServers.0.publicIps.0']).toMatch(/"192.168.1.10" is a private address \(192.168.0.0\/16\); Office 365 sees the public address/);
    expect(errors['ownServers.0.publicIps.1']).toBeUndefined();
    expect(errors['partners.0.domains.0']).toMatch(/"contosobank" is not a full name \(no dot\)/);
    expect(errors['partners.0.domains.1']).toBeUndefined();
    expect(errors['partners.0.smartHosts.0']).toMatch(/"not a host" has spaces/);
    expect(errors['partners.0.ipRanges.0']).toMatch(/"10.1.2.3" is a private address/);
    expect(errors['devices.0.staticPublicIp']).toMatch(/"203.0.113.300" is not an IPv4 address/);
    expect(errors['devices.1.staticPublicIp']).toMatch(/"999.1.1.1" is not an IPv4 address/);
    for (const message of Object.values(errors)) expect(message).toMatch(/^[A-Z"].*[.)]$/);
    expect(listErrors(errors, 'partners.0.domains', 2)).toEqual([errors['partners.0.domains.0']]);
  });
});

describe('findings view', () => {
  it('groups by area, the worst group first (issue 8), worst first inside each', () => {
    const report = checkReport();
    const groups = groupFindings([...report.findings, { ...finding('SPF_BAD', 'fail') }]);
    expect(groups.map((g) => g.area)).toEqual(['spf', 'mx']);
    expect(groups[0]!.findings.map((f) => f.severity)).toEqual(['fail', 'warn']);
    // Among equally bad groups, the contract's order.
    expect(groupFindings(report.findings.map((f) => ({ ...f, severity: 'ok' as const }))).map((g) => g.area)).toEqual(['mx', 'spf']);
    expect(worstSeverity(report.findings)).toBe('warn');
    expect(worstSeverity([])).toBe('ok');
  });
});

describe('errorText', () => {
  it('names the field by its label, with the entry, and never repeats the path', () => {
    expect(errorText({ code: 'INPUT', message: 'settings.caFiles.1: The CA file "/x.pem" was not found', where: 'settings.caFiles.1' }, SETTINGS_LABELS)).toBe('Extra trusted CA files, entry 2: The CA file "/x.pem" was not found');
    expect(errorText({ code: 'INPUT', message: 'settings.doh: DNS over HTTPS needs an https:// address', where: 'settings.doh' }, SETTINGS_LABELS)).toBe('DNS over HTTPS address: DNS over HTTPS needs an https:// address');
    expect(errorText({ code: 'INPUT', message: 'profile.name: too long', where: 'profile.name' })).toBe('too long');
    expect(errorText({ code: 'INTERNAL', message: 'Something went wrong' })).toBe('Something went wrong');
  });
});

describe('what people paste into Diagnose', () => {
  const ports = [25, 587, 465, 2525];
  it('takes the host name of a URL, as the command line does', () => {
    expect(parseDiagnoseInput('domain', ' https://contoso.com/path?x=1 ', ports)).toEqual({ target: 'contoso.com' });
    expect(parseDiagnoseInput('domain', 'bob@contoso.com', ports)).toEqual({ target: 'bob@contoso.com' });
    expect(parseDiagnoseInput('host', 'http://mx1.contoso.com', ports)).toEqual({ target: 'mx1.contoso.com' });
  });
  it('splits host:port and [IPv6]:port for a server, and refuses a port the app does not probe', () => {
    expect(parseDiagnoseInput('host', 'mx1.contoso.lab:2525', ports)).toEqual({ target: 'mx1.contoso.lab', port: 2525 });
    expect(parseDiagnoseInput('host', '[::1]:587', ports)).toEqual({ target: '::1', port: 587 });
    expect(parseDiagnoseInput('host', '[::1]', ports)).toEqual({ target: '::1' });
    expect(parseDiagnoseInput('host', '2001:db8::25', ports)).toEqual({ target: '2001:db8::25' });
    expect(parseDiagnoseInput('host', 'mx1.contoso.lab:22', ports)).toEqual({ error: 'Port 22 is not one the app probes: choose 25, 587, 465, 2525.' });
  });
});

describe('settings form', () => {
  it('accepts DKIM selectors that are one DNS label, and says what is wrong with others', () => {
    expect(dkimSelectorsError([])).toBeUndefined();
    expect(dkimSelectorsError(['s2048', 'google', 'k1_2-x', 'x'.repeat(63)])).toBeUndefined();
    expect(dkimSelectorsError(['s1._domainkey.contoso.com'])).toMatch(/has a dot: type only the selector/);
    expect(dkimSelectorsError(['x'.repeat(64)])).toMatch(/1 to 63 letters/);
    expect(dkimSelectorsError(['s<b>'])).toMatch(/not a selector name/);
    expect(dkimSelectorsError(Array.from({ length: 11 }, (_, i) => `s${i}`))).toBe('At most 10 selectors.');
    expect(dkimSelectorsError(Array.from({ length: 10 }, (_, i) => `s${i}`))).toBeUndefined();
    expect(dkimSelectorsError(['sel ector'])).toMatch(/has a space/);
  });

  it('checks every field at once, in words, never the validator’s text', () => {
    const problems = validateSettings({
      dnsServers: [...Array.from({ length: 9 }, (_, i) => `192.0.2.${i + 1}`), 'dns.example'],
      doh: 'http://dns.example/q',
      timeoutText: '99',
      caFiles: ['\\\\fileserver\\share\\ca.pem'],
      publicCaFiles: ['relative/lab-ca.pem'],
      heloName: 'not a host',
      dkimSelectors: ['sel ector', '_bad', 'ok'],
    });
    expect(problems.ok).toBe(false);
    expect(problems.dnsServers).toEqual([expect.stringMatching(/^"dns.example" is not a DNS server/), 'At most 8 DNS servers.']);
    expect(problems.doh).toEqual([expect.stringMatching(/needs an https:\/\/ address/)]);
    expect(problems.timeoutText).toEqual(['A whole number of seconds from 1 to 60.']);
    expect(problems.heloName).toEqual([expect.stringMatching(/is not a host name/)]);
    expect(problems.caFiles).toEqual([expect.stringMatching(/network \(UNC\) or device path/)]);
    expect(problems.publicCaFiles).toEqual([expect.stringMatching(/is not a full path/)]);
    expect(problems.dkimSelectors).toEqual([expect.stringMatching(/"sel ector" has a space/), expect.stringMatching(/"_bad" is not a selector name: .*starting and ending with a letter or digit/)]);
    expect(JSON.stringify(problems)).not.toMatch(/Too big|Too small|expected/);
    expect(validateSettings({ dnsServers: ['127.0.0.1:5353'], timeoutText: '10', caFiles: ['/etc/ca.pem'], publicCaFiles: [], dkimSelectors: ['s2048'] }).ok).toBe(true);
    expect(settingsFieldOf('settings.caFiles.1')).toBe('caFiles');
    expect(settingsFieldOf('settings.timeoutSeconds')).toBe('timeoutText');
    expect(settingsFieldOf('profile.name')).toBeUndefined();
  });
});
