import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { channels } from '../contract/api';
import type { ApiResult } from '../contract/api';
import type { HandlerTable } from '../handlers/types';
import { isTrustedSender } from './security';
import type { AppRoot, TrustedWindows } from './security';

/**
 * Registers one `ipcMain.handle` per contract channel, by looping over the
 * contract: no channel can be forgotten or added by hand. Every call is
 * checked for its sender first; the handler then parses the input with the
 * channel's schema (limits included) before anything runs.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: HandlerTable, windows: TrustedWindows, appRoot: AppRoot): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<ApiResult<unknown>> => {
      if (!isTrustedSender(event, windows, appRoot)) {
        return { ok: false, error: { code: 'AUTH', message: 'Refused: the request did not come from the app window.' } };
      }
      return handlers[channel](input);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
