import { createHash } from 'node:crypto';
import {
  PARTNER_STATUS_WORDS, READINESS_SETTINGS,
  type PartnerResult, type PartnerRunSummary, type PartnerStatus, type SettingReadiness,
} from '../contract/partners';
import { escapeMarkdown, html, SafeHtml } from '../text/escape';

/**
 * Exports of a partner run: CSV, JSON Lines, Markdown (the messages) and a
 * printable HTML evidence report (A4). Each is written piece by piece (a
 * head, one piece per partner, a foot), so a list of any length is exported
 * without holding every answer in memory.
 */

/** The order partners are listed in reports: the ones needing action first. */
export const STATUS_ORDER: readonly PartnerStatus[] = ['not-ready', 'unreachable', 'no-mail', 'ready-with-warnings', 'ready'];

// ---------------------------------------------------------------- CSV

export const PARTNER_CSV_COLUMNS = [
  'domain', 'name', 'direction', 'status', 'daysToExpiry',
  'EncryptionOnly', 'CertificateValidation', 'DomainValidation', 'TlsDomain',
  'TlsSenderCertificateName', 'SenderIPAddresses', 'mx', 'summary', 'checkedAt',
] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would read as a formula
 * (= + - @, tab, CR) gets a leading apostrophe: partner names and server
 * texts are untrusted.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function partnerCsvHeader(): string {
  return `${PARTNER_CSV_COLUMNS.join(',')}\r\n`;
}

