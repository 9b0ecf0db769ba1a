import './support/setup-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiProvider } from '../../src-renderer/api/ApiContext';
import { App } from '../../src-renderer/App';
import { FlowDetails } from '../../src-renderer/features/flow-diagram/FlowDetails';
import { FlowList } from '../../src-renderer/features/flow-diagram/FlowList';
import { Legend } from '../../src-renderer/features/flow-diagram/Legend';
import { FlowStatusSchema } from '../../src-main/contract/planner';
import { CheckReportView, FindingsByArea, ProbeView, probeSummary } from '../../src-renderer/features/diagnose/ReportViews';
import { PlanResults } from '../../src-renderer/features/plan/PlanResults';
import { StatusBadge } from '../../src-renderer/components/StatusBadge';
import { buildFlowGraph } from '../../src-renderer/state/flow-graph';
import { EXAMPLE_PROFILE } from '../../src-renderer/features/plan/example-profile';
import { decodeText } from '../../src-renderer/features/plan/ImportConnectors';
import { builtPlan, checkReport, examplePlan, HOSTILE, HOSTILE_BANNER, hostileProbe } from './support/fixtures';
import { fakeClient, ok, type Handlers } from './support/fake-client';

afterEach(cleanup);

/** No element was made from untrusted text: no <img>, <script> or <b> anywhere in the rendered tree. */
function expectNoInjectedElements(container: HTMLElement): void {
  expect(container.querySelector('img, script, b, iframe')).toBeNull();
}

