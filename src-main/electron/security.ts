import { RENDERER_CSP } from '../contract/api';
import type { App, IpcMainInvokeEvent, Session, WebContents } from 'electron';

/**
 * Window hardening shared by every window (Electron security checklist
 * #5, #13, #14, #17): no navigation away from the app, no new windows, no
 * permission grants, and IPC only from our own top frame.
 */

/** The CSP of the renderer, also sent as a response header for our own pages. */
export { RENDERER_CSP };

/** Where the app's pages come from: our `app://` origin, and the dev server while developing. */
export interface AppRoot {
  /** `app://mailflow` (see app-protocol.ts). */
  readonly appOrigin: string;
  readonly devOrigin?: string;
}

/**
 * Whether a URL is one of the app's own pages: under the app's own
 * `app://` origin, or on the dev server while developing. `file://` pages
 * never are. Node gives custom schemes an opaque origin, so scheme and host
 * are compared; a path segment that decodes to a slash, `..` or NUL is
 * refused (the protocol handler would refuse it too).
 */
export function isAppUrl(url: string, appRoot: AppRoot): boolean {
  let parsed: URL;
  let root: URL;
  try {
    parsed = new URL(url);
    root = new URL(appRoot.appOrigin);
  } catch {
    return false;
  }
  if (appRoot.devOrigin && parsed.origin === appRoot.devOrigin) return true;
  if (parsed.protocol !== root.protocol || parsed.host !== root.host || parsed.username !== '' || parsed.password !== '') return false;
  return pathSegments(parsed.pathname) !== undefined;
}

/** Decoded, non-empty path segments; undefined when one hides a slash, a backslash or a NUL. */
function pathSegments(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (/[/\\\0]/.test(segment) || segment === '..' || segment === '.') return undefined;
    segments.push(segment);
  }
  return segments;
}

export interface TrustedWindows {
  /** The WebContents ids of our windows. */
  has(id: number): boolean;
}

/**
 * Sender check for every IPC call: it comes from the top frame of one of our
 * windows, and that frame shows one of our pages (not a page it was tricked
 * into navigating to).
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, windows: TrustedWindows, appRoot: AppRoot): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (!windows.has(event.sender.id)) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, appRoot);
}

/** Denies navigation, new windows and attachments of webviews for one WebContents. */
export function hardenWebContents(contents: WebContents, appRoot: AppRoot): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appRoot)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appRoot)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** No camera, microphone, notifications, geolocation ... ever: the app needs none. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}

/** Sends the CSP as a header on every response (the page's meta tag says the same). */
export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}

/** App-wide: any WebContents created later (e.g. devtools) gets the same treatment. */
export function hardenApp(app: App, appRoot: AppRoot): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appRoot));
}
