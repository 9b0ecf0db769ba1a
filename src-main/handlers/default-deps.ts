import { isIP } from 'node:net';
import type { ImportPreview, NetworkSettings } from '../contract/api';
import { InputError } from '../contract/errors';
import { visibleText } from '../contract/text';
import type { ExistingConnector } from '../contract/planner';
import { runCheck } from '../engine/checks/index';
import { systemClock } from '../engine/clock';
import type { Clock } from '../engine/clock';
import { createEngineContext, type EngineContext } from '../engine/context';
import { createResolver, normalizeDomain } from '../engine/dns/index';
import type { Resolver } from '../engine/dns/index';
import { createMxProber, defaultHeloName, probeHost, timeoutsFromStep } from '../engine/smtp/index';
import { readCaFiles as readSharedCaFiles } from '../engine/tls/ca-files';
import { importConnectors } from '../planner/index';
import { buildPlanInWorker } from './plan-runner';
import { runPartners } from '../engine/partners/run';
import { rehearsalSubjects } from '../engine/partners/assess';
import { composePartnerMessage } from '../report/partner-message';
import type { EngineDeps, EngineProgress } from './types';

/**
 * Settings the launcher (never the renderer) may change, for tests and demos:
 * the e2e tests run SMTP peers on loopback on a random port, not 25.
 */
export interface EngineOverrides {
  /** Probe MX hosts (and `probe:run` on port 25) on this port instead of 25. Test-only. */
  readonly smtpPort?: number;
  /** Extra CA files trusted in addition to the user's settings (test PKI). */
  readonly caFiles?: readonly string[];
  /** Port of MTA-STS policy servers (443; tests use a loopback port). */
  readonly mtaStsPort?: number;
  readonly clock?: Clock;
  /**
   * Rehearsal for partner checks: one-line subjects of CAs treated as if
   * Exchange Online trusted them (a lab CA). Test-only until Settings has it.
   */
  readonly rehearsalAnchors?: readonly string[];
}

/** A resolver from the user's network settings. */
export function resolverFor(settings: NetworkSettings): Resolver {
  return createResolver({
    ...(settings.dnsServers.length > 0 ? { servers: settings.dnsServers } : {}),
    ...(settings.doh ? { doh: settings.doh } : {}),
    timeoutMs: settings.timeoutSeconds * 1000,
  });
}

/** The settings' extra CA files (`caFiles`, or the rehearsal CAs in `publicCaFiles`), named as the Settings page shows them. */
export const readCaFiles = (files: readonly string[], field: 'caFiles' | 'publicCaFiles' = 'caFiles'): Promise<string[]> =>
  readSharedCaFiles(files, (file, index) => ({ label: `The CA file "${visibleText(file)}"`, where: `settings.${field}.${index}` }));

const progressOf = (event: { step: string; status: EngineProgress['status']; detail?: string | undefined }): EngineProgress =>
  event.detail === undefined ? { step: event.step, status: event.status } : { step: event.step, status: event.status, detail: event.detail };

/** One connector of an import, in words for the preview. */
function summarise(connector: ExistingConnector): ImportPreview['connectors'][number] {
  const details =
    connector.direction === 'inbound'
      ? [
          `ConnectorType: ${connector.connectorType}`,
          connector.senderDomains.length ? `SenderDomains: ${connector.senderDomains.join(', ')}` : '',
          connector.senderIpAddresses.length ? `SenderIPAddresses: ${connector.senderIpAddresses.join(', ')}` : '',
          connector.tlsSenderCertificateName ? `TlsSenderCertificateName: ${connector.tlsSenderCertificateName}` : '',
          `RequireTls: ${connector.requireTls}`,
        ]
      : [
          `ConnectorType: ${connector.connectorType}`,
          connector.recipientDomains.length ? `RecipientDomains: ${connector.recipientDomains.join(', ')}` : '',
          connector.smartHosts.length ? `SmartHosts: ${connector.smartHosts.join(', ')}` : 'UseMXRecord: true',
          connector.tlsSettings ? `TlsSettings: ${connector.tlsSettings}` : '',
          connector.tlsDomain ? `TlsDomain: ${connector.tlsDomain}` : '',
        ];
  return { name: connector.name, direction: connector.direction, enabled: connector.enabled, details: [...details.filter(Boolean), ...connector.importNotes] };
}


/**
 * The real engine behind the handler table: DNS and checks (issue 2), SMTP and
 * TLS probes (issue 3) and the planner (issue 4), adapted to `EngineDeps`.
 */