export function partnerCsvRow(r: PartnerResult): string {
  const v = (s: SettingReadiness): string => s.verdict;
  const cells = [
    r.domainUnicode, r.name ?? '', r.direction, r.statusWords, r.daysToExpiry,
    v(r.readiness.EncryptionOnly), v(r.readiness.CertificateValidation), v(r.readiness.DomainValidation), r.readiness.DomainValidation.value ?? '',
    r.readiness.TlsSenderCertificateName.verdict === 'pass' ? r.readiness.TlsSenderCertificateName.value ?? '' : r.readiness.TlsSenderCertificateName.verdict,
    r.readiness.SenderIPAddresses.verdict === 'pass' ? (r.readiness.SenderIPAddresses.values ?? []).join(' ') : r.readiness.SenderIPAddresses.verdict,
    r.mx.map((m) => `${m.host} (${m.address})`).join('; '), r.summary, r.checkedAt,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

// ---------------------------------------------------------------- JSON Lines

/** One line per partner: the `PartnerResult` object (stable interface, see contract/partners.ts). */
export function partnerJsonLine(r: PartnerResult): string {
  return `${JSON.stringify(r)}\n`;
}

// ---------------------------------------------------------------- Markdown (messages)

export function partnerMarkdownHead(summary: PartnerRunSummary, meta: ReportMeta): string {
  return `# Partner TLS readiness\n\n${escapeMarkdown(summaryWords(summary, meta))}\n\n${meta.rehearsal ? `> ${escapeMarkdown(meta.rehearsal)}\n\n` : ''}`;
}

export function partnerMarkdownSection(r: PartnerResult): string {
  const head = `## ${escapeMarkdown(r.name ? `${r.name} (${r.domainUnicode})` : r.domainUnicode)}: ${r.statusWords}\n\n${escapeMarkdown(r.summary)}\n\n`;
  if (!r.message) return head;
  return `${head}**Message to the partner** (subject: ${escapeMarkdown(r.message.subject)}${r.contact ? `; to ${escapeMarkdown(r.contact)}` : ''})\n\n${r.message.markdown}\n`;
}

// ---------------------------------------------------------------- HTML (evidence report)

export interface ReportMeta {
  readonly generatedAt: Date;
  /** The rehearsal note when `--public-ca` CAs were treated as public. */
  readonly rehearsal?: string;
}

const STYLE = `
@page { size: A4; margin: 14mm 12mm; }
:root { --fail: #b3261e; --warn: #8a5a00; --ok: #1e6b35; --line: #8886; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem auto; max-width: 54rem; padding: 0 1rem; color: #111; background: #fff; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid var(--line); } h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; } th, td { border: 1px solid var(--line); padding: .2rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 9pt/1.35 ui-monospace, Consolas, monospace; border: 1px solid var(--line); padding: .4rem; }
.st { font-weight: 600; } .st-not-ready, .st-unreachable, .st-no-mail, .v-fail { color: var(--fail); } .st-ready-with-warnings, .v-unknown { color: var(--warn); } .st-ready, .v-pass { color: var(--ok); }
.meta { color: #555; } .note { border-left: 4px solid var(--warn); padding-left: .6rem; }
section.partner { break-inside: auto; } section.partner h2 { break-after: avoid; } table, pre, .keep { break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
export const PARTNER_REPORT_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

function summaryWords(summary: PartnerRunSummary, meta: ReportMeta): string {
  const counts = STATUS_ORDER.map((s) => `${PARTNER_STATUS_WORDS[s]}: ${summary.counts[s] ?? 0}`).join(', ');
  const tail = summary.stoppedBecause ? ` Stopped early: ${summary.stoppedBecause}` : summary.cancelled ? ' Cancelled: only the partners checked before are listed.' : '';
  return `${summary.done} of ${summary.total} partners checked on ${meta.generatedAt.toISOString()} (${counts}; certificates expiring within ${summary.expiryWindowDays} days: ${summary.expiringSoon}).${tail}`;
}

export function partnerHtmlHead(summary: PartnerRunSummary, meta: ReportMeta, expiring: readonly PartnerResult[] = []): string {
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PARTNER_REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Partner TLS readiness</title>
<style>${new SafeHtml(STYLE)}</style></head>
<body><header><h1>Partner TLS readiness: evidence report</h1><p class="meta">Made by Mailflow Doctor on ${meta.generatedAt.toISOString()}</p></header>
${meta.rehearsal ? html`<p class="note"><strong>Rehearsal:</strong> ${meta.rehearsal}</p>` : ''}
<h2>Summary</h2>
<table class="keep"><thead><tr>${STATUS_ORDER.map((s) => html`<th>${PARTNER_STATUS_WORDS[s]}</th>`)}<th>Expiring within ${summary.expiryWindowDays} days</th><th>Checked</th></tr></thead>
<tbody><tr>${STATUS_ORDER.map((s) => html`<td class="st st-${s}">${summary.counts[s] ?? 0}</td>`)}<td>${summary.expiringSoon}</td><td>${summary.done} of ${summary.total}</td></tr></tbody></table>
${summary.stoppedBecause ? html`<p class="note"><strong>Stopped early:</strong> ${summary.stoppedBecause}</p>` : summary.cancelled ? html`<p class="note">The run was cancelled: only the partners checked before are listed.</p>` : ''}
${expiring.length > 0 ? html`<h3>Certificates expiring within ${summary.expiryWindowDays} days</h3><ul>${expiring.map((r) => html`<li>${r.domainUnicode}: ${r.daysToExpiry} day(s)</li>`)}</ul>` : ''}`.value}\n`;
}

const VERDICT_WORDS: Readonly<Record<SettingReadiness['verdict'], string>> = { pass: 'pass', fail: 'fail', unknown: 'unknown', 'not-applicable': 'n/a' };

export function partnerHtmlSection(r: PartnerResult): string {
  const title = r.name ? `${r.name} (${r.domainUnicode})` : r.domainUnicode;
  return `${html`<section class="partner" id="${`p-${r.domain}`}">
<h2>${title}: <span class="st st-${r.status}">${r.statusWords}</span></h2>
<p>${r.summary}</p>
<p class="meta">Direction ${r.direction}${r.tlsDomain ? `; TlsDomain asked: ${r.tlsDomain}` : ''}; checked ${r.checkedAt}; first certificate expiry: ${r.daysToExpiry === null ? 'no certificate read' : `${r.daysToExpiry} day(s)`}</p>
<table><thead><tr><th>Setting</th><th>Verdict</th><th>Value</th><th>Reason</th><th>Fix</th></tr></thead><tbody>
${READINESS_SETTINGS.map((s) => {
    const x = r.readiness[s];
    return html`<tr><td>${s}</td><td class="v-${x.verdict}">${VERDICT_WORDS[x.verdict]}</td><td>${x.value ?? ''}</td><td>${x.reason}</td><td>${x.verdict === 'fail' || x.verdict === 'unknown' ? x.fix : ''}</td></tr>`;
  })}
</tbody></table>
${r.mx.length > 0 ? html`<h3>MX results</h3><table><thead><tr><th>MX</th><th>Reached</th><th>TLS</th><th>Certificate</th><th>Failing stage</th></tr></thead><tbody>
${r.mx.map((m) => html`<tr><td>${m.preference} ${m.host}<br>${m.address}:${m.port}</td><td>${m.reached ? 'yes' : 'no'}</td><td>${m.tlsVersion ?? (m.starttls ? 'STARTTLS offered, no TLS' : 'no STARTTLS')}</td>
<td>${m.certificate ? html`${m.certificate.summary}<br>Subject: ${m.certificate.subject}<br>Issuer: ${m.certificate.issuer}<br>${m.certificate.validFrom} to ${m.certificate.validTo} (${m.certificate.daysLeft} days)<br>Names: ${m.certificate.names.join(', ')}` : 'none'}</td>
<td>${m.failedStage ? html`${m.failedStage}: ${m.failure ?? ''}` : ''}</td></tr>`)}
</tbody></table>` : ''}
${r.problems.length > 0 ? html`<h3>Problems and warnings</h3><ul>${r.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
${r.message ? html`<h3>Message to the partner${r.contact ? ` (${r.contact})` : ''}</h3><p><strong>Subject:</strong> ${r.message.subject}</p><pre>${r.message.text}</pre>` : ''}
</section>`.value}\n`;
}

export function partnerHtmlFoot(): string {
  return '</body></html>\n';
}

