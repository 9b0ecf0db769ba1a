/**
 * The preload script: builds `window.mailflow` from the contract's channel
 * list, one method per channel. It exposes no ipcRenderer, passes no event
 * object, never uses sendSync, and accepts only the contract's event names.
 * Bundled as CommonJS with no dependencies, as the sandbox requires.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNELS, EVENT_IPC_CHANNEL, REQUEST_CHANNELS } from '../contract/channels';
import type { EventChannelName } from '../contract/channels';

type Listener = (payload: unknown) => void;

export function buildWindowApi(invoke: (channel: string, input: unknown) => Promise<unknown>, subscribe: (listener: (channel: string, payload: unknown) => void) => () => void): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const channel of REQUEST_CHANNELS) {
    api[channel] = (input: unknown) => invoke(channel, input);
  }
  const listeners = new Map<EventChannelName, Set<Listener>>();
  // One IPC listener for every event, added on the first onEvent and kept for the page's life.
  let subscribed = false;
  api.onEvent = (channel: unknown, listener: unknown): (() => void) => {
    if (!(EVENT_CHANNELS as readonly unknown[]).includes(channel) || typeof listener !== 'function') {
      throw new TypeError('onEvent takes a known event name and a function.');
    }
    const name = channel as EventChannelName;
    if (!subscribed) {
      subscribed = true;
      subscribe((event, payload) => {
        for (const l of listeners.get(event as EventChannelName) ?? []) l(payload);
      });
    }
    const set = listeners.get(name) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(name, set);
    return () => {
      set.delete(listener as Listener);
    };
  };
  return Object.freeze(api);
}

const api = buildWindowApi(
  (channel, input) => ipcRenderer.invoke(channel, input),
  (listener) => {
    const handler = (_event: unknown, channel: unknown, payload: unknown): void => {
      if (typeof channel === 'string') listener(channel, payload);
    };
    ipcRenderer.on(EVENT_IPC_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_IPC_CHANNEL, handler);
  },
);

contextBridge.exposeInMainWorld('mailflow', api);
