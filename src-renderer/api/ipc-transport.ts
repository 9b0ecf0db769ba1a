import type { MailflowWindowApi } from '../../src-main/contract/api';
import type { ApiClient, ApiResult, Channel, RequestOf, ResponseOf } from './client';
import { isApiResult, transportError } from './client';

/**
 * The Electron transport: the preload's `window.mailflow` (one generated method
 * per channel, plus `onEvent`). Replies are checked to be result values; a
 * rejected call (e.g. main crashed) becomes an error value too.
 */
export function createIpcClient(bridge: MailflowWindowApi): ApiClient {
  const client: ApiClient = {
    async request<C extends Channel>(channel: C, input: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
      try {
        const method: unknown = bridge[channel];
        if (typeof method !== 'function') return transportError(`This version of the app cannot do "${channel}".`);
        const reply: unknown = await Reflect.apply(method, bridge, [input]);
        return isApiResult<ResponseOf<C>>(reply) ? reply : transportError(`The app sent an unexpected reply for "${channel}".`);
      } catch (cause) {
        return transportError(cause);
      }
    },
    subscribe(event, listener) {
      return bridge.onEvent(event, listener);
    },
  };
  return client;
}
