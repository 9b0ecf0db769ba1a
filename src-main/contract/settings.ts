import { caFilePathRule, isIpv4Address, isIpv6Address } from './rules';

/**
 * The contract's limits and the network settings: what the app's Settings and
 * the CLI's network options hold, and the one judgement of them
 * (`checkNetworkSettings`). The contract's `NetworkSettingsSchema` (api.ts)
 * gives the settings their shape and leaves every rule to that function; the
 * CLI calls it directly. So the app and the command line accept and refuse
 * the same values with the same words (test/integration/cli-app-same-rules).
 *
 * Plain code, no schema library, like rules.ts: `mailflow-doctor probe`
 * checks these settings and nothing else of the contract, and building zod
 * first cost it about 14 ms (issue 12, bench/startup.ts). A test reads
 * the built command's import graph and checks that a probe loads no zod.
 */

export const LIMITS = {
  hostNameLength: 253,
  labelLength: 63,
  dnsServers: 8,
  caFiles: 16,
  /** Extra DKIM selectors a check looks up (besides Office 365's selector1/selector2). */
  dkimSelectors: 10,
  maxTimeoutSeconds: 60,
  importFiles: 10,
  importFileBytes: 1024 * 1024,
  observations: 500,
  profileJsonBytes: 512 * 1024,
  profileNameLength: 200,
  /** Jobs (checks, probes) running at once, per app. */
  concurrentJobs: 4,
  /** `dns:query` lookups running at once, per app. */
  concurrentQueries: 8,
  /** The HTTP bridge refuses bodies larger than this (413): the most any channel takes. */
  requestBytes: 16 * 1024 * 1024,
  /** Most requests are a few fields: this is their cap over HTTP. */
  smallRequestBytes: 64 * 1024,
} as const;

/** Ports SMTP uses. Nothing else can be probed from the UI. */
export const ALLOWED_SMTP_PORTS = [25, 465, 587, 2525] as const;

const LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/** A DNS host name in ASCII (LDH, underscores allowed for service names), optional trailing dot. */
export function isHostName(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > LIMITS.hostNameLength) return false;
  return name.split('.').every((label) => LABEL.test(label));
}

/** An IPv4 or IPv6 address, an IPv6 one bare or in brackets. */
export function isIpAddress(value: string): boolean {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return isIpv4Address(bare) || isIpv6Address(bare);
}

/** 127.0.0.0/8 or ::1: this computer. */
export function isLoopbackAddress(value: string): boolean {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIpv4Address(bare)) return bare.startsWith('127.');
  return isIpv6Address(bare) && /^(0{0,4}:){2,7}0{0,4}1$/.test(bare.replace(/^::/, '0::'));
}

/**
 * `1.2.3.4`, `1.2.3.4:53`, `::1`, `[::1]:53`. A port other than 53 only on
 * this computer (a local test resolver): otherwise the settings would let a
 * compromised UI time connections to any port on the network.
 */
export function isDnsServer(value: string): boolean {
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(value);
  const v6WithPort = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(value);
  const withPort = v4WithPort ?? v6WithPort;
  if (withPort) {
    const port = Number(withPort[2]);
    const address = withPort[1] ?? '';
    return port >= 1 && port <= 65535 && isIpAddress(address) && (port === 53 || isLoopbackAddress(address));
  }
  return isIpAddress(value);
}

/** A DNS over HTTPS address: https, on the standard port unless the server is on this computer. */
export function isDohUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  const host = url.hostname;
  return url.port === '' || host === 'localhost' || isLoopbackAddress(host);
}

/**
 * A DKIM selector as the app takes it: one DNS label of letters, digits, `-`
 * and `_` (1 to 63 characters) that starts and ends with a letter or digit
 * (RFC 6376's sub-domain; `_bad` would collide with `_domainkey`-style
 * service names), looked up as `<selector>._domainkey.<domain>`. Nothing that
 * could change the name's shape (dots, spaces) gets through.
 */
export function isDkimSelector(value: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/.test(value);
}

export const DKIM_SELECTOR_RULE = 'a DKIM selector is one name of 1 to 63 letters, digits, - or _, starting and ending with a letter or digit (for example s2048 or google)';

/** The network settings, checked: what `checkNetworkSettings` returns and the store keeps. */
export interface NetworkSettings {
  /** Resolver addresses (`ip`, `ip:port`, `[v6]:port`); empty means the system's resolvers. */
  dnsServers: string[];
  /** DNS over HTTPS endpoint; when set, used instead of dnsServers. */
  doh?: string | undefined;
  timeoutSeconds: number;
  /**
   * Extra trusted CA certificate files (PEM), e.g. a company CA: absolute local
   * paths (no network or device paths). In the desktop app they are chosen with
   * the system's file dialog (`settings:addCaFile`), never typed.
   */
  caFiles: string[];
  /** The name sent in EHLO; default is the computer's name. */
  heloName?: string | undefined;
  /**
   * Extra DKIM selectors each check looks up, as the CLI's `--dkim-selector`
   * (Office 365's selector1/selector2 are always looked up). Missing means
   * none, so settings saved before this field existed still load as they were.
   */
  dkimSelectors: string[];
  /**
   * CA certificate files (PEM) that predictions treat as if Exchange Online
   * trusted them, as the CLI's `--public-ca`: a rehearsal with a test CA, or
   * before buying a certificate. Reports say plainly they are a rehearsal.
   * Missing means none, so settings saved before this field existed still load.
   */
  publicCaFiles: string[];
}

