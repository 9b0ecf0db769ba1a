/**
 * ONE contract suite, run against both transports the renderer can have:
 * the IPC handler table (registered by the shell's ipc.ts on a stand-in
 * ipcMain) and the HTTP bridge over real loopback HTTP. Both use the real
 * engine against real peers on loopback: A's DNS fixture server and an
 * smtp-server with STARTTLS and a certificate made here.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, HTTP_TOKEN_HEADER, LIMITS, requests } from '../../src-main/contract/api';
import type { ApiResult, Channel, EventChannel } from '../../src-main/contract/api';
import { ProfileSchema } from '../../src-main/contract/planner';
import type { Profile } from '../../src-main/contract/planner';
import { startBridge } from '../../src-main/bridge/server';
import type { RunningBridge } from '../../src-main/bridge/server';
import { registerIpc } from '../../src-main/electron/ipc';
import { createHandlers } from '../../src-main/handlers/create-handlers';
import { createDefaultEngine } from '../../src-main/handlers/default-deps';
import type { EngineOverrides } from '../../src-main/handlers/default-deps';
import { systemClock } from '../../src-main/engine/clock';
import { openConfStore } from '../../src-main/store/conf-store';
import { startDnsServer } from '../support/dns-server';
import type { RunningDnsServer } from '../support/dns-server';
import { createCa, fullChain, issueCert } from '../support/pki';
import { startSmtpFixture } from '../support/smtp-servers';
import { rawRequest, type RawRequest } from '../support/raw-http';
import type { RunningServer } from '../support/smtp-servers';

interface Transport {
  readonly events: { channel: EventChannel; payload: unknown }[];
  call(channel: Channel, input: unknown): Promise<ApiResult<unknown>>;
  close(): Promise<void>;
}

const profile: Profile = ProfileSchema.parse(JSON.parse(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8')));
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mailflow-contract-'));
  dirs.push(dir);
  return dir;
};

let dns: RunningDnsServer;
let smtp: RunningServer;
let overrides: EngineOverrides;
let caFile: string;

beforeAll(async () => {
  const root = createCa({ commonName: 'Contract Root CA' });
  const issuing = createCa({ commonName: 'Contract Issuing CA', parent: root });
  const leaf = issueCert(issuing, { commonName: 'mx.contract.test' });
  caFile = join(tempDir(), 'root.pem');
  writeFileSync(caFile, root.certPem);
  smtp = await startSmtpFixture({ name: 'mx.contract.test', key: leaf.keyPem, cert: fullChain(leaf, issuing.certPem) });
  dns = await startDnsServer({
    zone: {
      'contract.test': [{ type: 'MX', preference: 10, exchange: 'mx.contract.test' }, { type: 'TXT', strings: ['v=spf1 mx -all'] }],
      'mx.contract.test': [{ type: 'A', address: smtp.host }],
      'lab2026._domainkey.contract.test': [{ type: 'TXT', strings: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5Yv'] }],
      'noanswer.test': [{ type: 'MX', preference: 10, exchange: 'mx.noanswer.test' }],
    },
    silent: ['noanswer.test'],
  });
  overrides = { smtpPort: smtp.port, caFiles: [caFile] };
});

afterAll(async () => {
  await Promise.all([dns?.close(), smtp?.close()]);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The IPC path: handlers registered by the shell's registerIpc on a stand-in ipcMain, called as our window's top frame. */
function ipcTransport(): Transport {
  const events: Transport['events'] = [];
  const registered = new Map<string, (event: unknown, input: unknown) => Promise<ApiResult<unknown>>>();
  const handlers = createHandlers({
    mode: 'electron',
    appName: 'Mailflow Doctor',
    version: '0.1.0',
    store: openConfStore({ dir: tempDir() }),
    engine: createDefaultEngine(overrides),
    emit: (channel, payload) => events.push({ channel, payload }),
    clock: systemClock,
    // The desktop app's file dialog, as main.ts wires it: here the user picks the lab CA.
    chooseCaFile: async () => caFile,
  });
  const ipcMain = {
    handle: (channel: string, listener: (event: unknown, input: unknown) => Promise<ApiResult<unknown>>) => void registered.set(channel, listener),
    removeHandler: (channel: string) => void registered.delete(channel),
  };
  registerIpc(ipcMain as never, handlers, { has: (id) => id === 7 }, { appOrigin: 'app://mailflow' });
  const ourFrame = { sender: { id: 7 }, senderFrame: { url: 'app://mailflow/index.html', parent: null } };
  return {
    events,
    call: async (channel, input) => {
      const listener = registered.get(channel);
      if (!listener) throw new Error(`channel ${channel} not registered`);
      // Through structured clone, as Electron's IPC would.
      return structuredClone(await listener(ourFrame, structuredClone(input)));
    },
    close: async () => handlers.jobs.cancelAll(),
  };
}

