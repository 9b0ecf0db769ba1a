/**
 * The Electron shell with a stand-in `electron` module (the real one cannot
 * run here, and importing it from Node would try to download it). main.ts is
 * booted for real against the stand-in: what it registers, the window it
 * opens, the guards it installs. The preload is loaded the same way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../src-main/contract/api';
import type { ApiResult, Channel } from '../../src-main/contract/api';
import { EVENT_CHANNELS, EVENT_IPC_CHANNEL, REQUEST_CHANNELS } from '../../src-main/contract/channels';
import { createCa } from '../support/pki';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
  }
  class FakeContents extends Emitter {
    static nextId = 100;
    readonly id = FakeContents.nextId++;
    readonly sent: unknown[][] = [];
    openHandler: ((details: unknown) => unknown) | undefined;
    setWindowOpenHandler(handler: (details: unknown) => unknown) {
      this.openHandler = handler;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    reload() {}
    toggleDevTools() {}
  }
  const windows: FakeWindow[] = [];
  class FakeWindow extends Emitter {
    readonly webContents = new FakeContents();
    loaded: string | undefined;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    isDestroyed() {
      return false;
    }
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    isFocused() {
      return true;
    }
    maximize() {}
    show() {}
    restore() {}
    focus() {}
    getNormalBounds() {
      return { x: 40, y: 30, width: 1111, height: 777 };
    }
    loadFile(path: string) {
      this.loaded = path;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }
  const handlers = new Map<string, Listener>();
  const paths = new Map<string, string>();
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    setPath: (name: string, value: string) => void paths.set(name, value),
    getPath: (name: string) => paths.get(name) ?? '/nonexistent',
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    quit: () => undefined,
  });
  const sessionState: { permission?: Listener; check?: Listener; headers?: Listener } = {};
  const defaultSession = {
    setPermissionRequestHandler: (handler: Listener) => void (sessionState.permission = handler),
    setPermissionCheckHandler: (handler: Listener) => void (sessionState.check = handler),
    setDevicePermissionHandler: () => undefined,
    webRequest: { onHeadersReceived: (handler: Listener) => void (sessionState.headers = handler) },
  };
  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, Listener>();
  const menus: unknown[] = [];
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const rendererListeners = new Map<string, Listener[]>();
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, listener: Listener) => void handlers.set(channel, listener), removeHandler: (channel: string) => void handlers.delete(channel), on: () => undefined },
    session: { defaultSession },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    Menu: { buildFromTemplate: (template: unknown) => (menus.push(template), template), setApplicationMenu: () => undefined },
    dialog: { showMessageBox: () => Promise.resolve({ response: 0 }), showOpenDialog: () => Promise.resolve({ canceled: false, filePaths: [chosenCaFile.path] }) },
    protocol: { registerSchemesAsPrivileged: (list: unknown[]) => void schemes.push(...list), handle: (scheme: string, handler: Listener) => void protocolHandlers.set(scheme, handler) },
    shell: { openExternal: () => Promise.resolve() },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve({ ok: true, value: 'from main' })),
      on: (channel: string, listener: Listener) => void rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener]),
      removeListener: (channel: string, listener: Listener) => void rendererListeners.set(channel, (rendererListeners.get(channel) ?? []).filter((l) => l !== listener)),
    },
  };
  const chosenCaFile = { path: '' };
  return { electron, windows, handlers, paths, sessionState, menus, exposed, invoked, rendererListeners, FakeContents, app, schemes, protocolHandlers, chosenCaFile };
});

vi.mock('electron', () => ({ default: fake.electron, ...fake.electron }));
/** electron-store would import the real electron from node_modules; this stand-in writes the same file with conf. */
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor(options: { cwd: string; name?: string; accessPropertiesByDotNotation?: boolean }) {
        super({ projectName: 'mailflow-doctor', cwd: options.cwd, configName: options.name ?? 'config', accessPropertiesByDotNotation: options.accessPropertiesByDotNotation ?? true });
      }
    },
  };
});
vi.mock('../../assets/icon.png?asset', () => ({ default: '/app/icon.png' }));

const storeDir = mkdtempSync(join(tmpdir(), 'mailflow-shell-'));
const rendererDir = join(__dirname, '../../src-main/renderer');
const ourPage = 'app://mailflow/index.html';

type Invoke = (event: unknown, input: unknown) => Promise<ApiResult<unknown>>;
const invoke = (channel: string): Invoke => fake.handlers.get(channel) as Invoke;

beforeAll(async () => {
  process.env.MAILFLOW_DOCTOR_STORE_DIR = storeDir;
  await import('../../src-main/electron/main');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});
afterAll(() => {
  delete process.env.MAILFLOW_DOCTOR_STORE_DIR;
  rmSync(storeDir, { recursive: true, force: true });
});

