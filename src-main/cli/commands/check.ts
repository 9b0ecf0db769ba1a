import type { Command } from 'commander';
import { comparisonFindings, runCheck, sortFindings, withVerdict } from '../../engine/checks/index';
import type { CheckDeps } from '../../engine/checks/index';
import { compareResolvers, normalizeDomain } from '../../engine/dns/index';
import { ownServerFindings, parseSpfAddress } from '../../engine/spf/index';
import type { CheckReport } from '../../contract/check';
import { EXIT, UsageError } from '../errors';
import { renderCheckReport } from '../format/report';
import { createStyle, wantsColor } from '../format/style';
import { buildCheckDeps, buildResolver, collect, parseNetworkOptions, withNetworkOptions, type CheckCommandOptions } from './check-deps';

/**
 * `mailflow-doctor check <domain>`: MX, SPF, DMARC, DKIM, autodiscover,
 * MTA-STS, TLS-RPT, DANE and reverse DNS, all lookups at once.
 * Exit 0: the verdict's worst is not fail; 1: it is (a failing finding, mail not
 * delivered, or no MX can pass CertificateValidation); 2: bad input.
 *
 * `extendDeps` lets later options (SMTP probes) add to the dependencies
 * without changing this flow.
 */
export type DepsExtension = (deps: CheckDeps, options: CheckCommandOptions & Record<string, unknown>) => CheckDeps | Promise<CheckDeps>;
const extensions: DepsExtension[] = [];
export function extendCheckDeps(extension: DepsExtension): void {
  extensions.push(extension);
}

/** Findings that need the whole report (e.g. PORT25_BLOCKED across every MX's probes). */
export type ReportExtension = (report: CheckReport, options: CheckCommandOptions & Record<string, unknown>) => CheckReport;
const reportExtensions: ReportExtension[] = [];
export function extendCheckReport(extension: ReportExtension): void {
  reportExtensions.push(extension);
}

export async function runCheckCommand(domainArg: string, options: CheckCommandOptions & Record<string, unknown>): Promise<{ report: CheckReport; exitCode: number }> {
  const domain = normalizeDomain(domainArg); // bad input -> exit 2 before any lookup
  const senderIps = senderIpOption(options['senderIp']);
  if (options.compareDns.length !== 0 && options.compareDns.length !== 2) throw new UsageError('--compare-dns needs exactly two resolvers: --compare-dns A --compare-dns B');
  let deps = await buildCheckDeps(options);
  for (const extend of extensions) deps = await extend(deps, options);
  const compare = options.compareDns.length === 2
    ? compareResolvers(domain.ascii,
      { label: options.compareDns[0]!, resolver: buildResolver(parseNetworkOptions({ dnsServer: [options.compareDns[0]!], timeout: options.timeout })) },
      { label: options.compareDns[1]!, resolver: buildResolver(parseNetworkOptions({ dnsServer: [options.compareDns[1]!], timeout: options.timeout })) })
    : undefined;
  const [report, comparison, senderIpFindings] = await Promise.all([runCheck(domain.ascii, deps), compare, ownServerFindings(domain.ascii, senderIps, { resolver: deps.resolver })]);
  const withComparison: CheckReport = comparison
    ? { ...report, domainUnicode: domain.unicode, findings: sortFindings([...report.findings, ...comparisonFindings(domain.ascii, comparison)]) }
    : { ...report, domainUnicode: domain.unicode };
  let finalReport = senderIpFindings.length > 0 ? { ...withComparison, findings: sortFindings([...withComparison.findings, ...senderIpFindings]) } : withComparison;
  for (const extend of reportExtensions) finalReport = extend(finalReport, options);
  // The delivery verdict is judged on the final findings, and its `worst` is the exit code (issue 8).
  finalReport = withVerdict(finalReport);
  const exitCode = finalReport.verdict?.worst === 'fail' ? EXIT.failFinding : EXIT.ok;
  return { report: finalReport, exitCode };
}

/** `--sender-ip` values: IPv4 or IPv6 addresses, checked before any lookup. */
function senderIpOption(value: unknown): string[] {
  const ips = Array.isArray(value) ? value.map((v) => String(v).trim()) : [];
  for (const ip of ips) if (!parseSpfAddress(ip)) throw new UsageError(`--sender-ip ${JSON.stringify(ip)} is not an IPv4 or IPv6 address`);
  return ips;
}

export function register(program: Command): void {
  withNetworkOptions(
    program
      .command('check')
      .description('check a mail domain: MX, SPF, DMARC, DKIM, autodiscover, MTA-STS, TLS-RPT, DANE, reverse DNS')
      .argument('<domain>', 'the domain, e.g. contoso.com (also accepts bob@contoso.com or https://contoso.com/)'),
    { dnsServer: 'ask this DNS server, e.g. 1.1.1.1, 127.0.0.1:5300, [::1]:53 (repeatable; default: the system\'s)', timeout: 'deadline of each network step', caFile: 'extra trusted CA certificates (PEM), for private CAs: MTA-STS fetch, DoH server, SMTP certificates (repeatable)' },
  )
    .option('--dkim-selector <name>', 'also check this DKIM selector (repeatable)', collect, [] as string[])
    .option('--sender-ip <address>', 'also evaluate SPF for mail this address sends as the domain (your own server\'s public IP; repeatable)', collect, [] as string[])
    .option('--compare-dns <address>', 'compare MX and addresses between two resolvers (give it twice)', collect, [] as string[])
    .option('--json', 'print the report as one JSON document (stable interface)')
    .option('--no-color', 'plain output without colours')
    .action(async (domainArg: string, options: CheckCommandOptions & Record<string, unknown>) => {
      const { report, exitCode } = await runCheckCommand(domainArg, options);
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(renderCheckReport(report, createStyle(wantsColor(options, process.stdout))));
      process.exitCode = exitCode;
    });
}
