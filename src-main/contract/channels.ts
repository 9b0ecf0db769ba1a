/**
 * The channel names alone, without their schemas.
 *
 * The preload script runs in Electron's sandbox and must stay tiny: it loops
 * over these lists to build `window.mailflow` and never loads zod. `api.ts`
 * checks at compile time that these lists and its schema map agree.
 */
export const REQUEST_CHANNELS = [
  'app:info',
  'app:notices',
  'check:run',
  'probe:run',
  'dns:query',
  'job:cancel',
  'plan:build',
  'connectors:import',
  'profiles:list',
  'profiles:save',
  'profiles:delete',
  'profiles:last',
  'profiles:select',
  'settings:get',
  'settings:set',
  'settings:addCaFile',
  'history:list',
  'history:get',
  'history:delete',
  'report:export',
  'message:analyze',
  'observations:list',
  'observations:save',
  'partners:import',
  'partners:list',
  'partners:get',
  'partners:run',
  'partners:remove',
  'partners:export',
] as const;

export const EVENT_CHANNELS = ['job:progress', 'app:notice', 'partners:result'] as const;

/** The single IPC channel main uses to push events; the event name travels inside. */
export const EVENT_IPC_CHANNEL = 'mailflow:event';

export type RequestChannelName = (typeof REQUEST_CHANNELS)[number];
export type EventChannelName = (typeof EVENT_CHANNELS)[number];