describe('main process', () => {
  it('opens one window with the security settings fixed: isolation, sandbox, no Node, no webview', () => {
    const win = fake.windows[0]!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false });
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(win.loaded).toBe('app://mailflow/index.html');
    expect(fake.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(fake.protocolHandlers.has('app')).toBe(true);
    expect(fake.paths.get('userData')).toBe(storeDir);
  });

  it('registers exactly one IPC handler per contract channel', () => {
    expect([...fake.handlers.keys()].sort()).toEqual([...channels].sort());
    expect([...channels].sort()).toEqual([...REQUEST_CHANNELS].sort());
  });

  it('answers the app window\'s top frame', async () => {
    const win = fake.windows[0]!;
    const result = await invoke('app:info')({ sender: { id: win.webContents.id }, senderFrame: { url: ourPage, parent: null } }, {});
    expect(result).toMatchObject({ ok: true, value: { mode: 'electron', name: 'Mailflow Doctor', storePath: join(storeDir, 'config.json') } });
  });

  it.each(channels)('%s refuses foreign senders: another WebContents, a subframe, a page that is not ours, no frame', async (channel) => {
    const ours = fake.windows[0]!.webContents.id;
    const foreign = [
      { sender: { id: 9999 }, senderFrame: { url: ourPage, parent: null } },
      { sender: { id: ours }, senderFrame: { url: ourPage, parent: { url: ourPage } } },
      { sender: { id: ours }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: ours }, senderFrame: { url: `file://${rendererDir}/index.html`, parent: null } },
      { sender: { id: ours }, senderFrame: { url: 'app://evil/index.html', parent: null } },
      { sender: { id: ours }, senderFrame: null },
    ];
    for (const event of foreign) {
      const result = await invoke(channel)(event, {});
      expect(result).toEqual({ ok: false, error: { code: 'AUTH', message: expect.stringMatching(/did not come from the app window/) } });
    }
  });

  it.each(channels)('%s parses its input with the contract schema (a string is refused as INPUT)', async (channel) => {
    const event = { sender: { id: fake.windows[0]!.webContents.id }, senderFrame: { url: ourPage, parent: null } };
    const result = await invoke(channel as Channel)(event, 'rm -rf /');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INPUT');
  });

  it('refuses hosts, ports and timeouts outside the limits', async () => {
    const event = { sender: { id: fake.windows[0]!.webContents.id }, senderFrame: { url: ourPage, parent: null } };
    const refused = [
      ['probe:run', { jobId: 'a', host: '10.0.0.1', port: 22 }, 'port'],
      ['probe:run', { jobId: 'a', host: 'a'.repeat(64) + '.example', port: 25 }, 'host'],
      ['probe:run', { jobId: 'a', host: 'mx.example.com; rm -rf', port: 25 }, 'host'],
      ['check:run', { jobId: 'a', domain: 'x'.repeat(254), probe: false }, 'domain'],
      ['settings:set', { settings: { dnsServers: ['8.8.8.8'], timeoutSeconds: 0, caFiles: [] } }, 'settings.timeoutSeconds'],
      ['settings:set', { settings: { dnsServers: Array(9).fill('8.8.8.8'), timeoutSeconds: 5, caFiles: [] } }, 'settings.dnsServers'],
      ['settings:set', { settings: { dnsServers: [], doh: 'http://dns.example/dns-query', timeoutSeconds: 5, caFiles: [] } }, 'settings.doh'],
    ] as const;
    for (const [channel, input, where] of refused) {
      const result = await invoke(channel)(event, input);
      expect(result, `${channel} ${JSON.stringify(input).slice(0, 80)}`).toMatchObject({ ok: false, error: { code: 'INPUT', where } });
    }
  });

  it('denies navigation away, new windows, webviews and every permission request', () => {
    const contents = new fake.FakeContents();
    fake.app.emit('web-contents-created', {}, contents);
    const navigate = (name: string, url: string) => {
      const event = { prevented: false, preventDefault() { this.prevented = true; } };
      contents.emit(name, event, url);
      return event.prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', ourPage)).toBe(false);
    expect(navigate('will-navigate', `file://${rendererDir}/index.html`)).toBe(true);
    expect(navigate('will-attach-webview', 'about:blank')).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });

    const answers: boolean[] = [];
    fake.sessionState.permission?.({}, 'media', (granted: boolean) => answers.push(granted));
    fake.sessionState.permission?.({}, 'notifications', (granted: boolean) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    expect(fake.sessionState.check?.({}, 'clipboard-read')).toBe(false);
  });

  it('sends the strict CSP as a response header', () => {
    let headers: Record<string, string[]> = {};
    fake.sessionState.headers?.({ responseHeaders: { 'X-Other': ['1'] } }, (response: { responseHeaders: Record<string, string[]> }) => (headers = response.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([expect.stringMatching(/^default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'/)]);
    expect(headers['X-Other']).toEqual(['1']);
  });

  it('adds a CA file chosen in the system dialog (main), and refuses a path typed by the renderer', async () => {
    const event = { sender: { id: fake.windows[0]!.webContents.id }, senderFrame: { url: ourPage, parent: null } };
    const pem = join(storeDir, 'company-ca.pem');
    writeFileSync(pem, createCa({ commonName: 'Dialog CA' }).certPem);
    fake.chosenCaFile.path = pem;
    const added = await invoke('settings:addCaFile')(event, {});
    expect(added).toMatchObject({ ok: true, value: { added: true, settings: { caFiles: [pem] } } });
    const typed = await invoke('settings:set')(event, { settings: { dnsServers: [], timeoutSeconds: 5, caFiles: [pem, join(storeDir, 'other.pem')] } });
    expect(typed).toMatchObject({ ok: false, error: { code: 'INPUT', where: 'settings.caFiles.1', message: expect.stringMatching(/Add CA file/) } });
    expect(await invoke('settings:set')(event, { settings: { dnsServers: [], timeoutSeconds: 5, caFiles: [] } })).toMatchObject({ ok: true });
  });

  it('builds a menu with Help and About, and remembers the window\'s size and place in the store', () => {
    const template = fake.menus[0] as { label?: string; role?: string; submenu?: { label?: string }[] }[];
    const help = template.find((item) => item.role === 'help');
    expect(help?.submenu?.map((item) => item.label)).toContain('About Mailflow Doctor');
    fake.windows[0]!.emit('close');
    const saved = JSON.parse(readFileSync(join(storeDir, 'config.json'), 'utf8'));
    expect(saved.window).toEqual({ x: 40, y: 30, width: 1111, height: 777, maximized: false });
  });
});

describe('preload', () => {
  beforeAll(async () => {
    await import('../../src-main/preload/index');
  });

  it('exposes window.mailflow with one method per channel plus onEvent, and nothing else', () => {
    const api = fake.exposed.mailflow as Record<string, unknown>;
    expect(Object.keys(fake.exposed)).toEqual(['mailflow']);
    expect(Object.keys(api).sort()).toEqual([...REQUEST_CHANNELS, 'onEvent'].sort());
    for (const key of Object.keys(api)) expect(typeof api[key]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('sendSync');
  });

  it('each method invokes its own channel with the one input object', async () => {
    const api = fake.exposed.mailflow as Record<string, (input: unknown) => Promise<unknown>>;
    const reply = await api['check:run']!({ jobId: 'j', domain: 'contoso.com', probe: false });
    expect(reply).toEqual({ ok: true, value: 'from main' });
    expect(fake.invoked.at(-1)).toEqual(['check:run', { jobId: 'j', domain: 'contoso.com', probe: false }]);
  });

  it('delivers events by name with the payload only (no event object), and unsubscribes', () => {
    const api = fake.exposed.mailflow as { onEvent: (channel: string, listener: (...args: unknown[]) => void) => () => void };
    const got: unknown[][] = [];
    const off = api.onEvent('job:progress', (...args) => got.push(args));
    const [listener] = fake.rendererListeners.get(EVENT_IPC_CHANNEL) ?? [];
    const ipcEvent = { sender: 'secret ipcRenderer' };
    listener?.(ipcEvent, 'job:progress', { jobId: 'j', step: 'dns:MX', status: 'started', atMs: 1 });
    listener?.(ipcEvent, 'app:notice', { level: 'info', message: 'not for this listener' });
    expect(got).toEqual([[{ jobId: 'j', step: 'dns:MX', status: 'started', atMs: 1 }]]);
    off();
    listener?.(ipcEvent, 'job:progress', { jobId: 'j', step: 'x', status: 'done', atMs: 2 });
    expect(got).toHaveLength(1);
    expect(() => api.onEvent('ipc:anything', () => undefined)).toThrow(TypeError);
    expect(EVENT_CHANNELS).toContain('app:notice');
  });

  it('main forwards events to the window on the one event channel', async () => {
    const win = fake.windows[0]!;
    const event = { sender: { id: win.webContents.id }, senderFrame: { url: ourPage, parent: null } };
    await invoke('settings:set')(event, { settings: { dnsServers: ['127.0.0.1:1'], timeoutSeconds: 1, caFiles: [] } });
    const result = await invoke('check:run')(event, { jobId: 'fwd', domain: 'example.test', probe: false });
    expect(result.ok).toBe(true);
    expect(win.webContents.sent.some(([channel, name, payload]) => channel === EVENT_IPC_CHANNEL && name === 'job:progress' && (payload as { jobId: string }).jobId === 'fwd')).toBe(true);
  });
});
