import { isIP } from 'node:net';
import type { Command } from 'commander';
import type { ProbeReport } from '../../contract/probe';
import type { Finding } from '../../contract/findings';
import { normalizeDomain } from '../../engine/dns/domain';
import { probeHost, timeoutsFromStep } from '../../engine/smtp/index';
import { EXIT, UsageError } from '../errors';
import { renderProbeReport, renderProbeTable } from '../format/probe-report';
import { createStyle, wantsColor } from '../format/style';
import { checkConnectorNameOption, collect, parseNetworkOptions, PUBLIC_CA_HELP, readCaFiles, withNetworkOptions, type DnsCommandOptions } from '../network-options';
import { buildEngineContext } from './check-deps';

/**
 * `mailflow-doctor probe <host>[:<port>]`: one SMTP server, every address of
 * it, with TLS, certificate verdicts, DANE and Exchange Online connector
 * predictions. Port 465 speaks TLS from the first byte; 587 is submission
 * with STARTTLS; 25 (default) and any other port use STARTTLS.
 */
export const PROBE_SCHEMA_VERSION = 1;

interface ProbeCommandOptions extends DnsCommandOptions {
  readonly caFile: readonly string[];
  readonly publicCa: readonly string[];
  readonly json?: boolean;
  readonly color?: boolean;
  readonly helo?: string;
  readonly mandatoryTls?: boolean;
  readonly rcpt?: string;
  readonly mailFrom?: string;
  readonly tlsDomain?: string;
  readonly tlsSenderCertificateName?: string;
  readonly acceptedDomain: readonly string[];
  readonly transcript?: boolean;
  readonly implicitTls?: boolean;
}

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  readonly isAddress: boolean;
}

