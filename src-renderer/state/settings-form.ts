import { isDkimSelector, isDnsServer, isDohUrl, isHostName, LIMITS, type NetworkSettings } from '../../src-main/contract/api';
import { caFilePathRule, quoteValue } from '../../src-main/contract/rules';

/**
 * The Settings screen's checks as typed, in the screen's words, all at once
 * and keyed by field (`dnsServers`, `dnsServers.2`), so each message sits next
 * to its field. Main checks the same rules again (the contract's schema);
 * these only say it sooner and in words.
 */

/** What is wrong with the DKIM selectors typed so far, or undefined when they are fine. */
export function dkimSelectorsError(selectors: readonly string[]): string | undefined {
  return dkimSelectorProblems(selectors)[0];
}

/** Every bad selector's problem, then the count when there are too many. */
export function dkimSelectorProblems(selectors: readonly string[]): string[] {
  const problems = selectors.flatMap((s) => {
    if (isDkimSelector(s)) return [];
    if (s.includes('.')) return [`${quoteValue(s)} has a dot: type only the selector (the part before ._domainkey), for example s2048.`];
    if (/\s/.test(s)) return [`${quoteValue(s)} has a space: put each selector on its own line or separate them with commas.`];
    return [`${quoteValue(s)} is not a selector name: 1 to 63 letters, digits, - or _, starting and ending with a letter or digit.`];
  });
  if (selectors.length > LIMITS.dkimSelectors) problems.push(`At most ${LIMITS.dkimSelectors} selectors.`);
  return problems;
}

/** The settings as typed: the timeout is still text (it may not be a number yet). */
export type SettingsDraft = Omit<NetworkSettings, 'timeoutSeconds'> & { readonly timeoutText: string };

/** Every problem of the settings, keyed by field name; empty when they can be saved. */
export function validateSettings(draft: SettingsDraft): Readonly<Record<keyof SettingsDraft, readonly string[]>> & { readonly ok: boolean } {
  const dnsServers = [
    ...draft.dnsServers
      .filter((s) => !isDnsServer(s))
      .map((s) => `${quoteValue(s)} is not a DNS server: an IP address, optionally with :port (a port other than 53 only on this computer, 127.0.0.1 or ::1).`),
    ...(draft.dnsServers.length > LIMITS.dnsServers ? [`At most ${LIMITS.dnsServers} DNS servers.`] : []),
  ];
  const doh = draft.doh === undefined || draft.doh === '' ? [] : dohProblems(draft.doh);
  const timeout = Number(draft.timeoutText.trim());
  const timeoutText = draft.timeoutText.trim() !== '' && Number.isInteger(timeout) && timeout >= 1 && timeout <= LIMITS.maxTimeoutSeconds ? [] : [`A whole number of seconds from 1 to ${LIMITS.maxTimeoutSeconds}.`];
  const caFileProblems = (files: readonly string[]): string[] => [
    ...files.flatMap((file) => {
      const problem = caFilePathRule(file);
      return problem ? [`${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`] : [];
    }),
    ...(files.length > LIMITS.caFiles ? [`At most ${LIMITS.caFiles} CA files.`] : []),
  ];
  const caFiles = caFileProblems(draft.caFiles);
  const publicCaFiles = caFileProblems(draft.publicCaFiles);
  const heloName = draft.heloName === undefined || isHostName(draft.heloName) ? [] : [`${quoteValue(draft.heloName)} is not a host name: letters, digits, hyphens and dots, e.g. mail.contoso.com.`];
  const dkimSelectors = dkimSelectorProblems(draft.dkimSelectors);
  const all = { dnsServers, doh, timeoutText, caFiles, publicCaFiles, heloName, dkimSelectors };
  return { ...all, ok: Object.values(all).every((p) => p.length === 0) };
}

function dohProblems(value: string): string[] {
  if (!value.startsWith('https://')) return ['DNS over HTTPS needs an https:// address, e.g. https://dns.example/dns-query.'];
  if (!isDohUrl(value)) return ['DNS over HTTPS uses the standard port 443 (another port only on this computer), and no user name or password in the address.'];
  return [];
}

/** Which field of the screen a back-end error's path (`settings.caFiles.1`) belongs to. */
export function settingsFieldOf(where: string | undefined): keyof SettingsDraft | undefined {
  const field = /^settings\.([A-Za-z]+)/.exec(where ?? '')?.[1];
  if (field === 'timeoutSeconds') return 'timeoutText';
  const known: readonly string[] = ['dnsServers', 'doh', 'caFiles', 'publicCaFiles', 'heloName', 'dkimSelectors'];
  return field !== undefined && known.includes(field) ? (field as keyof SettingsDraft) : undefined;
}
