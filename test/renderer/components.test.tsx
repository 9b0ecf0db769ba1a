import './support/setup-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiProvider } from '../../src-renderer/api/ApiContext';
import { App } from '../../src-renderer/App';
import { FlowDetails } from '../../src-renderer/features/flow-diagram/FlowDetails';
import { FlowList } from '../../src-renderer/features/flow-diagram/FlowList';
import { Legend } from '../../src-renderer/features/flow-diagram/Legend';
import { FlowStatusSchema } from '../../src-main/contract/planner';
import { CheckReportView, ProbeView, probeSummary } from '../../src-renderer/features/diagnose/ReportViews';
import { PlanResults } from '../../src-renderer/features/plan/PlanResults';
import { StatusBadge } from '../../src-renderer/components/StatusBadge';
import { buildFlowGraph } from '../../src-renderer/state/flow-graph';
import { EXAMPLE_PROFILE } from '../../src-renderer/features/plan/example-profile';
import { decodeText } from '../../src-renderer/features/plan/ImportConnectors';
import { checkReport, examplePlan, HOSTILE, HOSTILE_BANNER, hostileProbe } from './support/fixtures';
import { fakeClient, ok, type Handlers } from './support/fake-client';

afterEach(cleanup);

/** No element was made from untrusted text: no <img>, <script> or <b> anywhere in the rendered tree. */
function expectNoInjectedElements(container: HTMLElement): void {
  expect(container.querySelector('img, script, b, iframe')).toBeNull();
}

const baseHandlers = (): Handlers => ({
  'profiles:last': () => ok({ profile: null }),
  'app:notices': () => ok([]),
  'plan:build': () => ok(examplePlan()),
  'profiles:list': () => ok([]),
});

function renderApp(handlers: Handlers) {
  const fake = fakeClient(handlers);
  const view = render(
    <ApiProvider client={fake.client}>
      <App />
    </ApiProvider>,
  );
  return { ...fake, ...view };
}

describe('status badge', () => {
  it('shows the status in words and an icon, with the status as data', () => {
    render(<StatusBadge status="tls-failing" imported={false} />);
    const badge = screen.getByText('TLS failing').closest('.badge')!;
    expect(badge.getAttribute('data-status')).toBe('tls-failing');
    expect(badge.textContent).toContain('⚠');
  });

  it('says a connector is needed before an import and missing after one, with the same status, icon and colour', () => {
    const { unmount } = render(<StatusBadge status="connector-missing" imported={false} />);
    const before = screen.getByText('Connector needed').closest('.badge')!;
    expect(before.getAttribute('data-status')).toBe('connector-missing');
    expect(before.className).toContain('status-fail');
    expect(before.textContent).toBe('✗Connector needed');
    expect(before.getAttribute('title')).toMatch(/import your existing connectors to check/);
    unmount();
    render(<StatusBadge status="connector-missing" imported={true} />);
    const after = screen.getByText('Connector missing').closest('.badge')!;
    expect(after.className).toContain('status-fail');
    expect(after.textContent).toBe('✗Connector missing');
    expect(screen.queryByText('Connector needed')).toBeNull();
  });
});

describe('legend', () => {
  it('before an import: "Connector needed" with the hint to import; after: "Connector missing" without it', () => {
    const { unmount } = render(<Legend imported={false} />);
    const before = screen.getByTestId('flow-legend');
    expect(before.textContent).toContain('Connector needed (import your connectors to check which exist)');
    expect(before.textContent).not.toContain('Connector missing');
    // Every status is still listed, each once.
    expect(before.querySelectorAll('.badge')).toHaveLength(FlowStatusSchema.options.length);
    unmount();
    render(<Legend imported={true} />);
    const after = screen.getByTestId('flow-legend');
    expect(after.textContent).toContain('Connector missing');
    expect(after.textContent).not.toMatch(/Connector needed|import your connectors/);
  });
});

