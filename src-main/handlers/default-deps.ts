import type { NetworkSettings } from '../contract/api';
import { createResolver } from '../engine/dns/index';
import { HandlerError } from './errors';
import type { EngineDeps } from './types';

/**
 * Settings the launcher (never the renderer) may change, for tests and demos:
 * the e2e tests run SMTP peers on loopback on a random port, not 25.
 */
export interface EngineOverrides {
  /** Probe MX hosts (and `probe:run` on port 25) on this port instead of 25. Test-only. */
  readonly smtpPort?: number;
  /** Extra CA files trusted in addition to the user's settings (test PKI). */
  readonly caFiles?: readonly string[];
}

/** A resolver from the user's network settings. */
export function resolverFor(settings: NetworkSettings) {
  return createResolver({
    ...(settings.dnsServers.length > 0 ? { servers: settings.dnsServers } : {}),
    ...(settings.doh ? { doh: settings.doh } : {}),
    timeoutMs: settings.timeoutSeconds * 1000,
  });
}

const notYet = (what: string) => (): never => {
  throw new HandlerError({ code: 'UNAVAILABLE', message: `${what} is not available in this build yet.` });
};

/**
 * The real engine behind the handler table: DNS (issue 2), SMTP/TLS probes
 * (issue 3) and the planner (issue 4), adapted to `EngineDeps`.
 */
export function createDefaultEngine(overrides: EngineOverrides = {}): EngineDeps {
  void overrides;
  return {
    runCheck: notYet('The mail check'),
    probe: notYet('The SMTP probe'),
    dnsQuery: (name, type, { settings, signal }) => resolverFor(settings).query(name, type, { signal }),
    buildPlan: notYet('The connector planner'),
    importConnectors: notYet('Importing connectors'),
  };
}
