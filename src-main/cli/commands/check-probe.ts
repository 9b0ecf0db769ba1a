import type { Command } from 'commander';
import type { CheckReport } from '../../contract/check';
import { sortFindings } from '../../engine/checks/index';
import { createMxProber, port25BlockedFinding, timeoutsFromStep } from '../../engine/smtp/index';
import { UsageError } from '../errors';
import { extendCheckDeps, extendCheckReport } from './check';
import { checkConnectorNameOption, collect, PUBLIC_CA_HELP } from '../network-options';

/**
 * The SMTP part of `check`: options on the check command, the MX prober in
 * its dependencies (each MX probed as soon as its addresses are known), and
 * PORT25_BLOCKED judged over the whole report.
 */
interface ProbeCheckOptions {
  readonly probe?: boolean;
  readonly port?: string;
  readonly helo?: string;
  readonly tlsDomain?: string;
  readonly mandatoryTls?: boolean;
}

function probeOptions(options: Record<string, unknown>): ProbeCheckOptions {
  return options as ProbeCheckOptions;
}

function parsePort(text: string | undefined): number {
  const port = text === undefined ? 25 : /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a number from 1 to 65535, not ${JSON.stringify(text)}`);
  return port;
}

/** Probe findings have the subject `host (address:port)`. */
const PROBE_SUBJECT = /\((\[[0-9a-f:]+\]|[0-9.]+):\d+\)$/i;

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  extendCheckDeps((deps, raw) => {
    const options = probeOptions(raw);
    const port = parsePort(options.port);
    // TLSA records are looked up for the probed port (`_<port>._tcp.<mx>`), so DNS and probe judge the same ones.
    if (options.probe === false) return { ...deps, smtpPort: port };
    // --helo was checked with the other network options (parseNetworkOptions, in buildCheckDeps).
    checkConnectorNameOption('--tls-domain', options.tlsDomain);
    return {
      ...deps,
      smtpPort: port,
      probeMx: createMxProber({
        ...(deps.context ? { context: deps.context } : {}),
        resolver: deps.resolver,
        port,
        mode: port === 465 ? 'implicit-tls' : 'starttls',
        timeouts: timeoutsFromStep(deps.timeoutMs),
        trust: deps.caCertificates ?? [],
        ...(deps.context ? { publicCas: deps.context.publicCaCertificates } : {}),
        clock: deps.clock,
        ...(options.helo ? { heloName: options.helo } : {}),
        ...(options.tlsDomain ? { tlsDomain: options.tlsDomain } : {}),
        ...(options.mandatoryTls ? { mandatoryTls: true } : {}),
      }),
    };
  });
  extendCheckReport((report, raw) => (probeOptions(raw).probe === false ? report : summariseProbes(report)));
}

/**
 * The probe findings of a check, read as one report: each names its host and
 * address (several MX hosts report the same codes), and when port 25 timed out
 * to every address, one PORT25_BLOCKED replaces the per-address timeouts (they
 * are its evidence, and the probe table shows each): the cause is most likely
 * this network, and one finding says so instead of a FAIL per address.
 */
export function summariseProbes(report: CheckReport): CheckReport {
  const blocked = port25BlockedFinding(report.domain, report.mx.filter((m) => m.addresses.length > 0).map((m) => m.probes));
  const named = report.findings.map((f) => (PROBE_SUBJECT.test(f.subject) && !f.message.startsWith(f.subject) ? { ...f, message: `${f.subject}: ${f.message}` } : f));
  if (!blocked) return { ...report, findings: named };
  return { ...report, findings: sortFindings([...named.filter((f) => f.code !== 'SMTP_CONNECT_TIMEOUT'), blocked]) };
}

export function register(program: Command): void {
  install();
  const check = program.commands.find((c) => c.name() === 'check');
  if (!check) return;
  check
    .option('--no-probe', 'DNS only: do not connect to the MX hosts')
    .option('--port <port>', 'SMTP port to probe on every MX (465: TLS from the first byte)', '25')
    .option('--helo <name>', "the name to send in EHLO (default: this computer's name if it is a full domain name, else mailflow-doctor.invalid)")
    .option('--tls-domain <domain>', 'predict an outbound connector with DomainValidation and this TlsDomain')
    .option('--mandatory-tls', 'before STARTTLS, try MAIL FROM and RCPT TO in plain text (never DATA): does each MX refuse?')
    .option('--public-ca <file>', PUBLIC_CA_HELP, collect, [] as string[]);
}