describe('flow list and details', () => {
  const graph = buildFlowGraph(EXAMPLE_PROFILE, examplePlan());

  it('lists every flow with a keyboard-reachable button and its status', () => {
    const selected: string[] = [];
    render(<FlowList edges={graph.edges} imported={graph.imported} profile={EXAMPLE_PROFILE} selected={undefined} onSelect={(k) => selected.push(k)} />);
    const row = screen.getByTestId('flow-row-bob-partner-contosobank');
    expect(row.getAttribute('data-status')).toBe('tls-failing');
    within(row).getByText('TLS failing');
    fireEvent.click(within(row).getByRole('button', { name: 'Bob → ContosoBank' }));
    expect(selected).toEqual(['flow-edge-bob-partner-contosobank']);
  });

  it('explains a flow: path, connector with its reason, evidence as text, fix', () => {
    const edge = graph.edges.find((e) => e.id === 'flow-edge-bob-partner-contosobank');
    const { container } = render(<FlowDetails edge={edge} imported={graph.imported} profile={EXAMPLE_PROFILE} onClose={() => undefined} />);
    expect(screen.getByTestId('flow-path').textContent).toBe('Office 365ContosoBank');
    screen.getByText('To ContosoBank (TLS)');
    screen.getByText(/TLS required to ContosoBank/);
    expect(screen.getByTestId('flow-evidence').textContent).toContain(HOSTILE);
    expect(screen.getByTestId('flow-fix').textContent).toContain('public CA');
    expectNoInjectedElements(container);
  });

  it('says what to do when nothing is selected', () => {
    render(<FlowDetails edge={undefined} imported={false} profile={EXAMPLE_PROFILE} onClose={() => undefined} />);
    screen.getByText(/Select an arrow on the diagram/);
  });
});

