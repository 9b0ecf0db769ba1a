import type { MailflowWindowApi } from '../../src-main/contract/api';
import type { ApiClient } from './client';
import { createHttpClient, takeLaunchToken } from './http-transport';
import { createIpcClient } from './ipc-transport';

/**
 * Picks the transport ONCE, at start: the preload's `window.mailflow` in
 * Electron, the local HTTP bridge in a browser tab. Nothing else in the UI
 * asks which one it got.
 */
export function pickTransport(win: Window & { mailflow?: MailflowWindowApi }): { client: ApiClient } | { error: string } {
  if (win.mailflow) return { client: createIpcClient(win.mailflow) };
  const token = takeLaunchToken(win);
  if (!token) {
    return { error: 'This page was opened without its access key. Start browser mode with "npm run web" and open the address it prints (it ends in ?token=…).' };
  }
  return { client: createHttpClient({ token }) };
}
