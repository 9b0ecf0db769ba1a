import { readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ImportFile, ImportPreview, NetworkSettings } from '../contract/api';
import type { DnsAnswer } from '../contract/dns';
import { InputError } from '../contract/errors';
import type { ExistingConnector } from '../contract/planner';
import { runCheck } from '../engine/checks/index';
import { systemClock } from '../engine/clock';
import type { Clock } from '../engine/clock';
import { createResolver, normalizeDomain } from '../engine/dns/index';
import type { Resolver } from '../engine/dns/index';
import { createMxProber, defaultHeloName, timeoutsFromStep } from '../engine/smtp/index';
import { buildPlan, importConnectors } from '../planner/index';
import { runPartners } from '../engine/partners/run';
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

const MAX_CA_FILE_BYTES = 1024 * 1024;

/** A resolver from the user's network settings. */
export function resolverFor(settings: NetworkSettings): Resolver {
  return createResolver({
    ...(settings.dnsServers.length > 0 ? { servers: settings.dnsServers } : {}),
    ...(settings.doh ? { doh: settings.doh } : {}),
    timeoutMs: settings.timeoutSeconds * 1000,
  });
}

/**
 * Reads the extra CA files named in the settings. Only PEM certificates are
 * accepted and the text never goes back to the renderer: the settings can name
 * a path, not read a file through the app.
 */
export async function readCaFiles(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file, index) => {
      const where = `settings.caFiles.${index}`;
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new InputError(`The CA file "${file}" was not found; fix it in Settings.`, where);
      if (info.size > MAX_CA_FILE_BYTES) throw new InputError(`The CA file "${file}" is larger than 1 MB; it is not a CA certificate file.`, where);
      const text = await readFile(file, 'utf8');
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new InputError(`The CA file "${file}" holds no PEM certificate.`, where);
      return text;
    }),
  );
}

const progressOf = (event: { step: string; status: EngineProgress['status']; detail?: string | undefined }): EngineProgress =>
  event.detail === undefined ? { step: event.step, status: event.status } : { step: event.step, status: event.status, detail: event.detail };

function firstAddress(a: DnsAnswer, aaaa: DnsAnswer): string | undefined {
  for (const answer of [a, aaaa]) {
    for (const record of answer.records) if (record.type === 'A' || record.type === 'AAAA') return record.address;
  }
  return undefined;
}

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

function readImports(files: readonly ImportFile[]): ExistingConnector[] {
  return files.flatMap((file) => importConnectors(file.fileName, file.text));
}

/**
 * The real engine behind the handler table: DNS and checks (issue 2), SMTP and
 * TLS probes (issue 3) and the planner (issue 4), adapted to `EngineDeps`.
 */
export function createDefaultEngine(overrides: EngineOverrides = {}): EngineDeps {
  const clock = overrides.clock ?? systemClock;
  const trustFor = (settings: NetworkSettings): Promise<string[]> => readCaFiles([...settings.caFiles, ...(overrides.caFiles ?? [])]);
  const smtpPortFor = (port: number): number => (port === 25 && overrides.smtpPort ? overrides.smtpPort : port);

  return {
    async checkCaFiles(files) {
      await readCaFiles(files);
    },
    async runCheck(domain, { settings, probe, signal, onProgress }) {
      const resolver = resolverFor(settings);
      const timeoutMs = settings.timeoutSeconds * 1000;
      const trust = await trustFor(settings);
      const probeMx = probe
        ? createMxProber({
            resolver,
            port: smtpPortFor(25),
            heloName: settings.heloName ?? defaultHeloName(),
            timeouts: timeoutsFromStep(timeoutMs),
            trust,
            clock,
            signal,
            onProgress: (event) => onProgress(progressOf(event)),
          })
        : undefined;
      return runCheck(domain, {
        resolver,
        clock,
        timeoutMs,
        caCertificates: trust,
        dkimSelectors: settings.dkimSelectors,
        signal,
        onProgress: (event) => onProgress(progressOf(event)),
        ...(overrides.mtaStsPort ? { mtaStsPort: overrides.mtaStsPort } : {}),
        ...(probeMx ? { probeMx } : {}),
      });
    },

    async probe(host, port, { settings, signal, onProgress, tlsDomain }) {
      const resolver = resolverFor(settings);
      const bare = host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
      let address: string | undefined = isIP(bare) ? bare : undefined;
      if (!address) {
        const ascii = normalizeDomain(bare).ascii;
        onProgress({ step: `dns:A ${ascii}`, status: 'started' });
        const [a, aaaa] = await Promise.all([resolver.query(ascii, 'A', { signal }), resolver.query(ascii, 'AAAA', { signal })]);
        address = firstAddress(a, aaaa);
        onProgress({ step: `dns:A ${ascii}`, status: address ? 'done' : 'failed', ...(address ? { detail: address } : {}) });
        if (!address) throw new InputError(`${ascii} has no address (no A or AAAA record): ${a.outcome}/${aaaa.outcome}.`, 'host');
      }
      const actualPort = smtpPortFor(port);
      const prober = createMxProber({
        ...(isIP(bare) ? {} : { resolver }),
        port: actualPort,
        ...(port === 465 ? { mode: 'implicit-tls' as const } : {}),
        heloName: settings.heloName ?? defaultHeloName(),
        timeouts: timeoutsFromStep(settings.timeoutSeconds * 1000),
        trust: await trustFor(settings),
        clock,
        signal,
        onProgress: (event) => onProgress(progressOf(event)),
        ...(tlsDomain ? { tlsDomain } : {}),
      });
      const [report] = await prober({ host: bare, preference: 0, addresses: [address] });
      if (!report) throw new Error('the probe returned no report');
      return report;
    },

    async runPartners(partners, { settings, signal, expiryWindowDays, onResult }) {
      const trust = await trustFor(settings);
      return runPartners(partners, {
        newResolver: () => resolverFor(settings),
        clock,
        port: smtpPortFor(25),
        concurrency: 16,
        expiryWindowDays,
        ...(overrides.rehearsalAnchors ? { rehearsalAnchors: overrides.rehearsalAnchors } : {}),
        probe: { heloName: settings.heloName ?? defaultHeloName(), timeouts: timeoutsFromStep(settings.timeoutSeconds * 1000), trust, clock },
        compose: composePartnerMessage,
        signal,
        onResult,
      });
    },

    dnsQuery: (name, type, { settings, signal }) => resolverFor(settings).query(normalizeDomain(name).ascii, type, { signal }),

    buildPlan: (profile, existing, observations) => {
      const connectors = readImports(existing);
      return buildPlan(profile, connectors, observations, { existingImported: existing.length > 0 });
    },

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