describe('reports render untrusted text as text', () => {
  it('shows a hostile banner, certificate fields and prediction reason literally', () => {
    const { container } = render(<ProbeView probe={hostileProbe()} />);
    expect(screen.getByTestId('transcript').textContent).toContain(HOSTILE_BANNER);
    expect(screen.getByTestId('cert-chain').textContent).toContain(`CN=${HOSTILE}`);
    expect(screen.getByTestId('predictions').textContent).toContain(HOSTILE);
    expect(screen.getByTestId('waterfall').textContent).toContain(HOSTILE_BANNER);
    expect(screen.getByTestId('probe-banner').textContent).toBe(HOSTILE_BANNER);
    expect(screen.getByTestId('cert-verdict').textContent).toContain('self-signed');
    screen.getByText(`PIPELINING, STARTTLS, ${HOSTILE}`);
    expectNoInjectedElements(container);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('names the missing intermediate as the certificate that was not sent (not as its issuer)', () => {
    const verdict = { ...hostileProbe().certificateVerdict!, summary: 'missing-intermediate' as const, chain: 'incomplete' as const, missingIssuer: 'CN=Contoso Issuing CA', hostnameMatches: true };
    render(<ProbeView probe={hostileProbe({ certificateVerdict: verdict })} />);
    const said = screen.getByTestId('cert-verdict').textContent;
    expect(said).toContain('the server did not send the intermediate certificate CN=Contoso Issuing CA');
    expect(said).not.toContain('issued by');
  });

  it('does not say "No STARTTLS offered" when the connection was refused or the server never answered EHLO', () => {
    const refused = hostileProbe({ stages: [{ name: 'connect', status: 'failed', startMs: 0, durationMs: 7, detail: 'ECONNREFUSED' }], starttls: false, capabilities: null, certificates: [], certificateVerdict: null, banner: null, transcript: [{ t: 1, direction: 'event', text: 'connecting' }] });
    expect(probeSummary(refused)).toBe('Could not connect, so STARTTLS could not be checked.');
    render(<ProbeView probe={refused} />);
    expect(screen.getByTestId('probe-report').textContent).not.toContain('No STARTTLS offered');
    screen.getByText('SMTP conversation (1 line)');
    const silent = hostileProbe({ stages: [{ name: 'connect', status: 'ok', startMs: 0, durationMs: 1 }, { name: 'banner', status: 'failed', startMs: 1, durationMs: 5000 }], starttls: false, capabilities: null });
    expect(probeSummary(silent)).toBe('The conversation ended at the banner stage, before the server said whether it offers STARTTLS.');
    expect(probeSummary(hostileProbe({ starttls: false, capabilities: { ...hostileProbe().capabilities!, starttls: false } }))).toBe('No STARTTLS offered.');
  });

  it('shows DNS evidence, the MX table and each host’s stages as a waterfall', () => {
    const { container } = render(<CheckReportView report={checkReport()} />);
    expect(screen.getByTestId('findings-spf').textContent).toContain(`TXT "${HOSTILE}"`);
    const mx = screen.getByTestId('mx-table');
    within(mx).getByText('mx.evil.test');
    within(mx).getByText('127.0.0.1');
    const bars = container.querySelectorAll('.stage-bar');
    expect(bars).toHaveLength(5);
    // The failed TLS stage starts at 22 of 60 ms.
    expect((bars[4] as HTMLElement).style.left).toBe(`${(22 / 60) * 100}%`);
    screen.getByText('Warning');
    expectNoInjectedElements(container);
  });
});

describe('plan results', () => {
  it('lists each connector with its reason, rule and PowerShell', () => {
    render(<PlanResults plan={examplePlan()} />);
    const card = screen.getByTestId('connector-out-partner-contosobank');
    within(card).getByText('From: Office 365, To: Partner organization');
    within(card).getByText(/TLS required to ContosoBank/);
    expect(within(card).getByText(/New-OutboundConnector -Name "To ContosoBank \(TLS\)"/)).toBeTruthy();
    screen.getByRole('button', { name: 'Copy all PowerShell' });
    screen.getByText(/Direct send/);
  });

  it('calls the plan’s own warnings points to check (not gaps in existing connectors) and names connectors, not ids', () => {
    const gap = { code: 'OWN_SERVER_NO_CERTIFICATE_NAME', severity: 'warn' as const, subject: 'in-own', message: 'EX2013 has no certificate name.', fix: 'Add it.' };
    const { unmount } = render(<PlanResults plan={examplePlan({ gaps: [gap] })} />);
    screen.getByRole('heading', { name: 'Points to check in the planned connectors' });
    expect(screen.getByTestId('plan-gaps').textContent).toContain('From EX2013 to Office 365: EX2013 has no certificate name.');
    unmount();
    render(<PlanResults plan={examplePlan({ existingImported: true, gaps: [gap] })} />);
    screen.getByRole('heading', { name: 'Gaps: the plan compared with your existing connectors' });
  });

  it('says so when no connector is needed', () => {
    render(<PlanResults plan={examplePlan({ connectors: [] })} />);
    screen.getByTestId('no-connectors');
  });
});

describe('the app', () => {
  it('opens on the article example with one obvious next step, then marks itself loaded', async () => {
    const { calls, container } = renderApp(baseHandlers());
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    screen.getByText(/How mail flows in the article’s example organisation/);
    expect(screen.getAllByTestId('next-step')).toHaveLength(1);
    expect(screen.getByTestId('next-step').textContent).toBe('Describe your organisation');
    // Nothing was imported, so nothing is known to be missing: the flows that need a connector say so.
    expect(screen.getByTestId('flow-summary').textContent).toContain('Connector needed: 2');
    expect(screen.getByTestId('overview').textContent).not.toContain('Connector missing');
    screen.getByTestId('flow-row-john-bob');
    const build = calls.find((c) => c.channel === 'plan:build');
    expect(build?.input).toMatchObject({ profile: EXAMPLE_PROFILE, existing: [], observations: [] });
  });

  it('draws the flows that need no connector only when asked, and always lists them', async () => {
    const { container } = renderApp(baseHandlers());
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    const toggle = screen.getByTestId('show-unneeded') as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    expect(toggle.closest('label')!.textContent).toContain('Also draw the 2 flows that need no connector');
    expect(screen.getByTestId('flow-row-bob-sun').getAttribute('data-status')).toBe('no-connector-needed');
    await waitFor(() => expect(screen.getByTestId('flow-edge-john-bob').getAttribute('data-status')).toBe('connector-missing'));
    expect(screen.queryByTestId('flow-edge-bob-sun')).toBeNull();
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByTestId('flow-edge-bob-sun').getAttribute('data-status')).toBe('no-connector-needed'));
    // Each label: status icon and words, a short connector name, the full name on hover.
    const johnBob = screen.getByTestId('flow-edge-john-bob');
    expect(johnBob.textContent).toBe('✗ Connector neededInbound from EX2013');
    expect(johnBob.getAttribute('title')).toBe('From EX2013 to Office 365: Connector needed');
    expect(johnBob.className).toContain('status-fail');
    // Screen readers hear the people's names, not actor ids such as "partner:ContosoBank".
    expect(johnBob.getAttribute('aria-label')).toMatch(/^John to Bob: /);
    for (const label of container.querySelectorAll('.flow-label')) expect(label.getAttribute('aria-label')).not.toMatch(/\b(john|bob|sun|partner:|device:)/);
    expect(screen.getByTestId('flow-edge-bob-john').getAttribute('data-label-y')).not.toBe(johnBob.getAttribute('data-label-y'));
    // The arrow head is filled with the status colour, not React Flow's grey.
    const markerUrl = container.querySelector('path.react-flow__edge-path[id="flow-edge-john-bob"]')!.getAttribute('marker-end')!;
    const head = container.ownerDocument.getElementById(/url\('#(.+)'\)/.exec(markerUrl)![1]!)!.querySelector('polyline') as SVGElement;
    expect(head.style.fill).toBe('var(--fail)');
    const sunHead = container.ownerDocument.getElementById(/url\('#(.+)'\)/.exec(container.querySelector('path.react-flow__edge-path[id="flow-edge-bob-sun"]')!.getAttribute('marker-end')!)![1]!)!;
    expect((sunHead.querySelector('polyline') as SVGElement).style.fill).toBe('var(--neutral)');
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.queryByTestId('flow-edge-bob-sun')).toBeNull());
    // Picked in the list, a hidden flow is drawn after all.
    fireEvent.click(within(screen.getByTestId('flow-row-bob-sun')).getByRole('button'));
    await waitFor(() => expect(screen.getByTestId('flow-edge-bob-sun').getAttribute('aria-pressed')).toBe('true'));
  });

  it('opens the last saved profile instead of the example', async () => {
    const saved = { ...EXAMPLE_PROFILE, name: 'Fabrikam' };
    const { container } = renderApp({ ...baseHandlers(), 'profiles:last': () => ok({ profile: saved }) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    screen.getByText('Mail flow of Fabrikam');
    expect(screen.getByTestId('next-step').textContent).toContain('Diagnose');
  });

  it('does not talk about John when every mailbox is in the cloud', async () => {
    const cloud = { ...EXAMPLE_PROFILE, name: 'Cloud only', ownServers: [], mailboxes: 'all-cloud' as const, devices: [] };
    const { container } = renderApp({ ...baseHandlers(), 'profiles:last': () => ok({ profile: cloud }), 'plan:build': () => ok(examplePlan({ flows: [] })) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    const intro = screen.getByText('Mail flow of Cloud only').closest('section')!;
    expect(intro.textContent).toContain('Every mailbox is in Office 365 (Bob)');
    expect(intro.textContent).not.toContain('John');
    screen.getByTestId('flow-node-bob');
    expect(screen.queryByTestId('flow-node-john')).toBeNull();
  });

  it('says in words when the plan cannot be built, and still loads', async () => {
    const { container } = renderApp({ ...baseHandlers(), 'plan:build': () => ({ ok: false, error: { code: 'INTERNAL', message: 'The planner stopped.' } }) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    expect(screen.getByTestId('plan-error').textContent).toContain('The planner stopped.');
  });

  it('shows store notices raised before the UI started', async () => {
    const { container } = renderApp({ ...baseHandlers(), 'app:notices': () => ok([{ level: 'warn' as const, message: 'Your settings file was damaged and moved aside.' }]) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    expect(screen.getByTestId('notice').textContent).toContain('moved aside');
  });

  it('checks each plan answer as it is given and saves the profile', async () => {
    const saved: unknown[] = [];
    const { container } = renderApp({ ...baseHandlers(), 'profiles:save': (input) => (saved.push(input.profile), ok({ saved: true })) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('next-step'));
    const domains = screen.getByTestId('accepted-domains') as HTMLInputElement;
    fireEvent.change(domains, { target: { value: 'contoso.com, not a domain' } });
    await screen.findByText(/is not a domain name|a domain name such as/);
    expect(domains.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(domains, { target: { value: 'fabrikam.com' } });
    await waitFor(() => expect(domains.getAttribute('aria-invalid')).toBeNull());
    fireEvent.change(screen.getByTestId('profile-name'), { target: { value: 'Fabrikam' } });
    fireEvent.click(screen.getByTestId('step-review'));
    fireEvent.click(screen.getByTestId('save-and-plan'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toMatchObject({ name: 'Fabrikam', acceptedDomains: ['fabrikam.com'] });
    await screen.findByText('Mail flow of Fabrikam');
  });

  it('says a connector export with problems is not used, and names the file once per problem', async () => {
    const { container } = renderApp({
      ...baseHandlers(),
      'connectors:import': (input) =>
        ok(
          input.file.fileName === 'bad.json'
            ? { fileName: 'bad.json', connectors: [], problems: [{ where: 'bad.json', message: 'bad.json: not valid JSON (Unterminated string); export with ConvertTo-Json -Depth 5.' }] }
            : { fileName: input.file.fileName, connectors: [{ name: 'ContosoBank inbound', direction: 'inbound', enabled: true, details: [] }], problems: [] },
        ),
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    const input = screen.getByTestId('import-connectors-input') as HTMLInputElement;
    const file = (name: string) => new File(['[]'], name, { type: 'application/json' });
    fireEvent.change(input, { target: { files: [file('good.json'), file('bad.json')] } });
    await waitFor(() => expect(screen.getAllByTestId('import-preview')).toHaveLength(2));
    const [good, bad] = screen.getAllByTestId('import-preview');
    expect(good!.textContent).toContain('good.json: 1 connector read: ContosoBank inbound (inbound).');
    expect(bad!.textContent).toContain('bad.json: not used');
    expect(bad!.textContent).not.toContain('0 connectors read');
    expect(bad!.textContent).not.toContain('bad.json: bad.json');
  });

  it('says "Connector needed" until connectors are imported, then "Connector missing" on the same flows', async () => {
    const { container } = renderApp({
      ...baseHandlers(),
      // As main does: the plan says whether existing connectors were compared.
      'plan:build': (input) => ok(examplePlan({ existingImported: input.existing.length > 0 })),
      'connectors:import': (input) => ok({ fileName: input.file.fileName, connectors: [{ name: 'ContosoBank inbound', direction: 'inbound' as const, enabled: true, details: [] }], problems: [] }),
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    const summary = screen.getByTestId('flow-summary');
    expect(summary.textContent).toContain('Connector needed: 2');
    expect(within(screen.getByTestId('flow-row-john-bob')).getByText('Connector needed').closest('.badge')!.className).toContain('status-fail');
    await waitFor(() => expect(screen.getByTestId('flow-edge-john-bob').textContent).toContain('Connector needed'));
    expect(screen.getByTestId('flow-legend').textContent).toContain('(import your connectors to check which exist)');
    fireEvent.click(within(screen.getByTestId('flow-row-john-bob')).getByRole('button'));
    expect(screen.getByTestId('flow-details').textContent).toContain('Nothing has checked yet whether you have it');

    const input = screen.getByTestId('import-connectors-input') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['[]'], 'inbound.json', { type: 'application/json' })] } });
    await waitFor(() => expect(summary.textContent).toContain('Connector missing: 2'));
    expect(summary.textContent).not.toContain('Connector needed');
    expect(screen.getByTestId('flow-row-john-bob').getAttribute('data-status')).toBe('connector-missing');
    within(screen.getByTestId('flow-row-john-bob')).getByText('Connector missing');
    await waitFor(() => expect(screen.getByTestId('flow-edge-john-bob').textContent).toContain('Connector missing'));
    expect(screen.getByTestId('flow-legend').textContent).not.toContain('import your connectors');
    expect(screen.getByTestId('flow-details').textContent).toContain('does not exist yet');
    expect(screen.getByTestId('overview').textContent).not.toContain('Connector needed');
  });

  it('asks for the certificate name a partner sends with and a device’s certificate name, and saves them', async () => {
    const saved: { partners: { senderCertificateName?: string; ipRanges: string[] }[]; devices: { certificateName?: string }[] }[] = [];
    const { container } = renderApp({ ...baseHandlers(), 'profiles:save': (input) => (saved.push(input.profile), ok({ saved: true })) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('next-step'));
    fireEvent.click(screen.getByTestId('step-partners'));
    fireEvent.change(screen.getByTestId('partner-0-sender-cert'), { target: { value: 'mail.contosobank.com' } });
    fireEvent.change(screen.getByTestId('partner-0-ips'), { target: { value: '198.51.100.0/24' } });
    fireEvent.click(screen.getByTestId('step-devices'));
    fireEvent.change(screen.getByTestId('device-0-cert'), { target: { value: 'not a name' } });
    expect(screen.getByTestId('device-0-cert').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByTestId('device-0-cert'), { target: { value: 'relay.contoso.com' } });
    fireEvent.click(screen.getByTestId('step-review'));
    fireEvent.click(screen.getByTestId('save-and-plan'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.partners[0]).toMatchObject({ senderCertificateName: 'mail.contosobank.com', ipRanges: ['198.51.100.0/24'] });
    expect(saved[0]?.devices[0]).toMatchObject({ certificateName: 'relay.contoso.com' });
  });

  it('diagnoses a partner domain with live progress and feeds the TLS failure to the plan', async () => {
    let planCalls = 0;
    const handlers: Handlers = {
      ...baseHandlers(),
      'plan:build': (input) => {
        planCalls += 1;
        return ok(examplePlan({ flows: input.observations?.length ? examplePlan().flows : examplePlan().flows.map((f) => ({ ...f, status: f.status === 'tls-failing' ? 'connector-missing' : f.status })) }));
      },
    };
    let emitProgress: ((step: string) => void) | undefined;
    let finish: (() => void) | undefined;
    handlers['check:run'] = (input) =>
      new Promise((resolve) => {
        emitProgress = (step) => fake.emit('job:progress', { jobId: input.jobId, step, status: 'done', atMs: 5 });
        finish = () => resolve(ok(checkReport({ domain: 'contosobank.com', domainUnicode: 'contosobank.com' })));
      });
    const fake = renderApp(handlers);
    await waitFor(() => expect(fake.container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    expect(screen.getByTestId('flow-row-bob-partner-contosobank').getAttribute('data-status')).toBe('connector-missing');
    fireEvent.click(screen.getByTestId('nav-diagnose'));
    fireEvent.change(screen.getByTestId('diagnose-target'), { target: { value: 'contosobank.com' } });
    fireEvent.click(screen.getByTestId('diagnose-run'));
    await waitFor(() => expect(emitProgress).toBeDefined());
    screen.getByTestId('diagnose-cancel');
    emitProgress!('dns:MX');
    await screen.findByText(/DNS MX: done/);
    finish!();
    await screen.findByTestId('diagnose-result');
    const note = await screen.findByTestId('diagnose-note');
    expect(note.textContent).toContain('TLS fails for ContosoBank');
    const lastPlan = fake.calls.filter((c) => c.channel === 'plan:build').at(-1)!.input as { observations: { target: string; ok: boolean }[] };
    expect(lastPlan.observations).toEqual([expect.objectContaining({ target: 'partner:ContosoBank', ok: false })]);
    expect(planCalls).toBe(2);
    fireEvent.click(screen.getByTestId('nav-overview'));
    expect(screen.getByTestId('flow-row-bob-partner-contosobank').getAttribute('data-status')).toBe('tls-failing');
    expectNoInjectedElements(fake.container.querySelector('main')!);
  });

  it('shows the history, reopens a run and compares two runs of one domain', async () => {
    const older = checkReport({ startedAt: '2026-11-01T00:00:00Z' });
    const newer = checkReport({ findings: [...checkReport().findings.filter((f) => f.code !== 'SPF_MISSING'), { ...checkReport().findings[0]!, code: 'DMARC_MISSING', area: 'dmarc' }] });
    const entry = (id: string, at: string) => ({ id, kind: 'check' as const, target: 'evil.test', at, worstSeverity: 'warn' as const });
    const { container } = renderApp({
      ...baseHandlers(),
      'history:list': () => ok([entry('b', '2026-11-27T00:00:00Z'), entry('a', '2026-11-01T00:00:00Z')]),
      'history:get': (input) => ok({ kind: 'check' as const, entry: entry(input.id, input.id === 'a' ? '2026-11-01T00:00:00Z' : '2026-11-27T00:00:00Z'), report: input.id === 'a' ? older : newer }),
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-history'));
    const rows = await screen.findAllByTestId('history-row');
    fireEvent.click(within(rows[1]!).getByRole('button', { name: /^Domain / }));
    await screen.findByTestId('history-opened');
    for (const row of rows) fireEvent.click(within(row).getByRole('checkbox'));
    fireEvent.click(screen.getByTestId('history-compare'));
    const comparison = await screen.findByTestId('comparison');
    expect(comparison.textContent).toContain('1 new, 1 gone, 0 changed, 1 the same');
    within(comparison).getByText('DMARC_MISSING');
  });

  it('does not leave an earlier comparison on screen when two runs of different targets are picked', async () => {
    const entry = (id: string, target: string, at: string) => ({ id, kind: 'check' as const, target, at, worstSeverity: 'warn' as const });
    const runs = { a: entry('a', 'evil.test', '2026-11-01T00:00:00Z'), b: entry('b', 'evil.test', '2026-11-02T00:00:00Z'), c: entry('c', 'other.test', '2026-11-03T00:00:00Z') };
    const { container } = renderApp({
      ...baseHandlers(),
      'history:list': () => ok([runs.c, runs.b, runs.a]),
      'history:get': (input) => ok({ kind: 'check' as const, entry: runs[input.id as keyof typeof runs], report: checkReport() }),
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-history'));
    const rows = await screen.findAllByTestId('history-row');
    fireEvent.click(within(rows[1]!).getByRole('checkbox'));
    fireEvent.click(within(rows[2]!).getByRole('checkbox'));
    fireEvent.click(screen.getByTestId('history-compare'));
    await screen.findByTestId('comparison');
    fireEvent.click(within(rows[1]!).getByRole('checkbox'));
    fireEvent.click(within(rows[0]!).getByRole('checkbox'));
    fireEvent.click(screen.getByTestId('history-compare'));
    await screen.findByText(/Compare two runs of the same target/);
    expect(screen.queryByTestId('comparison')).toBeNull();
  });

  it('deletes a run from the history', async () => {
    const entries = [{ id: 'a', kind: 'check' as const, target: 'evil.test', at: '2026-11-01T00:00:00Z', worstSeverity: 'warn' as const }];
    const { container } = renderApp({
      ...baseHandlers(),
      'history:list': () => ok([...entries]),
      'history:delete': (input) => {
        entries.splice(entries.findIndex((e) => e.id === input.id), 1);
        return ok({ deleted: true });
      },
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-history'));
    fireEvent.click(await screen.findByRole('button', { name: /^Delete the run of evil.test/ }));
    await screen.findByTestId('history-empty');
  });

  it('says when there is no history yet', async () => {
    const { container } = renderApp({ ...baseHandlers(), 'history:list': () => ok([]) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-history'));
    await screen.findByTestId('history-empty');
  });

  it('saves settings and shows the reason when main refuses them', async () => {
    let stored = { dnsServers: [] as string[], timeoutSeconds: 10, caFiles: [] as string[], dkimSelectors: [] as string[], publicCaFiles: [] as string[] };
    const { container } = renderApp({
      ...baseHandlers(),
      'settings:get': () => ok(stored),
      'settings:set': (input) => {
        if (input.settings.dnsServers.includes('bad')) return { ok: false, error: { code: 'INPUT', message: 'settings.dnsServers.0: a DNS server is an IP address', where: 'settings.dnsServers.0' } };
        stored = { ...stored, ...input.settings };
        return ok(stored);
      },
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-settings'));
    const dns = await screen.findByTestId('settings-dns');
    fireEvent.change(dns, { target: { value: 'bad' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    // The back end's message starts with the field path (as fromZodError makes it); the user sees the label, once.
    const said = (await screen.findByTestId('settings-error')).textContent;
    expect(said).toContain('DNS servers, entry 1: a DNS server is an IP address');
    expect(said).not.toContain('settings.');
    fireEvent.change(dns, { target: { value: '127.0.0.1:5300' } });
    fireEvent.change(screen.getByTestId('settings-timeout'), { target: { value: '99' } });
    screen.getByText('A whole number of seconds from 1 to 60.');
    fireEvent.change(screen.getByTestId('settings-timeout'), { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('settings-status').textContent).toContain('Saved'));
    expect(stored).toMatchObject({ dnsServers: ['127.0.0.1:5300'], timeoutSeconds: 5 });
  });

  it('takes extra DKIM selectors, checks each as typed, and saves them', async () => {
    let stored = { dnsServers: [] as string[], timeoutSeconds: 10, caFiles: [] as string[], dkimSelectors: ['old1'], publicCaFiles: [] as string[] };
    const sets: unknown[] = [];
    const { container } = renderApp({
      ...baseHandlers(),
      'settings:get': () => ok(stored),
      'settings:set': (input) => {
        sets.push(input.settings);
        stored = { ...stored, ...input.settings, dkimSelectors: input.settings.dkimSelectors ?? [] };
        return ok(stored);
      },
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-settings'));
    const field = (await screen.findByTestId('settings-dkim')) as HTMLInputElement;
    expect(field.value).toBe('old1');
    expect(screen.getByLabelText('Extra DKIM selectors (optional)')).toBe(field);
    // A full DNS name is the usual slip: said as typed, and nothing is sent.
    fireEvent.change(field, { target: { value: 's2048, s1._domainkey.contoso.com' } });
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const message = screen.getByRole('alert').textContent;
    expect(message).toContain('"s1._domainkey.contoso.com" has a dot');
    expect(field.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
    fireEvent.click(screen.getByTestId('settings-save'));
    expect(screen.getByTestId('settings-status').textContent).toBe('');
    expect(sets).toEqual([]);
    fireEvent.change(field, { target: { value: Array.from({ length: 11 }, (_, i) => `s${i}`).join(', ') } });
    screen.getByText('At most 10 selectors.');
    fireEvent.change(field, { target: { value: 's2048, google' } });
    expect(field.getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('settings-status').textContent).toContain('Saved'));
    expect(sets).toHaveLength(1);
    expect(stored.dkimSelectors).toEqual(['s2048', 'google']);
  });
});

describe('reading connector exports', () => {
  it('honours UTF-16 and UTF-8 byte-order marks (Windows PowerShell 5.1)', () => {
    const text = '[{"Name":"Bank"}]';
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(text).flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeText(utf16)).toBe(text);
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toBe(text);
    expect(decodeText(new TextEncoder().encode(text))).toBe(text);
  });
});
