import type { NetworkSettings } from '../../contract/api';
import type { CheckDeps } from '../../engine/checks/index';
import { systemClock } from '../../engine/clock';
import { createResolver, type Resolver } from '../../engine/dns/index';
import { parseNetworkOptions, readCaFiles, type DnsCommandOptions } from '../network-options';

/**
 * The `check` command's dependencies built from its options, and the
 * resolver every command that talks DNS uses. The options themselves are
 * parsed in ../network-options (re-exported here for the commands that
 * import them from this file).
 */
export { checkConnectorNameOption, collect, parseNetworkOptions, readCaFiles, withNetworkOptions, type DnsCommandOptions } from '../network-options';

export interface CheckCommandOptions extends DnsCommandOptions {
  readonly caFile: readonly string[];
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

export async function buildCheckDeps(options: CheckCommandOptions): Promise<CheckDeps> {
  const settings = parseNetworkOptions(options);
  const caCertificates = await readCaFiles(settings.caFiles);
  return {
    resolver: buildResolver(settings, caCertificates),
    clock: systemClock,
    timeoutMs: settings.timeoutSeconds * 1000,
    caCertificates,
    dkimSelectors: settings.dkimSelectors,
  };
}