/** The HTTP path: the bridge on 127.0.0.1, called with fetch and the launch token; events over SSE. */
async function httpTransport(): Promise<Transport & { bridge: RunningBridge }> {
  const bridge = await startBridge({ storeDir: tempDir(), engineOverrides: overrides, rendererDir: tempDir() });
  const events: Transport['events'] = [];
  const sse = new AbortController();
  const stream = await fetch(`${bridge.origin}/api/events`, { headers: { [HTTP_TOKEN_HEADER]: bridge.token }, signal: sse.signal });
  void (async () => {
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (name && data) events.push({ channel: name as EventChannel, payload: JSON.parse(data) });
        }
      }
    } catch {
      // aborted at close
    }
  })();
  return {
    bridge,
    events,
    call: async (channel, input) => {
      const response = await fetch(`${bridge.origin}/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [HTTP_TOKEN_HEADER]: bridge.token },
        body: JSON.stringify(input),
      });
      return (await response.json()) as ApiResult<unknown>;
    },
    close: async () => {
      sse.abort();
      await bridge.close();
    },
  };
}

/** An input each channel must refuse, with the field it must name. */
const INVALID: Readonly<Record<Channel, readonly [unknown, string]>> = {
  'app:info': ['not an object', ''],
  'app:notices': [42, ''],
  'settings:addCaFile': [42, ''],
  'check:run': [{ jobId: 'j1', domain: 'contoso.com/../etc', probe: true }, 'domain'],
  'probe:run': [{ jobId: 'j1', host: 'mx.contoso.com', port: 22 }, 'port'],
  'dns:query': [{ name: 'contoso.com', type: 'ANY' }, 'type'],
  'job:cancel': [{ jobId: '../../x' }, 'jobId'],
  'plan:build': [{ profile, importIds: Array.from({ length: LIMITS.importFiles + 1 }, (_, i) => `import-${i}`) }, 'importIds'],
  'connectors:import': [{ file: { fileName: 'big.json', text: 'x'.repeat(LIMITS.importFileBytes + 1) } }, 'file.text'],
  'profiles:list': ['everything', ''],
  'profiles:save': [{ profile: { ...profile, name: '' } }, 'profile.name'],
  'profiles:delete': [{ name: 'x'.repeat(LIMITS.profileNameLength + 1) }, 'name'],
  'profiles:last': ['x', ''],
  'profiles:select': [{}, 'name'],
  'settings:get': [[], ''],
  'settings:set': [{ settings: { dnsServers: [], timeoutSeconds: 3600, caFiles: [] } }, 'settings.timeoutSeconds'],
  'history:list': [7, ''],
  'history:get': [{ id: 'a/b' }, 'id'],
  'history:delete': [{ id: '' }, 'id'],
  'report:export': [{ format: 'pdf', subject: { kind: 'plan', planId: 'plan-1' } }, 'format'],
  'message:analyze': [{ message: { text: 'Subject: x', base64: 'eA==' } }, 'message.text'],
  'observations:list': [{ profileName: '' }, 'profileName'],
  'observations:save': [{ profileName: 'Contoso', observations: [{ target: 'own-server', ok: true, message: 'fine' }] }, 'observations.0.at'],
  'partners:import': [{ source: 'text', text: 'x'.repeat(8 * 1024 * 1024 + 1) }, 'text'],
  'partners:list': ['x', ''],
  'partners:get': [{ domain: '' }, 'domain'],
  'partners:run': [{ jobId: 'j1', scope: 'some' }, 'scope'],
  'partners:remove': [{ domains: 'bank.example' }, 'domains'],
  'partners:export': [{ format: 'xlsx' }, 'format'],
};

describe.each([
  ['IPC handler table', async () => ipcTransport()],
  ['HTTP bridge', httpTransport],
] as const)('contract over %s', (name, make) => {
  let api: Transport;
  beforeAll(async () => {
    api = await make();
    const set = await api.call('settings:set', { settings: { dnsServers: [dns.address], timeoutSeconds: 5, caFiles: [] } });
    expect(set.ok).toBe(true);
  });
  afterAll(async () => api?.close());

  it('answers app:info with its mode, matching the output schema', async () => {
    const result = await api.call('app:info', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const info = requests['app:info'].output.parse(result.value);
    expect(info.mode).toBe(name === 'HTTP bridge' ? 'browser' : 'electron');
    expect(info.name).toBe('Mailflow Doctor');
  });

  it.each(channels)('refuses invalid input on %s as an INPUT error value naming the field', async (channel) => {
    const [input, where] = INVALID[channel];
    const result = await api.call(channel, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INPUT');
    if (where) expect(result.error.where).toBe(where);
    expect(result.error.message.length).toBeGreaterThan(5);
  });

  it('remembers TLS observations with a profile, latest per target, with the time they were made', async () => {
    const at = '2026-12-01T10:00:00.000Z';
    expect(await api.call('observations:list', { profileName: 'Remembered' })).toEqual({ ok: true, value: [] });
    await api.call('observations:save', { profileName: 'Remembered', observations: [{ target: 'partner:ContosoBank', ok: false, message: 'no STARTTLS', at }, { target: 'own-server', ok: true, message: 'fine', at }] });
    await api.call('observations:save', { profileName: 'Remembered', observations: [{ target: 'partner:ContosoBank', ok: true, message: 'works now', at: '2026-12-01T11:00:00.000Z' }] });
    const listed = await api.call('observations:list', { profileName: 'Remembered' });
    expect(listed.ok && listed.value).toEqual([
      { target: 'own-server', ok: true, message: 'fine', at },
      { target: 'partner:ContosoBank', ok: true, message: 'works now', at: '2026-12-01T11:00:00.000Z' },
    ]);
    expect(await api.call('observations:list', { profileName: 'Another' })).toEqual({ ok: true, value: [] });
  });

  it('CA files: one answer for a missing file and a file without a certificate (no file oracle), network and device paths refused, the saved settings unchanged', async () => {
    const notPem = join(tempDir(), 'notes.txt');
    writeFileSync(notPem, 'not a certificate');
    const settings = (caFiles: string[]) => ({ settings: { dnsServers: [dns.address], timeoutSeconds: 5, caFiles } });
    const answers: string[] = [];
    for (const caFiles of [['/nonexistent/lab-root.pem'], [notPem], [tempDir()]]) {
      const result = await api.call('settings:set', settings(caFiles));
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toMatchObject({ code: 'INPUT', where: 'settings.caFiles.0' });
      answers.push(result.error.message.replace(caFiles[0]!, '<path>'));
    }
    // The same words whether the file exists or not: a page that reaches the API learns nothing about the disk.
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(name === 'HTTP bridge' ? /cannot be used: it must be a readable PEM certificate file/ : /Choose CA files with the "Add CA file" button/);
    for (const unc of ['\\\\fileserver\\share\\ca.pem', '//fileserver/share/ca.pem', '\\\\.\\PhysicalDrive0', '/dev/zero', 'C:\\certs\\NUL.pem', 'relative/ca.pem']) {
      const result = await api.call('settings:set', settings([unc]));
      expect(result, unc).toMatchObject({ ok: false, error: { code: 'INPUT', where: 'settings.caFiles.0' } });
    }
    const now = await api.call('settings:get', {});
    expect(now.ok && (now.value as { caFiles: string[] }).caFiles).toEqual([]);
    if (name === 'HTTP bridge') {
      expect((await api.call('settings:set', settings([caFile]))).ok).toBe(true);
      expect(await api.call('settings:addCaFile', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    } else {
      // The desktop app: the file comes from the dialog in main; removing it again is a plain settings:set.
      expect(await api.call('settings:addCaFile', {})).toMatchObject({ ok: true, value: { added: true, settings: { caFiles: [caFile] } } });
      expect(await api.call('settings:addCaFile', {})).toMatchObject({ ok: true, value: { added: false } });
    }
    expect((await api.call('settings:set', settings([]))).ok).toBe(true);
  });

  it('runs a real check against the loopback DNS and SMTP peers, streams progress, and keeps it in the history', async () => {
    const before = api.events.length;
    const result = await api.call('check:run', { jobId: 'check-1', domain: 'contract.test', probe: true });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    const report = requests['check:run'].output.parse(result.value);
    expect(report.domain).toBe('contract.test');
    expect(report.resolver).toContain(String(dns.port));
    expect(report.mx.map((m) => m.host)).toEqual(['mx.contract.test']);
    const probe = report.mx[0]?.probes[0];
    expect(probe?.port).toBe(smtp.port);
    expect(probe?.stages.map((s) => `${s.name}:${s.status}`)).toContain('starttls:ok');
    expect(probe?.certificateVerdict?.chain).toBe('trusted');

    await expect.poll(() => api.events.length).toBeGreaterThan(before);
    const progress = api.events.slice(before).filter((e) => e.channel === 'job:progress').map((e) => e.payload as { jobId: string; step: string });
    expect(progress.every((p) => p.jobId === 'check-1')).toBe(true);
    expect(progress.some((p) => p.step.includes('MX'))).toBe(true);

    const history = await api.call('history:list', {});
    expect(history.ok).toBe(true);
    if (!history.ok) return;
    const entries = requests['history:list'].output.parse(history.value);
    expect(entries[0]).toMatchObject({ kind: 'check', target: 'contract.test' });
    const reopened = await api.call('history:get', { id: entries[0]!.id });
    expect(reopened.ok && (reopened.value as { report: { domain: string } }).report.domain).toBe('contract.test');

    const exported = await api.call('report:export', { format: 'html', subject: { kind: 'check', report } });
    expect(exported.ok).toBe(true);
    if (exported.ok) expect((exported.value as { text: string }).text).toContain('mx.contract.test');
  });

  it('looks up the DKIM selectors saved in the settings, and only those, at <selector>._domainkey.<domain>', async () => {
    const selectorName = 'lab2026._domainkey.contract.test';
    const queried = (from: number) => dns.log.slice(from).some((line) => line.split(' ')[1]?.toLowerCase() === selectorName);
    // Without the setting, nothing asks for it (so the query below is the setting's doing).
    let from = dns.log.length;
    const plain = await api.call('check:run', { jobId: 'dkim-0', domain: 'contract.test', probe: false });
    expect(plain.ok).toBe(true);
    expect(queried(from)).toBe(false);

    const saved = await api.call('settings:set', { settings: { dnsServers: [dns.address], timeoutSeconds: 5, caFiles: [], dkimSelectors: ['lab2026'] } });
    expect(saved.ok && (saved.value as { dkimSelectors: string[] }).dkimSelectors).toEqual(['lab2026']);
    try {
      from = dns.log.length;
      const result = await api.call('check:run', { jobId: 'dkim-1', domain: 'contract.test', probe: false });
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      expect(queried(from)).toBe(true);
      const report = requests['check:run'].output.parse(result.value);
      expect(report.findings.find((f) => f.code === 'DKIM_SELECTOR_OK')?.message).toContain('lab2026');
    } finally {
      expect((await api.call('settings:set', { settings: { dnsServers: [dns.address], timeoutSeconds: 5, caFiles: [] } })).ok).toBe(true);
    }
  });

  it('refuses a DKIM selector that is not one DNS label, and more than the cap, naming the entry', async () => {
    const base = { dnsServers: [dns.address], timeoutSeconds: 5, caFiles: [] };
    for (const [dkimSelectors, where] of [
      [['s1', 'evil.example.com'], 'settings.dkimSelectors.1'],
      [['has space'], 'settings.dkimSelectors.0'],
      [['x'.repeat(64)], 'settings.dkimSelectors.0'],
      [Array.from({ length: LIMITS.dkimSelectors + 1 }, (_, i) => `s${i}`), 'settings.dkimSelectors'],
    ] as const) {
      const result = await api.call('settings:set', { settings: { ...base, dkimSelectors } });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ code: 'INPUT', where });
    }
    const now = await api.call('settings:get', {});
    expect(now.ok && (now.value as { dkimSelectors: string[] }).dkimSelectors).toEqual([]);
  });

  it('probes one host on an allowed port (the launcher maps 25 to the fixture) and answers DNS queries', async () => {
    const probed = await api.call('probe:run', { jobId: 'probe-1', host: 'mx.contract.test', port: 25 });
    if (!probed.ok) throw new Error(`${probed.error.code}: ${probed.error.message}`);
    const report = requests['probe:run'].output.parse(probed.value);
    expect(report.address).toBe(smtp.host);
    expect(report.tls).not.toBeNull();

    const answer = await api.call('dns:query', { name: 'contract.test', type: 'MX' });
    expect(answer.ok).toBe(true);
    if (answer.ok) expect(requests['dns:query'].output.parse(answer.value).outcome).toBe('answer');
  });

  it('cancels a running job at once: the check answers CANCELLED', async () => {
    const running = api.call('check:run', { jobId: 'slow-1', domain: 'noanswer.test', probe: false });
    await expect.poll(() => api.events.some((e) => (e.payload as { jobId?: string }).jobId === 'slow-1')).toBe(true);
    const started = Date.now();
    const cancel = await api.call('job:cancel', { jobId: 'slow-1' });
    expect(cancel).toEqual({ ok: true, value: { cancelled: true } });
    const result = await running;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.ok ? 'ok' : result.error.code).toBe('CANCELLED');
    expect(await api.call('job:cancel', { jobId: 'slow-1' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('saves, lists, selects and deletes profiles; the last one comes back', async () => {
    expect(await api.call('profiles:last', {})).toEqual({ ok: true, value: { profile: null } });
    expect((await api.call('profiles:save', { profile })).ok).toBe(true);
    expect((await api.call('profiles:save', { profile: { ...profile, name: 'Second' } })).ok).toBe(true);
    const last = await api.call('profiles:last', {});
    expect(last.ok && (last.value as { profile: Profile }).profile.name).toBe('Second');
    expect(await api.call('profiles:select', { name: profile.name })).toEqual({ ok: true, value: { selected: true } });
    const missing = await api.call('profiles:select', { name: 'Nobody' });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('NOT_FOUND');
    const listed = await api.call('profiles:list', {});
    expect(listed.ok && (listed.value as Profile[]).map((p) => p.name).sort()).toEqual([profile.name, 'Second'].sort());
    expect(await api.call('profiles:delete', { name: 'Second' })).toEqual({ ok: true, value: { deleted: true } });
  });

  it('builds a plan with the real planner from an import named by id, previews an import with its problems as values, and exports the plan by id', async () => {
    const broken = await api.call('connectors:import', { file: { fileName: 'inbound.json', text: '{ not json' } });
    if (!broken.ok) throw new Error(broken.error.message);
    const brokenPreview = requests['connectors:import'].output.parse(broken.value);
    expect(brokenPreview.connectors).toEqual([]);
    expect(brokenPreview.problems[0]?.message).toMatch(/inbound\.json/);
    // A file with problems is not kept: there is nothing a plan could use.
    expect(brokenPreview.importId).toBeUndefined();

    const good = await api.call('connectors:import', {
      file: { fileName: 'outbound.json', text: JSON.stringify([{ Name: 'To partner', Enabled: true, ConnectorType: 'Partner', RecipientDomains: ['fabrikam.com'], UseMXRecord: true, TlsSettings: 'DomainValidation', TlsDomain: 'mail.fabrikam.com' }]) },
    });
    if (!good.ok) throw new Error(good.error.message);
    const preview = requests['connectors:import'].output.parse(good.value);
    expect(preview.connectors[0]).toMatchObject({ name: 'To partner', direction: 'outbound' });
    expect(preview.importId).toEqual(expect.any(String));

    const built = await api.call('plan:build', { profile, importIds: [preview.importId], observations: [{ target: 'own-server', ok: false, code: 'TLS_CERT_EXPIRED', message: 'expired' }] });
    if (!built.ok) throw new Error(built.error.message);
    const { planId, plan } = requests['plan:build'].output.parse(built.value);
    expect(plan.profileName).toBe(profile.name);
    expect(plan.connectors.length).toBeGreaterThan(0);
    // The imported file was compared: the plan says so, and names the existing connector it found.
    expect(plan.existingImported).toBe(true);
    const without = await api.call('plan:build', { profile, observations: [] });
    expect(without.ok && requests['plan:build'].output.parse(without.value).plan.existingImported).toBe(false);

    // Exported by id: main saves the plan it built, the same JSON the build answered, and its PowerShell.
    const json = await api.call('report:export', { format: 'json', subject: { kind: 'plan', planId } });
    if (!json.ok) throw new Error(json.error.message);
    expect(JSON.parse((json.value as { text: string }).text)).toEqual(plan);
    const ps1 = await api.call('report:export', { format: 'ps1', subject: { kind: 'plan', planId } });
    expect(ps1.ok && (ps1.value as { text: string }).text).toContain(plan.connectors[0]!.name);
    const diagram = { nodes: [{ x: 0, y: 0, width: 100, height: 40, title: 'Drawn <box>', subtitle: 'by the app' }], edges: [] };
    const html = await api.call('report:export', { format: 'html', subject: { kind: 'plan', planId, diagram } });
    expect(html.ok && (html.value as { text: string }).text).toContain('Drawn &lt;box&gt;');
  });

  it('refuses a plan or an import id it does not have (never made, or dropped), naming the field', async () => {
    const plan = await api.call('plan:build', { profile, importIds: ['no-such-import'], observations: [] });
    expect(plan.ok ? 'ok' : plan.error).toMatchObject({ code: 'NOT_FOUND', where: 'importIds.0', message: expect.stringMatching(/choose the file again/) });
    const exported = await api.call('report:export', { format: 'md', subject: { kind: 'plan', planId: 'no-such-plan' } });
    expect(exported.ok ? 'ok' : exported.error).toMatchObject({ code: 'NOT_FOUND', where: 'subject.planId' });
    // A plan can no longer be sent back as JSON for export.
    const sentBack = await api.call('report:export', { format: 'ps1', subject: { kind: 'plan', plan: {} } });
    expect(sentBack.ok ? 'ok' : sentBack.error.code).toBe('INPUT');
  });

  it('analyses a dropped .eml against a saved profile, and says so when the profile or the message is wrong', async () => {
    const eml = readFileSync(new URL('../fixtures/message/onprem-via-connector.eml', import.meta.url));
    expect((await api.call('profiles:save', { profile })).ok).toBe(true);
    const result = await api.call('message:analyze', { message: { base64: eml.toString('base64'), fileName: 'onprem-via-connector.eml' }, profileName: profile.name });
    if (!result.ok) throw new Error(result.error.message);
    const analysis = requests['message:analyze'].output.parse(result.value);
    expect(analysis.hops).toHaveLength(5);
    expect(analysis.path).toMatchObject({ from: 'john', to: 'bob' });
    const missing = await api.call('message:analyze', { message: { text: 'Subject: x' }, profileName: 'Nobody' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', where: 'profileName' } });
    const binary = await api.call('message:analyze', { message: { base64: Buffer.from([0, 1, 2, 3, 0, 0]).toString('base64'), fileName: 'x.bin' } });
    expect(binary).toMatchObject({ ok: false, error: { code: 'INPUT', message: expect.stringContaining('binary data') } });
  });
});

describe('HTTP bridge guards', () => {
  let bridge: RunningBridge;
  let rendererDir: string;
  beforeAll(async () => {
    rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mailflow Doctor</title>');
    writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
    // Links that lead out of the renderer folder (a file and a folder).
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.js'), 'SECRET-OUTSIDE');
    symlinkSync(join(outside, 'secret.js'), join(rendererDir, 'leak.js'));
    symlinkSync(outside, join(rendererDir, 'assets'));
    mkdirSync(join(rendererDir, 'inner'));
    writeFileSync(join(rendererDir, 'inner', 'ok.css'), 'body{}');
    bridge = await startBridge({ storeDir: tempDir(), rendererDir, engineOverrides: overrides });
  });
  afterAll(async () => bridge?.close());

  const raw = (path: string, options: RawRequest = {}) => rawRequest(bridge.port, path, options);
  const json = { 'Content-Type': 'application/json' };

  it('listens on 127.0.0.1 only, at a random port, with a fresh random token', async () => {
    expect(bridge.origin).toBe(`http://127.0.0.1:${bridge.port}`);
    expect(bridge.newLaunchUrl()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/launch\\?code=[A-Za-z0-9_-]{32}$`));
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await startBridge({ storeDir: tempDir(), rendererDir });
    try {
      expect(other.port).not.toBe(bridge.port);
      expect(other.token).not.toBe(bridge.token);
    } finally {
      await other.close();
    }
  });

  it('refuses API calls without the token or with a wrong one (401), and events without it', async () => {
    const none = await raw('/api/app:info', { method: 'POST', headers: json, body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    const wrong = await raw('/api/app:info', { method: 'POST', headers: { ...json, [HTTP_TOKEN_HEADER]: `${bridge.token.slice(0, -1)}x` }, body: '{}' });
    expect(wrong.status).toBe(401);
    expect((await raw('/api/events?token=nope')).status).toBe(401);
    expect((await raw(`/api/events?token=${bridge.token}`)).status).toBe(401);
    const ok = await raw('/api/app:info', { method: 'POST', headers: { ...json, [HTTP_TOKEN_HEADER]: bridge.token }, body: '{}' });
    expect(ok.status).toBe(200);
  });

  it('refuses requests whose Host header is not this server (DNS rebinding), even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${bridge.port}`, `127.0.0.1:${bridge.port + 1}`, `localhost.evil.example:${bridge.port}`]) {
      const api = await raw('/api/app:info', { method: 'POST', headers: { ...json, Host: host, [HTTP_TOKEN_HEADER]: bridge.token }, body: '{}' });
      expect(api.status, host).toBe(403);
      expect(JSON.parse(api.body).error.code).toBe('HOST');
      expect((await raw('/', { headers: { Host: host } })).status).toBe(403);
    }
    expect((await raw('/', { headers: { Host: `localhost:${bridge.port}` } })).status).toBe(200);
  });

  it('refuses a body over the cap with 413, without reading it all', async () => {
    const big = Buffer.alloc(LIMITS.requestBytes + 1024, 0x20);
    const declared = await raw('/api/plan:build', { method: 'POST', headers: { ...json, [HTTP_TOKEN_HEADER]: bridge.token }, body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe('TOO_LARGE');
  });

  it('refuses a chunked body (no Content-Length) once it passes the cap, while it streams', async () => {
    const total = LIMITS.requestBytes * 4;
    // Either the 413 arrives, or the server closes the connection first (the client then sees a reset
    // while still writing); both must happen long before the client has sent everything.
    const answer = await new Promise<{ status?: number; body?: string; reset?: boolean; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest(
        { host: '127.0.0.1', port: bridge.port, path: '/api/plan:build', method: 'POST', agent: false, headers: { ...json, [HTTP_TOKEN_HEADER]: bridge.token, 'Transfer-Encoding': 'chunked' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sent }));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve({ reset: true, sent }) : reject(error)));
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = (): void => {
        while (sent < total && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
    if (answer.reset) expect(answer.sent).toBeLessThan(total);
    else {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body ?? '').error.code).toBe('TOO_LARGE');
    }
  });

  it('answers unknown channels, other methods, other content types and broken JSON with error values', async () => {
    const auth = { [HTTP_TOKEN_HEADER]: bridge.token };
    expect((await raw('/api/shell:exec', { method: 'POST', headers: { ...json, ...auth }, body: '{}' })).status).toBe(404);
    const malformed = await raw('/api/app%E0%A4%A', { method: 'POST', headers: { ...json, ...auth }, body: '{}' });
    expect(malformed.status).toBe(404);
    expect(JSON.parse(malformed.body).error.code).toBe('NO_CHANNEL');
    expect((await raw('/api/app:info', { method: 'GET', headers: auth })).status).toBe(405);
    expect((await raw('/api/app:info', { method: 'POST', headers: { 'Content-Type': 'text/plain', ...auth }, body: '{}' })).status).toBe(415);
    const broken = await raw('/api/app:info', { method: 'POST', headers: { ...json, ...auth }, body: '{"a":' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error.code).toBe('BAD_JSON');
  });

  it('serves the renderer with its CSP and MIME types, and nothing outside its folder', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await raw('/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw('/diagnose')).body).toContain('<title>Mailflow Doctor</title>');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%2e%2e%5cpackage.json', '/a/%00.js']) {
      const res = await raw(path);
      expect(res.status, path).not.toBe(200);
      expect(res.body).not.toContain('"name": "mailflow-doctor"');
    }
    expect((await raw('/inner/ok.css')).status).toBe(200);
    for (const path of ['/leak.js', '/assets/secret.js']) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('SECRET-OUTSIDE');
    }
  });
});
