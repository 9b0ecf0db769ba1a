import type { MailflowWindowApi } from '../../src-main/contract/api';
import type { ApiClient } from './client';
import { createHttpClient } from './http-transport';
import { createIpcClient } from './ipc-transport';

/**
 * Picks the transport ONCE, at start: the preload's `window.mailflow` in
 * Electron, the local HTTP bridge in a browser tab. Nothing else in the UI
 * asks which one it got.
 */
export function pickTransport(win: Window & { mailflow?: MailflowWindowApi }): ApiClient {
  if (win.mailflow) return createIpcClient(win.mailflow);
  // Browser mode: the bridge's session cookie signs the page in (see contract/api.ts).
  return createHttpClient({});
}
