import type { Command } from 'commander';
import type { CheckDeps } from '../../engine/checks/index';
import { systemClock } from '../../engine/clock';
import { createEngineContext, type EngineContext } from '../../engine/context';
import { createResolver, type Resolver } from '../../engine/dns/index';
import { UsageError } from '../errors';
import { readUserFile } from '../user-files';

/**
 * Options shared by the commands that talk DNS, and the `check` command's
 * dependencies built from them. Kept apart from the command so other options
 * (SMTP probes) can be added next to these without touching the command flow.
 */
export interface DnsCommandOptions {
  readonly dnsServer: readonly string[];
  readonly doh?: string;
  readonly timeout: string;
}

export interface CheckCommandOptions extends DnsCommandOptions {
  readonly caFile: readonly string[];
  /** --public-ca (on check, added with the SMTP options): CAs predictions treat as trusted by Exchange Online. */
  readonly publicCa?: readonly string[];
  readonly dkimSelector: readonly string[];
  readonly compareDns: readonly string[];
  readonly json?: boolean;
  readonly color?: boolean;
}

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Help for --public-ca, the same on check and probe. */
export const PUBLIC_CA_HELP = 'rehearse: CA certificates (PEM) that predictions treat as if Exchange Online trusted them, e.g. a lab CA or before buying a certificate; the report says it is a rehearsal (repeatable)';

/**
 * The network options every command that talks to the network takes, added
 * in one place so `check`, `probe` and `dns` spell and default them alike;
 * only the help text says what each command uses them for.
 */
export function withNetworkOptions(command: Command, help: { readonly dnsServer: string; readonly timeout: string; readonly caFile: string }): Command {
  return command
    .option('--dns-server <address>', help.dnsServer, collect, [] as string[])
    .option('--doh <url>', 'ask this DNS-over-HTTPS server, e.g. https://dns.example/dns-query')
    .option('--timeout <seconds>', help.timeout, '10')
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

export const MAX_TIMEOUT_SECONDS = 300;
const MAX_CA_FILE_BYTES = 1024 * 1024;

/** `--timeout <seconds>` -> milliseconds; a positive number up to 300. */
export function parseTimeout(text: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) throw new UsageError(`--timeout must be a number of seconds from 0.1 to ${MAX_TIMEOUT_SECONDS}, not "${text}"`);
  return Math.max(100, Math.round(seconds * 1000));
}

/** `caCertificates` (--ca-file) are trusted for the DoH server too. */
export function buildResolver(options: DnsCommandOptions, caCertificates: readonly string[] = []): Resolver {
  if (options.doh && options.dnsServer.length > 0) throw new UsageError('use either --dns-server or --doh, not both');
  return createResolver({ servers: options.dnsServer, ...(options.doh ? { doh: options.doh, caCertificates } : {}), timeoutMs: parseTimeout(options.timeout) });
}

/**
 * The one engine context of this CLI run: its resolver (cached, bounded),
 * the CA files parsed once, the concurrency limiter every network step runs
 * under. `caCertificates` (--ca-file) are trusted for the DoH server too.
 */
export function buildEngineContext(options: DnsCommandOptions, caCertificates: readonly string[] = [], publicCaCertificates: readonly string[] = []): EngineContext {
  if (options.doh && options.dnsServer.length > 0) throw new UsageError('use either --dns-server or --doh, not both');
  return createEngineContext({
    clock: systemClock,
    caCertificates,
    publicCaCertificates,
    dns: { servers: options.dnsServer, ...(options.doh ? { doh: options.doh, caCertificates } : {}), timeoutMs: parseTimeout(options.timeout) },
  });
}

export async function readCaFiles(files: readonly string[], flag = '--ca-file'): Promise<string[]> {
  return Promise.all(files.map(async (file) => {
    const text = (await readUserFile(file, MAX_CA_FILE_BYTES, `${flag} ${file}`)).toString('utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${flag} ${file}: no PEM certificate in it`);
    return text;
  }));
}

export async function buildCheckDeps(options: CheckCommandOptions): Promise<CheckDeps> {
  const timeoutMs = parseTimeout(options.timeout);
  const caCertificates = await readCaFiles(options.caFile);
  const context = buildEngineContext(options, caCertificates, await readCaFiles(options.publicCa ?? [], '--public-ca'));
  // Made now, so a bad --dns-server is a usage error before any lookup.
  const resolver = context.resolver;
  return {
    context,
    resolver,
    clock: context.clock,
    timeoutMs,
    caCertificates,
    bounds: context.bounds,
    dkimSelectors: options.dkimSelector.map((s) => {
      if (!/^[a-z0-9]([a-z0-9_-]{0,62})(\.[a-z0-9][a-z0-9_-]{0,62})*$/i.test(s)) throw new UsageError(`--dkim-selector "${s}" is not a valid selector name`);
      return s;
    }),
  };
}
