/**
 * The Electron main process: one hardened window, the contract's handlers on
 * IPC, the store in main only. Everything here is wiring; the logic lives in
 * environment-neutral modules (handlers/, store/, engine/, planner/).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, screen, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { EVENT_IPC_CHANNEL } from '../contract/channels';
import type { EventChannel, EventOf } from '../contract/api';
import { systemClock } from '../engine/clock';
import { createHandlers } from '../handlers/create-handlers';
import { createDefaultEngine } from '../handlers/default-deps';
import { defaultStoreDir } from '../store/default-dir';
import type { MailflowStore } from '../store/store';
import { APP_ORIGIN, registerAppScheme, serveApp } from './app-protocol';
import { openElectronStore } from './electron-store-backend';
import { registerIpc } from './ipc';
import { showSystemNotice } from './notifications';
import { aboutText, HELP_LINKS, menuTemplate } from './menu';
import { denyPermissions, enforceCsp, hardenApp } from './security';
import { fitToDisplays, windowOptions } from './window';
import iconPath from '../../assets/icon.png?asset';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererDir = join(here, '../renderer');
const appRoot = { appOrigin: APP_ORIGIN, ...(devServerUrl ? { devOrigin: new URL(devServerUrl).origin } : {}) };

// Before ready, as Electron requires: the pages come from app://mailflow/, never file://.
registerAppScheme(protocol);

// The same folder the CLI and browser mode use, in development and packaged builds alike.
app.setPath('userData', defaultStoreDir());

const windows = new Set<BrowserWindow>();
const trusted = { has: (id: number) => [...windows].some((win) => !win.isDestroyed() && win.webContents.id === id) };

function emit<E extends EventChannel>(channel: E, payload: EventOf<E>): void {
  for (const win of windows) if (!win.isDestroyed()) win.webContents.send(EVENT_IPC_CHANNEL, channel, payload);
  if (channel === 'app:notice') {
    const appFocused = [...windows].some((win) => !win.isDestroyed() && win.isFocused());
    showSystemNotice(payload as EventOf<'app:notice'>, { Notification, appFocused });
  }
}

function createWindow(store: MailflowStore): BrowserWindow {
  const remembered = fitToDisplays(store.getWindowState(), screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow(windowOptions(join(here, '../preload/index.cjs'), remembered, iconPath));
  windows.add(win);
  if (remembered?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let saveTimer: NodeJS.Timeout | undefined;
  const saveBounds = (): void => {
    if (win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    try {
      store.setWindowState({ x: bounds.x, y: bounds.y, width: Math.max(400, bounds.width), height: Math.max(300, bounds.height), maximized: win.isMaximized() });
    } catch {
      // Remembering the window's place is a nicety; never fail on it.
    }
  };
  const scheduleSave = (): void => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveBounds, 500);
  };
  win.on('resize', scheduleSave);
  win.on('move', scheduleSave);
  win.on('close', () => {
    clearTimeout(saveTimer);
    saveBounds();
  });
  win.on('closed', () => windows.delete(win));

  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** The system's file dialog for a CA certificate: the renderer never names a path (settings:addCaFile). */
async function chooseCaFile(): Promise<string | undefined> {
  const options = {
    title: 'Add a CA certificate',
    properties: ['openFile' as const],
    filters: [{ name: 'CA certificates (PEM)', extensions: ['pem', 'crt', 'cer'] }, { name: 'All files', extensions: ['*'] }],
  };
  const win = [...windows][0];
  const result = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
  return result.canceled ? undefined : result.filePaths[0];
}

function showAbout(store: MailflowStore): void {
  const win = [...windows][0];
  const options = {
    type: 'info' as const,
    title: 'About Mailflow Doctor',
    message: 'Mailflow Doctor',
    detail: aboutText(app.getVersion(), store.path, process.versions),
    buttons: ['OK'],
  };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  hardenApp(app, appRoot);
  app.on('second-instance', () => {
    const win = [...windows][0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  void app.whenReady().then(() => {
    denyPermissions(session.defaultSession);
    enforceCsp(session.defaultSession);
    serveApp(protocol, rendererDir);
    const store = openElectronStore(app.getPath('userData'));
    const handlers = createHandlers({
      mode: 'electron',
      appName: 'Mailflow Doctor',
      version: app.getVersion(),
      store,
      engine: createDefaultEngine(),
      emit,
      clock: systemClock,
      chooseCaFile: () => chooseCaFile(),
    });
    registerIpc(ipcMain, handlers, trusted, appRoot);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(process.platform, {
          about: () => showAbout(store),
          openHelp: (topic) => void shell.openExternal(HELP_LINKS[topic]),
          reload: () => [...windows][0]?.webContents.reload(),
          ...(app.isPackaged ? {} : { toggleDevTools: () => [...windows][0]?.webContents.toggleDevTools() }),
        }),
      ),
    );
    createWindow(store);
    app.on('activate', () => {
      if (windows.size === 0) createWindow(store);
    });
    app.on('before-quit', () => handlers.jobs.cancelAll());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
