import type { Command } from 'commander';
import { checkNetworkSettings, type NetworkSettings, type NetworkSettingsInput } from '../contract/settings';
import { readCaFiles as readSharedCaFiles } from '../engine/tls/ca-files';
import { UsageError } from './errors';

/**
 * The network options (`--dns-server`, `--doh`, `--timeout`, `--ca-file`,
 * `--helo`, `--dkim-selector`), checked by the contract's
 * checkNetworkSettings, as the app's Settings are: the CLI and the app accept
 * and refuse the same values, with the same words (the CLI names the option,
 * the app the field). Nothing here loads DNS or TLS code, so a command can parse its
 * options before it decides what to load.
 */
export interface DnsCommandOptions {
  readonly dnsServer: readonly string[];
  readonly doh?: string;
  readonly timeout: string;
}

/** The options as commander gives them, for parseNetworkOptions. */
export interface NetworkCommandOptions extends DnsCommandOptions {
  readonly caFile?: readonly string[];
  /** --public-ca (check, probe): CAs predictions treat as trusted by Exchange Online (a rehearsal). */
  readonly publicCa?: readonly string[];
  readonly helo?: string;
  readonly dkimSelector?: readonly string[];
}

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * The network options every command that talks to the network takes, added
 * in one place so `check`, `probe` and `dns` spell and default them alike;
 * only the help text says what each command uses them for.
 */
export function withNetworkOptions(command: Command, help: { readonly dnsServer: string; readonly timeout: string; readonly caFile: string }): Command {
  return command
    .option('--dns-server <address>', help.dnsServer, collect, [] as string[])
    .option('--doh <url>', 'ask this DNS-over-HTTPS server, e.g. https://dns.example/dns-query')
    .option('--timeout <seconds>', `${help.timeout} (whole seconds, 1 to 60)`, '10')
    .option('--ca-file <file>', help.caFile, collect, [] as string[]);
}

/**
 * A connector name option (--tls-domain, --tls-sender-certificate-name): a
 * domain name, with a leading `*.` allowed as Exchange Online takes it.
 */
export function checkConnectorNameOption(flag: string, value: string | undefined): void {
  if (value !== undefined && !/^(\*\.)?([A-Za-z0-9-]{1,63}\.)+[A-Za-z0-9-]{1,63}$/.test(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a domain name (a leading *. is allowed)`);
  }
}

/** Which option sets each settings field. */
export const OPTION_OF_SETTING: Readonly<Record<keyof NetworkSettings, string>> = {
  dnsServers: '--dns-server',
  doh: '--doh',
  timeoutSeconds: '--timeout',
  caFiles: '--ca-file',
  publicCaFiles: '--public-ca',
  heloName: '--helo',
  dkimSelectors: '--dkim-selector',
};

/**
 * The options as the app's NetworkSettings, checked by the contract's rules.
 * A refused value is a UsageError: `--timeout "300": <the contract's message>`.
 */
export function parseNetworkOptions(options: NetworkCommandOptions): NetworkSettings {
  if (options.doh !== undefined && options.dnsServer.length > 0) throw new UsageError('use either --dns-server or --doh, not both');
  const timeout = options.timeout.trim();
  const input: NetworkSettingsInput = {
    dnsServers: [...options.dnsServer],
    doh: options.doh,
    // A number when it reads as one, so its range is judged; anything else as typed.
    timeoutSeconds: /^\d+(\.\d+)?$/.test(timeout) ? Number(timeout) : timeout,
    caFiles: [...(options.caFile ?? [])],
    publicCaFiles: [...(options.publicCa ?? [])],
    heloName: options.helo,
    dkimSelectors: [...(options.dkimSelector ?? [])],
  };
  const checked = checkNetworkSettings(input);
  if ('settings' in checked) return checked.settings;
  const [field, index] = checked.problems[0]?.path ?? [];
  const option = field === undefined ? 'an option' : OPTION_OF_SETTING[field];
  const given = field === undefined ? undefined : input[field];
  const value = Array.isArray(given) && typeof index === 'number' ? given[index] : Array.isArray(given) ? undefined : given;
  throw new UsageError(`${option}${value === undefined ? '' : ` ${JSON.stringify(value)}`}: ${checked.problems[0]?.message ?? 'invalid'}`);
}

/** `--ca-file` (or `--public-ca`) contents, read and refused by the same rules as the app's CA files. */
export function readCaFiles(files: readonly string[], flag: '--ca-file' | '--public-ca' = '--ca-file'): Promise<string[]> {
  return readSharedCaFiles(files, (file) => ({ label: `${flag} ${file}`, where: file }));
}

/** Help for --public-ca, the same on check and probe. */
export const PUBLIC_CA_HELP = 'rehearse: CA certificates (PEM) that predictions treat as if Exchange Online trusted them, e.g. a lab CA or before buying a certificate; the report says it is a rehearsal (repeatable)';
