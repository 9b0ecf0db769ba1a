import './support/setup-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MessageAnalysisSchema, type MessageAnalysis } from '../../src-main/contract/message';
import { ApiProvider } from '../../src-renderer/api/ApiContext';
import { App } from '../../src-renderer/App';
import { appReducer, initialState } from '../../src-renderer/state/app-state';
import { EXAMPLE_PROFILE } from '../../src-renderer/features/plan/example-profile';
import { toBase64 } from '../../src-renderer/features/message/message-file';
import anonymousJson from '../fixtures/message/anonymous.analysis.json';
import ndrJson from '../fixtures/message/ndr-4.4.317.analysis.json';
import hostileJson from '../fixtures/message/hostile.analysis.json';
import { builtPlan, hostileProbe } from './support/fixtures';
import { fakeClient, ok, type Handlers } from './support/fake-client';

/**
 * The Message screen: paste or drop, hops with delays and TLS, authentication
 * and attribution in words, the path on the diagram, the NDR's "Probe now"
 * opening Diagnose, the diagram's drop target, and untrusted text as text.
 * The analyses are the engine's real output (test/fixtures/message/*.analysis.json).
 */
afterEach(cleanup);

const anonymous = MessageAnalysisSchema.parse(anonymousJson);
const ndr4417 = MessageAnalysisSchema.parse(ndrJson);
const hostile = MessageAnalysisSchema.parse(hostileJson);

function renderApp(analysis: MessageAnalysis, extra: Handlers = {}) {
  const fake = fakeClient({
    'profiles:last': () => ok({ profile: null }),
    'app:notices': () => ok([]),
    'plan:build': () => ok(builtPlan()),
    'profiles:list': () => ok([]),
    'message:analyze': () => ok(analysis),
    ...extra,
  });
  const view = render(
    <ApiProvider client={fake.client}>
      <App />
    </ApiProvider>,
  );
  return { ...fake, ...view };
}

async function openMessageScreen(): Promise<void> {
  await screen.findByTestId('flow-diagram');
  fireEvent.click(screen.getByTestId('nav-message'));
  await screen.findByTestId('message-view');
}