/** The settings as given, before they are checked: lists of text, and the timeout as given (the CLI passes what was typed when it is not a number). */
export interface NetworkSettingsInput {
  readonly dnsServers: readonly string[];
  readonly doh?: string | undefined;
  readonly timeoutSeconds: unknown;
  readonly caFiles: readonly string[];
  readonly heloName?: string | undefined;
  readonly dkimSelectors?: readonly string[] | undefined;
  readonly publicCaFiles?: readonly string[] | undefined;
}

/** One refused value: the setting, the position in its list, and what is wrong in words. */
export interface SettingsProblem {
  readonly path: readonly [keyof NetworkSettings] | readonly [keyof NetworkSettings, number];
  readonly message: string;
}

/** The timeout's words when it is not a whole number (also the schema's, for a value of the wrong type). */
export const TIMEOUT_RULE = `a whole number of seconds from 1 to ${LIMITS.maxTimeoutSeconds}`;

function timeoutProblem(given: unknown): string | undefined {
  if (typeof given !== 'number' || !Number.isInteger(given)) return TIMEOUT_RULE;
  if (given < 1) return `at least 1 second (at most ${LIMITS.maxTimeoutSeconds})`;
  if (given > LIMITS.maxTimeoutSeconds) return `at most ${LIMITS.maxTimeoutSeconds} seconds`;
  return undefined;
}

/** A text value trimmed, then judged: too long, or the rule's words. */
function judgeText(text: string, maxLength: number, rule: (value: string) => string | undefined): { readonly value: string; readonly problem?: string | undefined } {
  const value = text.trim();
  return { value, problem: value.length > maxLength ? `at most ${maxLength} characters` : rule(value) };
}

/** `predicate` as a rule: fine when it holds, else `words`. */
const ruleOf = (predicate: (value: string) => boolean, words: string) => (value: string): string | undefined => (predicate(value) ? undefined : words);

const dnsServerRule = ruleOf(isDnsServer, 'a DNS server is an IP address, optionally with :port (a port other than 53 only on this computer, 127.0.0.1 or ::1)');

function dohRule(value: string): string | undefined {
  if (!URL.canParse(value)) return 'not a web address; DNS over HTTPS needs an https:// address, e.g. https://dns.example/dns-query';
  if (!value.startsWith('https://')) return 'DNS over HTTPS needs an https:// address';
  if (!isDohUrl(value)) return 'DNS over HTTPS uses the standard port 443 (another port only on this computer), and no user name or password in the address';
  return undefined;
}

/**
 * The one judgement of network settings, for the app's Settings (through
 * `NetworkSettingsSchema`), the stored settings and the CLI's options: every
 * problem, in the order of the fields, or the settings with each value trimmed
 * and the missing lists empty.
 */
export function checkNetworkSettings(input: NetworkSettingsInput): { readonly settings: NetworkSettings } | { readonly problems: readonly SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const list = (field: 'dnsServers' | 'caFiles' | 'dkimSelectors' | 'publicCaFiles', given: readonly string[] | undefined, most: { readonly items: number; readonly words: string; readonly length: number }, rule: (value: string) => string | undefined): string[] => {
    const values = given ?? [];
    if (values.length > most.items) {
      // Too many to judge one by one: one problem says so.
      problems.push({ path: [field], message: `at most ${most.items} ${most.words}` });
      return [];
    }
    return values.map((text, index) => {
      const judged = judgeText(text, most.length, rule);
      if (judged.problem) problems.push({ path: [field, index], message: judged.problem });
      return judged.value;
    });
  };
  const single = (field: 'doh' | 'heloName', given: string | undefined, maxLength: number, rule: (value: string) => string | undefined): string | undefined => {
    if (given === undefined) return undefined;
    const judged = judgeText(given, maxLength, rule);
    if (judged.problem) problems.push({ path: [field], message: judged.problem });
    return judged.value;
  };

  const dnsServers = list('dnsServers', input.dnsServers, { items: LIMITS.dnsServers, words: 'DNS servers', length: 64 }, dnsServerRule);
  const doh = single('doh', input.doh, 2048, dohRule);
  const timeout = input.timeoutSeconds;
  const timeoutWords = timeoutProblem(timeout);
  if (timeoutWords) problems.push({ path: ['timeoutSeconds'], message: timeoutWords });
  const caFiles = list('caFiles', input.caFiles, { items: LIMITS.caFiles, words: 'CA files', length: 4096 }, caFilePathRule);
  const heloName = single('heloName', input.heloName, LIMITS.hostNameLength, ruleOf(isHostName, 'the HELO name must be a host name'));
  const dkimSelectors = list('dkimSelectors', input.dkimSelectors, { items: LIMITS.dkimSelectors, words: 'DKIM selectors', length: LIMITS.labelLength }, ruleOf(isDkimSelector, DKIM_SELECTOR_RULE));
  const publicCaFiles = list('publicCaFiles', input.publicCaFiles, { items: LIMITS.caFiles, words: 'CA files', length: 4096 }, ruleOf((path) => path.length > 0, 'a CA file path is empty'));

  if (problems.length > 0 || typeof timeout !== 'number') return { problems };
  return {
    settings: {
      dnsServers,
      ...(doh === undefined ? {} : { doh }),
      timeoutSeconds: timeout,
      caFiles,
      ...(heloName === undefined ? {} : { heloName }),
      dkimSelectors,
      publicCaFiles,
    },
  };
}

export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = { dnsServers: [], timeoutSeconds: 10, caFiles: [], dkimSelectors: [], publicCaFiles: [] };
