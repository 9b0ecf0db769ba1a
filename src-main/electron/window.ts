import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import type { WindowState } from '../store/schema';

export const DEFAULT_WINDOW = { width: 1280, height: 820 } as const;

/**
 * The one window's options. The security settings are fixed here and never
 * relaxed (not for tests, not for development): a script-injection bug must
 * not become code execution (checklist #2-#4, #12).
 */
export function windowOptions(preloadPath: string, state: WindowState | undefined, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    width: state?.width ?? DEFAULT_WINDOW.width,
    height: state?.height ?? DEFAULT_WINDOW.height,
    ...(state?.x !== undefined && state?.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Mailflow Doctor',
    backgroundColor: '#1f2328',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * Keeps a remembered position only if it is still on a screen (a monitor may
 * have been unplugged since); otherwise the window opens centred.
 */
export function fitToDisplays(state: WindowState | undefined, displays: readonly Rectangle[]): WindowState | undefined {
  if (!state) return undefined;
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const visible = displays.some((d) => x + 100 > d.x && y + 50 > d.y && x < d.x + d.width - 100 && y < d.y + d.height - 50);
  if (visible) return state;
  return { width: state.width, height: state.height, maximized: state.maximized };
}