const baseHandlers = (): Handlers => ({
  'profiles:last': () => ok({ profile: null }),
  'app:notices': () => ok([]),
  'plan:build': () => ok(builtPlan()),
  'profiles:list': () => ok([]),
  'observations:list': () => ok([]),
  'observations:save': () => ok({ saved: true }),
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

describe('delivery verdict and prediction reasons (issue 8)', () => {
  const setting = (verdict: 'pass' | 'fail' | 'unknown', text: string) => ({ verdict, via: verdict === 'pass' ? 'mx2.evil.test' : null, hosts: [], text });
  const verdict = {
    delivery: 'delivered' as const, via: { host: 'mx2.evil.test', address: '127.0.0.2', preference: 20 },
    mxWalk: [{ host: 'mx.evil.test', preference: 10, address: '127.0.0.1', outcome: 'refused' as const, detail: 'refused the connection' }],
    encrypted: 'yes' as const,
    tlsSettings: { EncryptionOnly: setting('pass', 'EncryptionOnly: passes through mx2.evil.test.'), CertificateValidation: setting('fail', 'CertificateValidation: no MX can pass CertificateValidation.'), DomainValidation: setting('unknown', 'DomainValidation: not known.') },
    validatedTlsPossible: false, worst: 'fail' as const,
    summary: [`Mail from Exchange Online is delivered to evil.test through mx2.evil.test, after mx.evil.test refused: ${HOSTILE}`, 'Encrypted: TLSv1.3 with mx2.evil.test.', 'Validated TLS to this domain is not possible: no MX can pass CertificateValidation.'],
  };

  it('the banner at the top of a check says delivery, route, encryption and each TlsSettings, as text', () => {
    const { container } = render(<CheckReportView report={checkReport({ verdict })} />);
    const banner = screen.getByTestId('verdict-banner');
    expect(container.querySelector('.check-report')?.querySelector('[data-testid]')?.getAttribute('data-testid')).toBe('verdict-banner');
    expect(banner.getAttribute('data-worst')).toBe('fail');
    expect(banner.textContent).toContain('Mail from Exchange Online is delivered through mx2.evil.test, encrypted.');
    within(banner).getByText('Problem');
    const settings = within(banner).getByTestId('verdict-settings');
    expect(settings.querySelector('[data-setting="CertificateValidation"]')?.getAttribute('data-verdict')).toBe('fail');
    expect(banner.textContent).toContain('no MX can pass CertificateValidation');
    expect(banner.textContent).toContain(HOSTILE);
    expectNoInjectedElements(container);
  });

  it('a prediction lists every reason with its own fix; a null MX says it accepts no mail', () => {
    render(<CheckReportView report={checkReport({ verdict })} />);
    const reasons = screen.getByTestId('prediction-reasons');
    expect([...reasons.querySelectorAll('li')].map((li) => li.getAttribute('data-kind'))).toEqual(['chain', 'name']);
    expect(reasons.textContent).toContain('Fix: Get a certificate naming it.');
    cleanup();
    const nullMx = { code: 'MX_NULL', severity: 'info' as const, area: 'mx' as const, subject: 'evil.test', message: 'null MX', explanation: 'x', fix: 'y', evidence: [] };
    render(<CheckReportView report={checkReport({ mx: [], findings: [nullMx] })} />);
    expect(screen.getByTestId('mx-table').textContent).toBe('Accepts no mail (null MX).');
  });

  it('never says a bare "trusted" for a chain trusted through the user\'s CA file only', () => {
    const probe = hostileProbe();
    render(<ProbeView probe={{ ...probe, certificateVerdict: { ...probe.certificateVerdict!, summary: 'trusted', chain: 'trusted', trustAnchorSource: 'extra', trustAnchor: 'CN=Lab CA' } }} />);
    expect(screen.getByTestId('cert-verdict').textContent).toMatch(/^Certificate: trusted by your CA file only \(not by Exchange Online\)/);
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
    expect(build?.input).toMatchObject({ profile: EXAMPLE_PROFILE, importIds: [], observations: [] });
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
    const { container } = renderApp({ ...baseHandlers(), 'profiles:last': () => ok({ profile: cloud }), 'plan:build': () => ok(builtPlan(examplePlan({ flows: [] }))) });
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
    const domains = screen.getByTestId('accepted-domains') as HTMLTextAreaElement;
    fireEvent.change(domains, { target: { value: 'contoso.com, not a domain' } });
    await screen.findByText(/"not a domain" has spaces; a domain cannot/);
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

  it('never turns "mail fabrikam com" into three hosts: each bad entry says why next to its field, and nothing is saved', async () => {
    const saved: unknown[] = [];
    const { container } = renderApp({ ...baseHandlers(), 'profiles:save': (input) => (saved.push(input.profile), ok({ saved: true })) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-plan'));
    fireEvent.click(screen.getByTestId('step-servers'));
    const hosts = screen.getByTestId('server-0-hosts') as HTMLTextAreaElement;
    fireEvent.change(hosts, { target: { value: 'mail fabrikam com\nmail.contoso.com' } });
    const ips = screen.getByTestId('server-0-ips') as HTMLTextAreaElement;
    fireEvent.change(ips, { target: { value: '192.168.1.10, 10.1.2.3' } });
    const hostErrors = document.getElementById(hosts.getAttribute('aria-describedby')!.split(' ').find((id) => id.endsWith('-error'))!)!;
    expect(hostErrors.textContent).toMatch(/"mail fabrikam com" has spaces; a host name cannot/);
    const ipErrors = document.getElementById(ips.getAttribute('aria-describedby')!.split(' ').find((id) => id.endsWith('-error'))!)!;
    expect(within(ipErrors).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringMatching(/"192.168.1.10" is a private address .*Office 365 sees the public address/),
      expect.stringMatching(/"10.1.2.3" is a private address/),
    ]);
    fireEvent.click(screen.getByTestId('step-devices'));
    fireEvent.change(screen.getByTestId('device-0-ip'), { target: { value: '999.1.1.1' } });
    await screen.findByText(/"999.1.1.1" is not an IPv4 address/);
    fireEvent.click(screen.getByTestId('step-review'));
    expect(screen.getByTestId('review-errors').textContent).toContain('Server 1, public host names: "mail fabrikam com" has spaces');
    fireEvent.click(screen.getByTestId('save-and-plan'));
    await screen.findByTestId('save-error');
    expect(saved).toEqual([]);
  });

  it('"Start empty" empties the form, not the main screen, until the profile is saved', async () => {
    const { container } = renderApp(baseHandlers());
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    const before = screen.getByTestId('flow-summary').textContent;
    fireEvent.click(screen.getByTestId('nav-plan'));
    fireEvent.click(screen.getByTestId('start-empty'));
    expect((screen.getByTestId('profile-name') as HTMLInputElement).value).toBe('');
    fireEvent.click(screen.getByTestId('nav-overview'));
    expect(screen.getByTestId('flow-summary').textContent).toBe(before);
    expect(document.getElementById('intro-title')!.textContent).toMatch(/article’s example/);
  });

  it('says a connector export with problems is not used, and names the file once per problem', async () => {
    const { container } = renderApp({
      ...baseHandlers(),
      'connectors:import': (input) =>
        ok(
          input.file.fileName === 'bad.json'
            ? { fileName: 'bad.json', connectors: [], problems: [{ where: 'bad.json', message: 'bad.json: not valid JSON (Unterminated string); export with ConvertTo-Json -Depth 5.' }] }
            : { importId: 'import-good', fileName: input.file.fileName, connectors: [{ name: 'ContosoBank inbound', direction: 'inbound', enabled: true, details: [] }], problems: [] },
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
      'plan:build': (input) => ok(builtPlan(examplePlan({ existingImported: (input.importIds ?? []).length > 0 }))),
      'connectors:import': (input) => ok({ importId: 'import-1', fileName: input.file.fileName, connectors: [{ name: 'ContosoBank inbound', direction: 'inbound' as const, enabled: true, details: [] }], problems: [] }),
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

  it('saves the plan by the id main gave it, with the diagram as drawn for HTML, never sending the plan back', async () => {
    const fake = renderApp({
      ...baseHandlers(),
      'plan:build': () => ok(builtPlan(examplePlan(), 'plan-42')),
      'report:export': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'That plan is no longer open in the app; build the plan again, then save it.', where: 'subject.planId' } }),
    });
    await waitFor(() => expect(fake.container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('export-ps1'));
    await waitFor(() => expect(fake.calls.filter((c) => c.channel === 'report:export')).toHaveLength(1));
    expect(fake.calls.find((c) => c.channel === 'report:export')!.input).toEqual({ format: 'ps1', subject: { kind: 'plan', planId: 'plan-42' } });
    await screen.findByText(/Export failed: That plan is no longer open/);
    fireEvent.click(screen.getByTestId('export-html'));
    await waitFor(() => expect(fake.calls.filter((c) => c.channel === 'report:export')).toHaveLength(2));
    const html = fake.calls.filter((c) => c.channel === 'report:export').at(-1)!.input as { subject: { kind: string; planId: string; plan?: unknown; diagram?: { nodes: unknown[] } } };
    expect(html.subject).toMatchObject({ kind: 'plan', planId: 'plan-42' });
    expect(html.subject.plan).toBeUndefined();
    expect(html.subject.diagram?.nodes.length).toBeGreaterThan(0);
  });

  it('sends imported files by id, and when main no longer has them builds the plan without them and asks to choose them again', async () => {
    let mainHasImports = true;
    const fake = renderApp({
      ...baseHandlers(),
      'plan:build': (input) =>
        (input.importIds ?? []).length > 0 && !mainHasImports
          ? { ok: false, error: { code: 'NOT_FOUND', message: 'An imported connector file is no longer open in the app; choose the file again.', where: 'importIds.0' } }
          : ok(builtPlan(examplePlan({ existingImported: (input.importIds ?? []).length > 0 }))),
      'connectors:import': (input) => ok({ importId: `id-${input.file.fileName.replace('.json', '')}`, fileName: input.file.fileName, connectors: [], problems: [] }),
    });
    await waitFor(() => expect(fake.container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.change(screen.getByTestId('import-connectors-input'), { target: { files: [new File(['[]'], 'inbound.json', { type: 'application/json' })] } });
    await waitFor(() => expect(screen.getByTestId('imported-files').textContent).toContain('inbound.json'));
    const plans = () => fake.calls.filter((c) => c.channel === 'plan:build').map((c) => (c.input as { importIds: string[] }).importIds);
    expect(plans().at(-1)).toEqual(['id-inbound']);
    expect(JSON.stringify(fake.calls.filter((c) => c.channel === 'plan:build'))).not.toContain('"text"');

    // Main restarted (or dropped the file): the next build is refused, then made without the imports.
    mainHasImports = false;
    const before = plans().length;
    fireEvent.change(screen.getByTestId('import-connectors-input'), { target: { files: [new File(['[]'], 'outbound.json', { type: 'application/json' })] } });
    await waitFor(() => expect(plans().length).toBe(before + 2));
    expect(plans().slice(-2)).toEqual([['id-inbound', 'id-outbound'], []]);
    await screen.findByText(/choose the file again\. The plan is shown without the imported connectors\./);
    expect(screen.queryByTestId('imported-files')).toBeNull();
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
        return ok(builtPlan(examplePlan({ flows: input.observations?.length ? examplePlan().flows : examplePlan().flows.map((f) => ({ ...f, status: f.status === 'tls-failing' ? 'connector-missing' : f.status })) })));
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

  it('keyboard and selection: nodes are not tab stops, a skip link leads to the flows, Escape closes the details, labels in reading order', async () => {
    const { container } = renderApp(baseHandlers());
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    await waitFor(() => expect(container.querySelectorAll('.flow-label').length).toBeGreaterThan(0));
    expect(container.querySelectorAll('.react-flow__node[tabindex], .react-flow__edge[tabindex]')).toHaveLength(0);
    const skip = screen.getByTestId('skip-to-flows');
    expect(skip.getAttribute('href')).toBe('#flow-list');
    expect(document.getElementById('flow-list')).toBe(screen.getByTestId('flow-list'));
    const ys = [...container.querySelectorAll('.flow-label')].map((l) => Math.round(Number(l.getAttribute('data-label-y')) / 34));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    fireEvent.click(within(screen.getByTestId('flow-row-john-bob')).getByRole('button'));
    expect(screen.getByTestId('flow-details').textContent).toContain('John → Bob');
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.getByTestId('flow-details').textContent).toContain('Select an arrow');
  });

  it('shows the TLS results remembered with the profile after a reload, with their age, and sends them to the plan', async () => {
    const at = new Date(Date.now() - 3 * 60 * 60 * 1000 - 60_000).toISOString();
    const { container, calls } = renderApp({ ...baseHandlers(), 'observations:list': (input) => ok(input.profileName === EXAMPLE_PROFILE.name ? [{ target: 'partner:ContosoBank', ok: false, message: 'mx.contosobank.com does not offer STARTTLS.', at }] : []) });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    const plan = calls.filter((c) => c.channel === 'plan:build').at(-1)!.input as { observations: object[] };
    // The plan gets the observation as the planner takes it (no time stamp).
    expect(plan.observations).toEqual([{ target: 'partner:ContosoBank', ok: false, message: 'mx.contosobank.com does not offer STARTTLS.' }]);
    fireEvent.click(within(screen.getByTestId('flow-row-bob-partner-contosobank')).getByRole('button'));
    expect(screen.getByTestId('flow-tls-checks').textContent).toMatch(/TLS fails, checked 3 hours ago: mx.contosobank.com does not offer STARTTLS\./);
  });

  it('cancel keeps what finished: the stages done stay, the running one says "cancelled", marked partial', async () => {
    let emit: ((step: string, status: 'started' | 'done') => void) | undefined;
    const handlers: Handlers = {
      ...baseHandlers(),
      'check:run': (input) =>
        new Promise((resolve) => {
          emit = (step, status) => fake.emit('job:progress', { jobId: input.jobId, step, status, atMs: 5 });
          handlers['job:cancel'] = () => (resolve({ ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } }), ok({ cancelled: true }));
        }),
    };
    const fake = renderApp(handlers);
    await waitFor(() => expect(fake.container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-diagnose'));
    fireEvent.change(screen.getByTestId('diagnose-target'), { target: { value: 'contoso.com' } });
    fireEvent.click(screen.getByTestId('diagnose-run'));
    await waitFor(() => expect(emit).toBeDefined());
    act(() => {
      emit!('dns:MX contoso.com', 'started');
      emit!('dns:MX contoso.com', 'done');
      emit!('dns:TXT contoso.com', 'started');
    });
    await screen.findByText(/DNS TXT contoso.com: running \(.* so far\)/);
    fireEvent.click(screen.getByTestId('diagnose-cancel'));
    await screen.findByTestId('diagnose-cancelled');
    const stages = within(screen.getByTestId('progress')).getAllByRole('listitem').map((li) => li.textContent);
    expect(stages).toEqual([expect.stringMatching(/DNS MX contoso.com: done/), expect.stringMatching(/DNS TXT contoso.com: cancelled/)]);
    expect(screen.getByTestId('progress').textContent).toContain('cancelled: partial');
    expect(screen.queryByTestId('diagnose-error')).toBeNull();
  });

  it('diagnoses every domain, server, partner and device: rows in words that open their full result, and counts that agree with the rows', async () => {
    const profile = { ...EXAMPLE_PROFILE, devices: [{ ...EXAMPLE_PROFILE.devices[0]!, staticPublicIp: '203.0.113.7' }] };
    const targets: string[] = [];
    const { container } = renderApp({
      ...baseHandlers(),
      'profiles:last': () => ok({ profile }),
      'check:run': (input) => {
        targets.push(input.domain);
        if (input.domain === 'contosobank.com') return ok(checkReport({ domain: input.domain, domainUnicode: input.domain, findings: [{ code: 'DOMAIN_NOT_FOUND', severity: 'fail', area: 'dns', subject: input.domain, message: 'No such domain.', explanation: '', fix: '', evidence: [] }], mx: [] }));
        return ok(checkReport({ domain: input.domain, domainUnicode: input.domain }));
      },
      'probe:run': (input) => (targets.push(input.host), ok(hostileProbe({ host: input.host }))),
      'dns:query': (input) => (targets.push(input.name), ok({ name: input.name, type: 'PTR' as const, outcome: 'nxdomain' as const, records: [], cnameChain: [], authenticated: false, server: '127.0.0.1:5300', elapsedMs: 3 })),
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-diagnose'));
    fireEvent.click(screen.getByTestId('diagnose-all'));
    await screen.findByTestId('diagnose-note');
    const rows = screen.getAllByTestId('batch-row');
    // Every accepted domain, every server host, every partner domain and smart host, every device with an address.
    for (const d of profile.acceptedDomains) expect(targets).toContain(d);
    expect(targets).toContain('7.113.0.203.in-addr.arpa');
    expect(rows).toHaveLength(targets.length);
    const words = rows.map((r) => r.textContent ?? '');
    expect(words.find((w) => w.includes('contosobank.com'))).toMatch(/No such domain/);
    expect(words.join(' ')).not.toMatch(/nxdomain/);
    expect(words.find((w) => w.includes('203.0.113.7'))).toMatch(/has no reverse DNS name/);
    const fine = rows.filter((r) => r.getAttribute('data-ok') === 'true').length;
    const failing = rows.filter((r) => r.getAttribute('data-ok') === 'false').length;
    expect(screen.getByTestId('batch-summary').textContent).toBe(`${rows.length} checked: ${fine} fine, ${failing} failing, ${rows.length - fine - failing} not checked.`);
    fireEvent.click(within(rows[0]!).getByTestId('batch-open'));
    expect(within(screen.getByTestId('diagnose-result')).getByTestId('check-report').textContent).toContain(profile.acceptedDomains[0]!);
  });

  it('reopening a run from History puts its TLS result back on the diagram and remembers it', async () => {
    const saved: unknown[] = [];
    const report = checkReport({ domain: 'contosobank.com', domainUnicode: 'contosobank.com' });
    const entry = { id: 'r1', kind: 'check' as const, target: 'contosobank.com', at: '2026-11-27T08:00:00.000Z', worstSeverity: 'fail' as const };
    const { container, calls } = renderApp({
      ...baseHandlers(),
      'observations:save': (input) => (saved.push(...input.observations), ok({ saved: true })),
      'history:list': () => ok([entry]),
      'history:get': () => ok({ kind: 'check' as const, entry, report }),
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-history'));
    fireEvent.click(within((await screen.findAllByTestId('history-row'))[0]!).getByRole('button', { name: /^Domain / }));
    await screen.findByTestId('history-applied');
    expect(saved).toEqual([expect.objectContaining({ target: 'partner:ContosoBank', ok: false, at: entry.at })]);
    const plan = calls.filter((c) => c.channel === 'plan:build').at(-1)!.input as { observations: { target: string }[] };
    expect(plan.observations.map((o) => o.target)).toEqual(['partner:ContosoBank']);
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

  it('shows every settings problem next to its field at once, in words, and main’s refusal on its field without sending you to Settings', async () => {
    let stored = { dnsServers: [] as string[], timeoutSeconds: 10, caFiles: [] as string[], dkimSelectors: [] as string[], publicCaFiles: [] as string[] };
    const { container } = renderApp({
      ...baseHandlers(),
      'settings:get': () => ok(stored),
      'settings:set': (input) => {
        if (input.settings.caFiles.includes('/missing.pem')) return { ok: false, error: { code: 'INPUT', message: 'The CA file "/missing.pem" was not found.', where: 'settings.caFiles.0' } };
        stored = { ...stored, ...input.settings };
        return ok(stored);
      },
    });
    await waitFor(() => expect(container.querySelector('[data-app-state="loaded"]')).not.toBeNull());
    fireEvent.click(screen.getByTestId('nav-settings'));
    const dns = await screen.findByTestId('settings-dns');
    const errorOf = (field: HTMLElement) => document.getElementById(field.getAttribute('aria-describedby')!.split(' ').find((id) => id.endsWith('-error')) ?? '')?.textContent ?? '';
    fireEvent.change(dns, { target: { value: Array.from({ length: 9 }, (_, i) => `192.0.2.${i + 1}`).join('\n') } });
    fireEvent.change(screen.getByTestId('settings-timeout'), { target: { value: '99' } });
    fireEvent.change(screen.getByTestId('settings-dkim'), { target: { value: 'sel ector, _bad' } });
    // All at once, each next to its field.
    expect(errorOf(dns)).toContain('At most 8 DNS servers.');
    expect(errorOf(screen.getByTestId('settings-timeout'))).toContain('A whole number of seconds from 1 to 60.');
    expect(errorOf(screen.getByTestId('settings-dkim'))).toMatch(/"sel ector" has a space.*"_bad" is not a selector name/);
    expect(container.textContent).not.toMatch(/Too big|Too small|expected/);
    fireEvent.click(screen.getByTestId('settings-save'));
    expect(stored.timeoutSeconds).toBe(10);
    fireEvent.change(dns, { target: { value: '127.0.0.1:5300' } });
    fireEvent.change(screen.getByTestId('settings-timeout'), { target: { value: '5' } });
    fireEvent.change(screen.getByTestId('settings-dkim'), { target: { value: 's2048' } });
    fireEvent.change(screen.getByTestId('settings-ca'), { target: { value: '/missing.pem' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(errorOf(screen.getByTestId('settings-ca'))).toContain('The CA file "/missing.pem" was not found.'));
    expect(container.querySelector('.settings')!.textContent).not.toMatch(/in Settings|Settings ›/);
    fireEvent.change(screen.getByTestId('settings-ca'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('settings-status').textContent).toContain('Saved'));
    expect(stored).toMatchObject({ dnsServers: ['127.0.0.1:5300'], timeoutSeconds: 5, dkimSelectors: ['s2048'] });
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
    const field = (await screen.findByTestId('settings-dkim')) as HTMLTextAreaElement;
    expect(field.value).toBe('old1');
    expect(screen.getByLabelText('Extra DKIM selectors (optional)')).toBe(field);
    // A full DNS name is the usual slip: said as typed, and nothing is sent.
    fireEvent.change(field, { target: { value: 's2048, s1._domainkey.contoso.com' } });
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const message = screen.getByRole('alert').textContent;
    expect(message).toContain('"s1._domainkey.contoso.com" has a dot');
    expect(field.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id);
    fireEvent.click(screen.getByTestId('settings-save'));
    expect(screen.getByTestId('settings-status').textContent).toMatch(/need fixing/);
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

describe('finding text', () => {
  it('shows backticked parts as code, as text nodes only', () => {
    const f = { code: 'DKIM_NOT_FOUND', severity: 'info' as const, area: 'dkim' as const, subject: 'contoso.com', message: 'Name them with `--dkim-selector <img src=x>`.', explanation: 'See `selector1`.', fix: 'Run `mailflow-doctor check contoso.com`.', evidence: [] };
    const { container } = render(<FindingsByArea findings={[f]} />);
    expect([...container.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['--dkim-selector <img src=x>', 'selector1', 'mailflow-doctor check contoso.com']);
    expect(container.textContent).not.toContain('`');
    expectNoInjectedElements(container);
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
