import type { CheckReport } from '../../contract/check';
import type { DnsAnswer } from '../../contract/dns';
import { FindingAreaSchema, type Finding, type FindingArea, type Severity } from '../../contract/findings';
import { safe, type Style } from './style';
import { renderMxProbeTable } from './probe-report';

/** Human output of `check`: MX summary, findings grouped by area, worst first, and a one-line tally. */
const AREA_TITLES: Readonly<Record<FindingArea, string>> = {
  dns: 'DNS', mx: 'MX (where mail goes)', spf: 'SPF', dmarc: 'DMARC', dkim: 'DKIM', autodiscover: 'Autodiscover',
  'mta-sts': 'MTA-STS', 'tls-rpt': 'TLS-RPT', dane: 'DANE', 'reverse-dns': 'Reverse DNS', smtp: 'SMTP', tls: 'TLS',
  certificate: 'Certificates', connector: 'Connectors', plan: 'Plan',
};

const MAX_EVIDENCE_LINES = 8;

export function severityLabel(severity: Severity, style: Style): string {
  switch (severity) {
    case 'fail': return style.red(style.bold('FAIL'));
    case 'warn': return style.yellow('WARN');
    case 'info': return style.cyan('INFO');
    case 'ok': return style.green(' OK ');
  }
}

function renderFinding(f: Finding, style: Style): string[] {
  const lines = [`  ${severityLabel(f.severity, style)}  ${safe(f.message)} ${style.dim(`[${f.code}]`)}`];
  if (f.severity === 'warn' || f.severity === 'fail') {
    lines.push(`        ${style.bold('Why:')} ${safe(f.explanation)}`);
    lines.push(`        ${style.bold('Fix:')} ${safe(f.fix)}`);
    const evidence = f.evidence.slice(0, MAX_EVIDENCE_LINES).map((e) => `        ${style.dim('|')} ${safe(e)}`);
    if (f.evidence.length > MAX_EVIDENCE_LINES) evidence.push(`        ${style.dim(`| … ${f.evidence.length - MAX_EVIDENCE_LINES} more line(s) in --json`)}`);
    lines.push(...evidence);
  }
  return lines;
}

export function tally(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { fail: 0, warn: 0, info: 0, ok: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

export function renderCheckReport(report: CheckReport, style: Style): string {
  const out: string[] = [];
  const name = report.domainUnicode !== report.domain ? `${report.domainUnicode} (${report.domain})` : report.domain;
  out.push(style.bold(`Mail domain check: ${safe(name)}`));
  out.push(style.dim(`resolver ${safe(report.resolver)} · ${report.elapsedMs} ms · ${report.startedAt}`));
  if (report.mx.length > 0) {
    out.push('', style.bold('MX hosts'));
    for (const mx of report.mx) {
      out.push(`  ${String(mx.preference).padStart(5)}  ${safe(mx.host)}  ${mx.addresses.length > 0 ? mx.addresses.join(', ') : style.red('no address')}`);
    }
  }
  out.push(...renderMxProbeTable(report.mx, style));
  for (const area of FindingAreaSchema.options) {
    const group = report.findings.filter((f) => f.area === area);
    if (group.length === 0) continue;
    out.push('', style.bold(AREA_TITLES[area]));
    for (const f of group) out.push(...renderFinding(f, style));
  }
  const t = tally(report.findings);
  out.push('', `${t.fail > 0 ? style.red(`${t.fail} fail`) : `${t.fail} fail`}, ${t.warn > 0 ? style.yellow(`${t.warn} warn`) : `${t.warn} warn`}, ${t.info} info, ${t.ok} ok`);
  // The summary names the problems, so a long report need not be scrolled back through.
  const problems = report.findings.filter((f) => f.severity === 'fail' || f.severity === 'warn');
  if (problems.length > 0) out.push(`To fix: ${[...new Set(problems.map((f) => f.code))].join(', ')}`);
  return `${out.join('\n')}\n`;
}

export function renderDnsAnswer(answer: DnsAnswer, style: Style): string {
  const out: string[] = [];
  const status = answer.outcome === 'answer' ? style.green('answer') : ['nodata', 'nxdomain'].includes(answer.outcome) ? style.yellow(answer.outcome) : style.red(answer.outcome);
  out.push(`${style.bold(`${safe(answer.name)} ${answer.type}`)}: ${status} from ${safe(answer.server)} in ${answer.elapsedMs} ms${answer.authenticated ? ' (authenticated: AD bit set)' : ''}`);
  if (answer.cnameChain.length > 0) out.push(`  via CNAME ${answer.cnameChain.map(safe).join(' -> ')}`);
  if (answer.error) out.push(`  ${safe(answer.error)}`);
  if (answer.outcome === 'nodata') out.push('  the name exists but has no record of this type');
  if (answer.outcome === 'nxdomain') out.push('  the name does not exist');
  for (const r of answer.records) {
    const ttl = style.dim(`ttl ${r.ttl}`);
    switch (r.type) {
      case 'A': case 'AAAA': out.push(`  ${r.address}  ${ttl}`); break;
      case 'MX': out.push(`  ${r.preference} ${safe(r.exchange || '.')}  ${ttl}`); break;
      case 'TXT': out.push(`  ${r.strings.map((s) => JSON.stringify(s)).map(safe).join(' ')}  ${ttl}`); break;
      case 'CNAME': case 'PTR': case 'NS': out.push(`  ${safe(r.target)}  ${ttl}`); break;
      case 'SOA': out.push(`  ${safe(r.primary)} ${safe(r.admin)} serial ${r.serial} refresh ${r.refresh} retry ${r.retry} expire ${r.expiration} minimum ${r.minimum}  ${ttl}`); break;
      case 'TLSA': out.push(`  ${r.usage} ${r.selector} ${r.matchingType} ${r.data}  ${ttl}`); break;
    }
  }
  return `${out.join('\n')}\n`;
}
