import type { ErrorValue } from '../../src-main/contract/api';

/**
 * An error from the app's back end in the user's words. The back end names
 * the field as a path (`settings.dnsServers.0`) and may repeat that path at
 * the start of its message; the user sees the field's label instead
 * ("DNS servers, entry 1: ..."), never the path twice.
 */
export function errorText(error: ErrorValue, labels: Readonly<Record<string, string>> = {}): string {
  const { where } = error;
  if (!where) return error.message;
  const message = error.message.startsWith(`${where}: `) ? error.message.slice(where.length + 2) : error.message;
  const key = Object.keys(labels)
    .filter((k) => where === k || where.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length)[0];
  if (key === undefined) return message;
  const entry = /^\.(\d+)(?:\.|$)/.exec(where.slice(key.length));
  return `${labels[key]}${entry ? `, entry ${Number(entry[1]) + 1}` : ''}: ${message}`;
}

/** The Settings fields' labels, by the path the back end names in an error (Settings and Diagnose show these). */
export const SETTINGS_LABELS: Readonly<Record<string, string>> = {
  'settings.dnsServers': 'DNS servers',
  'settings.doh': 'DNS over HTTPS address',
  'settings.timeoutSeconds': 'Timeout per step',
  'settings.caFiles': 'Extra trusted CA files',
  'settings.heloName': 'HELO name',
  'settings.dkimSelectors': 'DKIM selectors',
};

/**
 * An error met while running something else (a diagnosis) that comes from
 * Settings: said with where to fix it ("Settings › Extra trusted CA files,
 * entry 1: …"). Settings itself shows the same message next to the field,
 * without sending you where you already are.
 */
export function runErrorText(error: ErrorValue): string {
  const text = errorText(error, SETTINGS_LABELS);
  return error.where?.startsWith('settings.') ? `Settings › ${text}` : text;
}