describe('Message screen', () => {
  it('analyses pasted headers: hops with delays and TLS, attribution, the flag and the path on the diagram', async () => {
    const { calls } = renderApp(anonymous);
    await openMessageScreen();
    expect(screen.getByTestId('message-empty')).toBeTruthy();
    fireEvent.click(screen.getByTestId('message-analyze'));
    expect((await screen.findByTestId('message-error')).textContent).toContain('Paste message headers');
    fireEvent.change(screen.getByTestId('message-text'), { target: { value: 'Received: from a by b; Tue, 1 Dec 2026 10:00:00 +0000' } });
    fireEvent.click(screen.getByTestId('message-analyze'));
    await screen.findByTestId('message-result');
    const call = calls.find((c) => c.channel === 'message:analyze');
    expect(call?.input).toMatchObject({ message: { text: 'Received: from a by b; Tue, 1 Dec 2026 10:00:00 +0000' }, profile: { name: EXAMPLE_PROFILE.name } });

    const entry = screen.getByTestId('message-hop-2');
    expect(entry.getAttribute('data-tls')).toBe('tls');
    expect(entry.textContent).toContain('mail.contoso.com [203.0.113.25]');
    expect(entry.textContent).toContain('TLS 1.2 (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)');
    expect(entry.textContent).toContain('+3 s');
    expect(screen.getByTestId('message-hops').textContent).toContain('Inside Microsoft 365’s datacentres');
    expect(screen.getByTestId('message-attribution').getAttribute('data-kind')).toBe('anonymous');
    expect(screen.getByTestId('message-auth').textContent).toContain('self-to-self');
    const flag = screen.getByTestId('message-flags').querySelector('[data-code="ARRIVED_ANONYMOUSLY"]')!;
    expect(flag.getAttribute('data-severity')).toBe('fail');
    expect(flag.textContent).toContain('From EX2013 to Office 365');

    const path = screen.getByTestId('message-path');
    expect([path.getAttribute('data-from'), path.getAttribute('data-to')]).toEqual(['john', 'bob']);
    expect([...path.querySelectorAll('.message-steps li')].map((li) => li.getAttribute('data-actor'))).toEqual(['john', 'own-server', 'office365', 'bob']);
    expect(within(path).getByTestId('message-connector-used').textContent).toContain('anonymously');
    // The small diagram draws only this message's arrow, selected.
    const diagram = within(screen.getByTestId('message-diagram'));
    const edge = await diagram.findByTestId('flow-edge-john-bob');
    expect(edge.getAttribute('aria-pressed')).toBe('true');
    expect(diagram.queryByTestId('flow-edge-bob-john')).toBeNull();

    // Back on the main diagram, the message's arrow is the one picked.
    fireEvent.click(screen.getByTestId('nav-overview'));
    const overview = await screen.findByTestId('overview');
    expect(within(overview).getByTestId('flow-edge-john-bob').getAttribute('aria-pressed')).toBe('true');
    expect(within(overview).getByTestId('flow-details').textContent).toContain('John');
    fireEvent.click(screen.getByTestId('nav-message'));
    fireEvent.click(await screen.findByTestId('message-show-diagram'));
    expect((await screen.findByTestId('overview')).querySelector('[data-testid="flow-edge-john-bob"]')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('explains an NDR and "Probe <host> now" opens Diagnose for that host and runs it', async () => {
    const { calls } = renderApp(ndr4417, { 'probe:run': () => ok(hostileProbe({ host: 'mx1.contosobank.com' })) });
    await openMessageScreen();
    fireEvent.change(screen.getByTestId('message-text'), { target: { value: 'Remote Server returned ...' } });
    fireEvent.click(screen.getByTestId('message-analyze'));
    const ndr = await screen.findByTestId('message-ndr');
    expect(ndr.textContent).toContain('4.4.317');
    expect(ndr.textContent).toContain('TLS required but not offered');
    expect(ndr.textContent).toContain('Outbound connector TlsSettings / TlsDomain');
    const probe = within(ndr).getByTestId('message-probe');
    expect(probe.textContent).toBe('Probe mx1.contosobank.com now');
    fireEvent.click(probe);
    await screen.findByTestId('diagnose');
    expect((screen.getByTestId('diagnose-target') as HTMLInputElement).value).toBe('mx1.contosobank.com');
    expect((screen.getByTestId('kind-host') as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect(calls.some((c) => c.channel === 'probe:run' && (c.input as { host: string }).host === 'mx1.contosobank.com')).toBe(true));
  });

  it('a file dropped on the diagram opens the Message screen and is sent as base64 with its name', async () => {
    const { calls } = renderApp(anonymous);
    const target = await screen.findByTestId('diagram-drop-target');
    const file = new File(['Received: from a by b; Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n'], 'trace.eml', { type: 'message/rfc822' });
    fireEvent.dragOver(target, { dataTransfer: { types: ['Files'], files: [file] } });
    fireEvent.drop(target, { dataTransfer: { types: ['Files'], files: [file] } });
    await screen.findByTestId('message-result');
    const call = calls.find((c) => c.channel === 'message:analyze');
    expect(call?.input).toMatchObject({ message: { fileName: 'trace.eml', base64: toBase64(new TextEncoder().encode('Received: from a by b; Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n')) } });
  });

  it('refuses a file over 10 MB before sending it, and shows a back-end error in words', async () => {
    const { calls } = renderApp(anonymous, { 'message:analyze': () => ({ ok: false, error: { code: 'INPUT', message: 'x.bin is binary data, not a message', where: 'input' } }) });
    await openMessageScreen();
    const big = new File(['x'], 'huge.eml');
    Object.defineProperty(big, 'size', { value: 20 * 1024 * 1024 });
    fireEvent.drop(screen.getByTestId('message-drop'), { dataTransfer: { types: ['Files'], files: [big] } });
    expect((await screen.findByTestId('message-error')).textContent).toContain('huge.eml is 20.0 MB; at most 10 MB is read');
    expect(calls.some((c) => c.channel === 'message:analyze')).toBe(false);
    fireEvent.change(screen.getByTestId('message-text'), { target: { value: '\u0000\u0001' } });
    fireEvent.click(screen.getByTestId('message-analyze'));
    await waitFor(() => expect(screen.getByTestId('message-error').textContent).toContain('binary data, not a message'));
  });

  it('shows header text as text: no element is made from it', async () => {
    const { container } = renderApp(hostile);
    await openMessageScreen();
    fireEvent.change(screen.getByTestId('message-text'), { target: { value: 'x' } });
    fireEvent.click(screen.getByTestId('message-analyze'));
    await screen.findByTestId('message-result');
    expect(container.querySelector('img, script, b, iframe')).toBeNull();
    expect(screen.getByTestId('message-summary').textContent).toContain('<img src=x onerror=alert(1)>');
    expect(screen.getByTestId('message-hop-1').textContent).toContain('<b>evil</b>.example');
  });
});

describe('message state', () => {
  it('a drop opens the Message screen; the analysis clears the dropped file; a probe request opens Diagnose and is cleared', () => {
    let state = initialState(EXAMPLE_PROFILE);
    state = appReducer(state, { type: 'message-dropped', file: { fileName: 'a.eml', base64: 'QQ==' } });
    expect(state.view).toBe('message');
    state = appReducer(state, { type: 'message-analysed', analysis: anonymous });
    expect(state.droppedMessage).toBeUndefined();
    expect(state.messageAnalysis?.path?.from).toBe('john');
    state = appReducer(state, { type: 'diagnose-requested', request: { kind: 'host', target: 'mx1.contosobank.com' } });
    expect(state).toMatchObject({ view: 'diagnose', diagnoseRequest: { kind: 'host', target: 'mx1.contosobank.com' } });
    state = appReducer(state, { type: 'diagnose-requested', request: undefined });
    expect(state.diagnoseRequest).toBeUndefined();
    expect(state.view).toBe('diagnose');
  });
});
