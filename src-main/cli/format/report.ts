import type { CheckReport, DeliveryVerdict } from '../../contract/check';
import type { DnsAnswer } from '../../contract/dns';
import { FINDING_AREAS, type FindingArea } from '../../contract/finding-order';
import { safe, type Style } from './style';
import { renderFindings, renderProblemSummary } from './findings';
import { renderMxPredictions, renderMxProbeTable } from './probe-report';

/**
 * Human output of `check`, for a mail admin reading top to bottom: the MX
 * hosts, the SMTP probe table and what an Exchange Online connector would do
 * with each address, then the findings grouped by area (worst first, one
 * why/fix per code), and at the end the tally and every problem code with
 * whom it concerns, so nothing needs scrolling back for.
 */
const AREA_TITLES: Readonly<Record<FindingArea, string>> = {
  dns: 'DNS', mx: 'MX (where mail goes)', spf: 'SPF', dmarc: 'DMARC', dkim: 'DKIM', autodiscover: 'Autodiscover',
  'mta-sts': 'MTA-STS', 'tls-rpt': 'TLS-RPT', dane: 'DANE', 'reverse-dns': 'Reverse DNS', smtp: 'SMTP', tls: 'TLS',
  certificate: 'Certificates', connector: 'Connectors', plan: 'Plan',
};

const MAX_EVIDENCE_LINES = 8;

export function renderCheckReport(report: CheckReport, style: Style): string {
  const out: string[] = [];
  const name = report.domainUnicode !== report.domain ? `${report.domainUnicode} (${report.domain})` : report.domain;
  out.push(style.bold(`Mail domain check: ${safe(name)}`));
  out.push(style.dim(`resolver ${safe(report.resolver)} · ${report.elapsedMs} ms · ${report.startedAt}`));
  if (report.verdict) out.push('', ...renderVerdict(report.verdict, style));
  if (report.verdict?.delivery === 'accepts-no-mail' && report.findings.some((f) => f.code === 'MX_NULL')) {
    out.push('', style.bold('MX hosts'), `      0  .  ${style.yellow('accepts no mail (null MX)')}`);
  } else if (report.mx.length > 0) {
    out.push('', style.bold('MX hosts'));
    for (const mx of report.mx) {
      out.push(`  ${String(mx.preference).padStart(5)}  ${safe(mx.host)}  ${mx.addresses.length > 0 ? mx.addresses.join(', ') : style.red(mx.addressError ? safe(mx.addressError) : 'no address')}`);
    }
  }
  out.push(...renderMxProbeTable(report.mx, style));
  out.push(...renderMxPredictions(report.mx, style));
  // Areas in the order of their worst finding (the findings come worst first), then the usual order.
  const areas = [...new Set([...report.findings.map((f) => f.area), ...FINDING_AREAS])];
  for (const area of areas) {
    const group = report.findings.filter((f) => f.area === area);
    if (group.length === 0) continue;
    out.push('', style.bold(AREA_TITLES[area]));
    out.push(...renderFindings(group, style, { maxEvidence: MAX_EVIDENCE_LINES, why: true }));
  }
  out.push('', ...renderProblemSummary(report.findings, style));
  return `${out.join('\n')}\n`;
}

const DELIVERY_WORDS: Readonly<Record<DeliveryVerdict['delivery'], string>> = {
  delivered: 'DELIVERED', 'not-delivered': 'NOT DELIVERED', 'accepts-no-mail': 'ACCEPTS NO MAIL', unknown: 'NOT KNOWN',
};

/** The verdict at the top of a domain report: delivery, encryption, each TlsSettings, in words. */
export function renderVerdict(verdict: DeliveryVerdict, style: Style): string[] {
  const word = DELIVERY_WORDS[verdict.delivery];
  const painted = verdict.delivery === 'delivered' ? style.green(word) : verdict.delivery === 'not-delivered' ? style.red(word) : style.yellow(word);
  const [headline, ...rest] = verdict.summary;
  const lines = [`${style.bold('Verdict:')} ${painted} · worst ${verdict.worst}`];
  if (headline) lines.push(`  ${safe(headline)}`);
  for (const line of rest) {
    const fails = /^(\w+): no MX can pass|^Validated TLS .* not possible|^Not encrypted/.test(line);
    lines.push(`  ${fails ? style.red(safe(line)) : safe(line)}`);
  }
  return lines;
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
