import * as z from 'zod/mini';
import { caFilePathRule } from './rules';
import { ruleCheck } from './rule-check';

/**
 * The contract's limits and the network settings: what the app's Settings and
 * the CLI's network options hold, with the rules for each value. A module of
 * its own (api.ts re-exports it) so the command line can parse its options
 * without building every request schema of the app.
 *
 * Written with `zod/mini`, zod's functional form (the same schemas, checks and
 * messages; `z.optional(x)` for `x.optional()`), which the rest of the
 * contract composes like any zod schema. The full `zod` package is a third of
 * the command line's code: `mailflow-doctor probe` parses these settings and
 * nothing else of the contract, and compiling full zod first made it start
 * about 30 ms later (bench/startup.ts, issue 12). A test checks that the
 * probe's code loads no full zod.
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

const ipv4 = z.ipv4();
const ipv6 = z.ipv6();
export function isIpAddress(value: string): boolean {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return ipv4.safeParse(bare).success || ipv6.safeParse(bare).success;
}

/** 127.0.0.0/8 or ::1: this computer. */
export function isLoopbackAddress(value: string): boolean {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (ipv4.safeParse(bare).success) return bare.startsWith('127.');
  return ipv6.safeParse(bare).success && /^(0{0,4}:){2,7}0{0,4}1$/.test(bare.replace(/^::/, '0::'));
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

const WHOLE_SECONDS = `a whole number of seconds from 1 to ${LIMITS.maxTimeoutSeconds}`;

export const NetworkSettingsSchema = z.object({
  /** Resolver addresses (`ip`, `ip:port`, `[v6]:port`); empty means the system's resolvers. */
  dnsServers: z.array(z.string().check(z.trim(), z.maxLength(64), z.refine(isDnsServer, 'a DNS server is an IP address, optionally with :port (a port other than 53 only on this computer, 127.0.0.1 or ::1)'))).check(z.maxLength(LIMITS.dnsServers)),
  /** DNS over HTTPS endpoint; when set, used instead of dnsServers. */
  doh: z.optional(z.string().check(
    z.trim(),
    z.maxLength(2048),
    z.url(),
    z.refine((value) => value.startsWith('https://'), 'DNS over HTTPS needs an https:// address'),
    z.refine(isDohUrl, 'DNS over HTTPS uses the standard port 443 (another port only on this computer), and no user name or password in the address'),
  )),
  timeoutSeconds: z.number({ error: WHOLE_SECONDS }).check(
    z.int(WHOLE_SECONDS),
    z.minimum(1, `at least 1 second (at most ${LIMITS.maxTimeoutSeconds})`),
    z.maximum(LIMITS.maxTimeoutSeconds, `at most ${LIMITS.maxTimeoutSeconds} seconds`),
  ),
  /**
   * Extra trusted CA certificate files (PEM), e.g. a company CA: absolute local
   * paths (no network or device paths). In the desktop app they are chosen with
   * the system's file dialog (`settings:addCaFile`), never typed.
   */
  caFiles: z.array(z.string().check(z.trim(), z.maxLength(4096, 'at most 4096 characters'), ruleCheck(caFilePathRule))).check(z.maxLength(LIMITS.caFiles, `at most ${LIMITS.caFiles} CA files`)),
  /** The name sent in EHLO; default is the computer's name. */
  heloName: z.optional(z.string().check(z.trim(), z.maxLength(LIMITS.hostNameLength), z.refine(isHostName, 'the HELO name must be a host name'))),
  /**
   * Extra DKIM selectors each check looks up, as the CLI's `--dkim-selector`
   * (Office 365's selector1/selector2 are always looked up). Defaults to none,
   * so settings saved before this field existed still load as they were.
   */
  dkimSelectors: z._default(
    z.array(z.string().check(z.trim(), z.maxLength(LIMITS.labelLength), z.refine(isDkimSelector, DKIM_SELECTOR_RULE))).check(z.maxLength(LIMITS.dkimSelectors, `at most ${LIMITS.dkimSelectors} DKIM selectors`)),
    [],
  ),
  /**
   * CA certificate files (PEM) that predictions treat as if Exchange Online
   * trusted them, as the CLI's `--public-ca`: a rehearsal with a test CA, or
   * before buying a certificate. Reports say plainly they are a rehearsal.
   * Defaults to none, so settings saved before this field existed still load.
   */
  publicCaFiles: z._default(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(4096))).check(z.maxLength(LIMITS.caFiles)), []),
});
export type NetworkSettings = z.infer<typeof NetworkSettingsSchema>;

export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = { dnsServers: [], timeoutSeconds: 10, caFiles: [], dkimSelectors: [], publicCaFiles: [] };