/** `host`, `host:port`, `[v6]:port`, a bare IPv6 address, or an IPv4 address with a port. */
export function parseProbeTarget(text: string): ProbeTarget {
  const trimmed = text.trim();
  let host = trimmed;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
    if (isIP(host) !== 6) throw new UsageError(`${JSON.stringify(trimmed)}: only IPv6 addresses go in brackets`);
  } else if (trimmed.includes(':') && (trimmed.indexOf(':') === trimmed.lastIndexOf(':') || isIP(trimmed) !== 6)) {
    // One colon is host:port (an IPv6 address has two or more): asked first, since
    // Node's IPv6 test compiles a large regular expression (4 ms of a probe's start).
    const index = trimmed.lastIndexOf(':');
    host = trimmed.slice(0, index);
    portText = trimmed.slice(index + 1);
  }
  const port = portText === undefined ? 25 : /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${JSON.stringify(trimmed)}: the port must be a number from 1 to 65535`);
  if (isIP(host) !== 0) return { host, port, isAddress: true };
  return { host: normalizeDomain(host).ascii, port, isAddress: false };
}

const MAILBOX = /^[^\s<>()\\,;:"@]{1,64}@[A-Za-z0-9.-]{1,253}$/;

function validated(options: ProbeCommandOptions): void {
  if (options.rcpt !== undefined && !MAILBOX.test(options.rcpt)) throw new UsageError(`--rcpt ${JSON.stringify(options.rcpt)} is not an e-mail address`);
  if (options.mailFrom !== undefined && options.mailFrom !== '' && !MAILBOX.test(options.mailFrom)) throw new UsageError(`--mail-from ${JSON.stringify(options.mailFrom)} is not an e-mail address`);
  checkConnectorNameOption('--tls-domain', options.tlsDomain);
  checkConnectorNameOption('--tls-sender-certificate-name', options.tlsSenderCertificateName);
  for (const domain of options.acceptedDomain) normalizeDomain(domain);
}

export async function runProbeCommand(targetText: string, options: ProbeCommandOptions): Promise<{ target: ProbeTarget; probes: ProbeReport[]; addressError?: string; findings: Finding[] }> {
  const target = parseProbeTarget(targetText);
  const settings = parseNetworkOptions(options);
  validated(options);
  const stepMs = settings.timeoutSeconds * 1000;
  const trust = await readCaFiles(settings.caFiles);
  const context = buildEngineContext(settings, trust, await readCaFiles(settings.publicCaFiles, '--public-ca'));
  const result = await probeHost(context, {
    host: target.host,
    port: target.port,
    mode: options.implicitTls || target.port === 465 ? 'implicit-tls' as const : 'starttls' as const,
    timeouts: timeoutsFromStep(stepMs),
    ...(settings.heloName ? { heloName: settings.heloName } : {}),
    ...(options.mandatoryTls ? { mandatoryTls: true } : {}),
    ...(options.rcpt ? { rcpt: options.rcpt } : {}),
    ...(options.mailFrom !== undefined ? { mailFrom: options.mailFrom } : {}),
    ...(options.tlsDomain ? { tlsDomain: options.tlsDomain } : {}),
    ...(options.tlsSenderCertificateName ? { tlsSenderCertificateName: options.tlsSenderCertificateName } : {}),
    ...(options.acceptedDomain.length > 0 ? { acceptedDomains: options.acceptedDomain.map((d) => normalizeDomain(d).ascii) } : {}),
  });
  return { target, probes: result.probes, findings: result.findings, ...(result.addressError ? { addressError: result.addressError } : {}) };
}

export function register(program: Command): void {
  withNetworkOptions(
    program
      .command('probe')
      .description('talk SMTP to one mail server (every address): stages, STARTTLS, TLS, certificate, DANE, Exchange Online connector predictions')
      .argument('<host[:port]>', 'a host name or address, e.g. mx.contoso.com, mx.contoso.com:587, 192.0.2.10:465, [2001:db8::25]:25'),
    { dnsServer: 'ask this DNS server for the addresses and TLSA records (repeatable; default: the system\'s)', timeout: 'deadline of each step (connect, banner, each command, TLS handshake); the whole probe gets four times that', caFile: 'extra trusted CA certificates (PEM), for private CAs (repeatable)' },
  )
    .option('--public-ca <file>', PUBLIC_CA_HELP, collect, [] as string[])
    .option('--helo <name>', "the name to send in EHLO (default: this computer's name if it is a full domain name, else mailflow-doctor.invalid)")
    .option('--mandatory-tls', 'before STARTTLS, try MAIL FROM and RCPT TO in plain text (never DATA): does the server refuse?')
    .option('--rcpt <address>', 'is this recipient accepted? (RCPT TO, then RSET and QUIT; never DATA)')
    .option('--mail-from <address>', 'the sender for --rcpt and --mandatory-tls (default: the null sender <>)')
    .option('--tls-domain <domain>', 'predict an outbound connector with DomainValidation and this TlsDomain (wildcards allowed)')
    .option('--tls-sender-certificate-name <domain>', 'predict an inbound connector with this TlsSenderCertificateName')
    .option('--accepted-domain <domain>', 'an accepted domain of the tenant, for the inbound prediction (repeatable)', collect, [] as string[])
    .option('--implicit-tls', 'TLS from the first byte (automatic on port 465)')
    .option('--transcript', 'show the SMTP transcript')
    .option('--json', 'print one JSON document: { schemaVersion, target, port, probes[] }')
    .option('--no-color', 'plain output without colours')
    .action(async (targetText: string, options: ProbeCommandOptions) => {
      const { target, probes, addressError, findings } = await runProbeCommand(targetText, options);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ schemaVersion: PROBE_SCHEMA_VERSION, target: target.host, port: target.port, ...(addressError ? { error: addressError } : {}), ...(findings.length > 0 ? { findings } : {}), probes }, null, 2)}\n`);
      } else {
        const style = createStyle(wantsColor(options, process.stdout));
        if (options.publicCa.length > 0) process.stdout.write(`${style.yellow('REHEARSAL')}  --public-ca: the predictions treat ${options.publicCa.length === 1 ? 'that CA' : 'those CAs'} as if Exchange Online trusted ${options.publicCa.length === 1 ? 'it' : 'them'}; it does not.\n`);
        if (addressError) process.stdout.write(`${style.red('FAIL')}  ${addressError}\n`);
        for (const f of findings) process.stdout.write(`${style.yellow('WARN')}  ${f.message}\n`);
        if (probes.length > 1) process.stdout.write(`${renderProbeTable(probes.map((report) => ({ host: report.host, report })), style).join('\n')}\n\n`);
        process.stdout.write(probes.map((p) => renderProbeReport(p, style, { transcript: options.transcript === true })).join('\n'));
      }
      process.exitCode = addressError || probes.some((p) => p.findings.some((f) => f.severity === 'fail')) ? EXIT.failFinding : EXIT.ok;
    });
}