export function createDefaultEngine(overrides: EngineOverrides = {}): EngineDeps {
  const clock = overrides.clock ?? systemClock;
  const smtpPortFor = (port: number): number => (port === 25 && overrides.smtpPort ? overrides.smtpPort : port);

  /**
   * One engine context per session while the network settings stay the same:
   * the DNS cache, the CA files and trust store, the concurrency limiter.
   * Changing DNS servers, timeout or CA files in Settings starts a new one.
   */
  let session: { readonly key: string; readonly context: Promise<EngineContext> } | null = null;
  const contextFor = (settings: NetworkSettings): Promise<EngineContext> => {
    const caFiles = [...settings.caFiles, ...(overrides.caFiles ?? [])];
    const publicCaFiles = settings.publicCaFiles ?? [];
    const key = JSON.stringify([settings.dnsServers, settings.doh ?? null, settings.timeoutSeconds, caFiles, publicCaFiles]);
    if (session?.key !== key) {
      const context = Promise.all([readCaFiles(caFiles), readCaFiles(publicCaFiles, 'publicCaFiles')]).then(([caCertificates, publicCaCertificates]) => createEngineContext({
        clock,
        caCertificates,
        publicCaCertificates,
        dns: {
          ...(settings.dnsServers.length > 0 ? { servers: settings.dnsServers } : {}),
          ...(settings.doh ? { doh: settings.doh } : {}),
          timeoutMs: settings.timeoutSeconds * 1000,
        },
      }));
      // A CA file that cannot be read must be reported again next time, not remembered.
      context.catch(() => { if (session?.context === context) session = null; });
      session = { key, context };
    }
    return session.context;
  };

  return {
    async checkCaFiles(files, field) {
      await readCaFiles(files, field);
    },
    async runCheck(domain, { settings, probe, signal, onProgress }) {
      const run = (await contextFor(settings)).startRun();
      const timeoutMs = settings.timeoutSeconds * 1000;
      const probeMx = probe
        ? createMxProber({
            context: run,
            resolver: run.resolver,
            // Probing your own servers and partners: does each refuse mail before STARTTLS? (A second connection, never DATA.)
            checkRequiredTls: true,
            port: smtpPortFor(25),
            heloName: settings.heloName ?? defaultHeloName(),
            timeouts: timeoutsFromStep(timeoutMs),
            signal,
            onProgress: (event) => onProgress(progressOf(event)),
          })
        : undefined;
      return runCheck(domain, {
        resolver: run.resolver,
        clock,
        timeoutMs,
        caCertificates: run.caCertificates,
        bounds: run.bounds,
        dkimSelectors: settings.dkimSelectors,
        signal,
        onProgress: (event) => onProgress(progressOf(event)),
        ...(overrides.mtaStsPort ? { mtaStsPort: overrides.mtaStsPort } : {}),
        ...(probeMx ? { probeMx } : {}),
      });
    },

    async probe(host, port, { settings, signal, onProgress, tlsDomain }) {
      const run = (await contextFor(settings)).startRun();
      const bare = host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
      const result = await probeHost(run, {
        host: isIP(bare) !== 0 ? bare : normalizeDomain(bare).ascii,
        port: smtpPortFor(port),
        ...(port === 465 ? { mode: 'implicit-tls' as const } : {}),
        heloName: settings.heloName ?? defaultHeloName(),
        timeouts: timeoutsFromStep(settings.timeoutSeconds * 1000),
        signal,
        onProgress: (event) => onProgress(progressOf(event)),
        ...(tlsDomain ? { tlsDomain } : {}),
        checkRequiredTls: true,
      });
      if (result.addressError) throw new InputError(`${result.addressError}.`, 'host');
      const [first, ...others] = result.probes;
      if (!first) throw new Error('the probe returned no report');
      return {
        ...first,
        findings: [...first.findings, ...result.findings],
        ...(others.length > 0 ? { otherAddresses: others } : {}),
      };
    },

    async runPartners(partners, { settings, signal, expiryWindowDays, onResult }) {
      const context = await contextFor(settings);
      const trust = [...context.caCertificates, ...context.publicCaCertificates];
      const rehearsalAnchors = overrides.rehearsalAnchors ?? rehearsalSubjects(context.publicCaCertificates);
      return runPartners(partners, {
        newResolver: () => resolverFor(settings),
        clock,
        port: smtpPortFor(25),
        concurrency: 16,
        expiryWindowDays,
        ...(rehearsalAnchors.length > 0 ? { rehearsalAnchors } : {}),
        probe: { heloName: settings.heloName ?? defaultHeloName(), timeouts: timeoutsFromStep(settings.timeoutSeconds * 1000), trust, clock },
        compose: composePartnerMessage,
        signal,
        onResult,
      });
    },

    dnsQuery: async (name, type, { settings, signal }) => (await contextFor(settings)).resolver.query(normalizeDomain(name).ascii, type, { signal }),

    // Off the main thread, with a deadline: imports can be large (security issue item 2).
    buildPlan: (profile, existing, observations) => buildPlanInWorker({ profile, existing, observations }),

    importConnectors(file) {
      try {
        return { fileName: file.fileName, connectors: importConnectors(file.fileName, file.text).map(summarise), problems: [] };
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return { fileName: file.fileName, connectors: [], problems: [{ ...(error.where ? { where: error.where } : {}), message: error.message }] };
      }
    },
  };
}
