import type { NetworkSettings } from '../../contract/api';
import type { CheckDeps } from '../../engine/checks/index';
import { systemClock } from '../../engine/clock';
import { createEngineContext, type EngineContext } from '../../engine/context';
import { createResolver, type Resolver } from '../../engine/dns/index';
import { parseNetworkOptions, readCaFiles, type DnsCommandOptions } from '../network-options';

/**
 * The `check` command's dependencies built from its options, and the
 * resolver every command that talks DNS uses. The options themselves are
 * parsed in ../network-options (re-exported here for the commands that
 * import them from this file).
 */
export { checkConnectorNameOption, collect, parseNetworkOptions, PUBLIC_CA_HELP, readCaFiles, withNetworkOptions, type DnsCommandOptions } from '../network-options';

export interface CheckCommandOptions extends DnsCommandOptions {
  readonly caFile: readonly string[];
  /** --public-ca (on check, added with the SMTP options): CAs predictions treat as trusted by Exchange Online. */
  readonly publicCa?: readonly string[];
  readonly dkimSelector: readonly string[];
  readonly compareDns: readonly string[];
  readonly helo?: string;
  readonly json?: boolean;
  readonly color?: boolean;
}

/** A resolver from parsed settings; `caCertificates` (--ca-file) are trusted for the DoH server too. */
export function buildResolver(settings: NetworkSettings, caCertificates: readonly string[] = []): Resolver {
  return createResolver({ servers: settings.dnsServers, ...(settings.doh ? { doh: settings.doh, caCertificates } : {}), timeoutMs: settings.timeoutSeconds * 1000 });
}

/**
 * The one engine context of this CLI run: its resolver (cached, bounded),
 * the CA files parsed once, the concurrency limiter every network step runs
 * under. `caCertificates` (--ca-file) are trusted for the DoH server too.
 */
export function buildEngineContext(settings: NetworkSettings, caCertificates: readonly string[] = [], publicCaCertificates: readonly string[] = []): EngineContext {
  return createEngineContext({
    clock: systemClock,
    caCertificates,
    publicCaCertificates,
    dns: { servers: settings.dnsServers, ...(settings.doh ? { doh: settings.doh, caCertificates } : {}), timeoutMs: settings.timeoutSeconds * 1000 },
  });
}

export async function buildCheckDeps(options: CheckCommandOptions): Promise<CheckDeps> {
  const settings = parseNetworkOptions(options);
  const caCertificates = await readCaFiles(settings.caFiles);
  const context = buildEngineContext(settings, caCertificates, await readCaFiles(settings.publicCaFiles, '--public-ca'));
  return {
    context,
    resolver: context.resolver,
    clock: context.clock,
    timeoutMs: settings.timeoutSeconds * 1000,
    caCertificates,
    bounds: context.bounds,
    dkimSelectors: settings.dkimSelectors,
  };
}
