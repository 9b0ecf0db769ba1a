import { createHash } from 'node:crypto';
import type { CheckReport } from '../contract/check';
import type { Finding } from '../contract/findings';
import type { Plan } from '../contract/planner';
import type { ProbeReport } from '../contract/probe';
import { html, SafeHtml } from '../text/escape';
import { certificateSummaryWord } from '../contract/probe';
import { acceptsNoMail, fixCells, reasonCells, starttlsWords, transcriptText } from './markdown';
import { sortBySeverity } from '../contract/findings';

/**
 * A printable, self-contained HTML report: one file, no scripts, no external
 * requests. The CSP allows only the one inline style sheet (by hash), so even
 * a value that slipped past escaping could not run or load anything.
 */
const STYLE = `
:root { color-scheme: light dark; --fail: #b3261e; --warn: #8a5a00; --ok: #1e6b35; --info: #33507a; --line: #8884; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid var(--line); } h3 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; } th, td { border: 1px solid var(--line); padding: .25rem .4rem; text-align: left; vertical-align: top; }
pre { white-space: pre-wrap; word-break: break-all; font: 12px/1.35 ui-monospace, Consolas, monospace; border: 1px solid var(--line); padding: .5rem; }
.sev { font-weight: 600; } .sev-fail { color: var(--fail); } .sev-warn { color: var(--warn); } .sev-ok { color: var(--ok); } .sev-info { color: var(--info); }
.meta { color: GrayText; } .finding { border-left: 4px solid var(--line); padding-left: .75rem; margin: .75rem 0; break-inside: avoid; }
.finding.sev-fail { border-color: var(--fail); } .finding.sev-warn { border-color: var(--warn); }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; } table, pre, .finding { break-inside: avoid; } a { color: inherit; } }
`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

const SEVERITY_LABEL: Readonly<Record<Finding['severity'], string>> = { fail: '✖ Fail', warn: '⚠ Warning', info: 'ℹ Info', ok: '✔ OK' };

function page(title: string, generatedAt: Date, body: SafeHtml): string {
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new SafeHtml(STYLE)}</style></head>
<body><header><h1>${title}</h1><p class="meta">Made by Mailflow Doctor on ${generatedAt.toISOString()}</p></header>
${body}
</body></html>`.value}\n`;
}

function findingsHtml(findings: readonly Finding[]): SafeHtml {
  if (findings.length === 0) return html`<p>No findings.</p>`;
  return html`${sortBySeverity(findings).map(
    (f) => html`<section class="finding sev-${f.severity}">
<h3><span class="sev sev-${f.severity}">${SEVERITY_LABEL[f.severity]}</span> <code>${f.code}</code> ${f.subject}</h3>
<p>${f.message}</p>
${f.severity === 'ok' ? '' : html`<p><strong>Why it matters:</strong> ${f.explanation}</p><p><strong>Fix:</strong> ${f.fix}</p>`}
${f.evidence.length > 0 ? html`<pre>${f.evidence.join('\n')}</pre>` : ''}
</section>`,
  )}`;
}

function probeHtml(probe: ProbeReport): SafeHtml {
  return html`<h2>SMTP ${probe.host} (${probe.address}) port ${probe.port}</h2>
${probe.banner ? html`<p>Banner: <code>${probe.banner}</code></p>` : ''}
${probe.certificateVerdict ? html`<p>Certificate: <strong>${certificateSummaryWord(probe.certificateVerdict)}</strong> (chain ${probe.certificateVerdict.chain}; name ${probe.certificateVerdict.hostnameChecked} ${probe.certificateVerdict.hostnameMatches ? 'matches' : 'does not match'})</p>` : ''}
<p>STARTTLS ${starttlsWords(probe)}; TLS ${probe.tls ? `${probe.tls.version} ${probe.tls.cipher}` : 'none'}; ${Math.round(probe.elapsedMs)} ms</p>
<table><thead><tr><th>Stage</th><th>Status</th><th>Start (ms)</th><th>Duration (ms)</th><th>Detail</th></tr></thead><tbody>
${probe.stages.map((s) => html`<tr><td>${s.name}</td><td>${s.status}</td><td>${Math.round(s.startMs)}</td><td>${Math.round(s.durationMs)}</td><td>${s.detail ?? ''}</td></tr>`)}
</tbody></table>
${probe.certificates.length > 0 ? html`<h3>Certificates</h3><table><thead><tr><th>Subject</th><th>Issuer</th><th>Names</th><th>Valid</th><th>Key</th><th>SHA-256</th></tr></thead><tbody>
${probe.certificates.map((c) => html`<tr><td>${c.subject}</td><td>${c.issuer}</td><td>${c.subjectAltNames.join(', ')}</td><td>${c.validFrom} to ${c.validTo} (${c.daysLeft} days left)</td><td>${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''}, ${c.signatureAlgorithm}</td><td><code>${c.fingerprintSha256}</code></td></tr>`)}
</tbody></table>` : ''}
${probe.predictions.length > 0 ? html`<h3>Exchange Online connector predictions</h3><table><thead><tr><th>Direction</th><th>Setting</th><th>Verdict</th><th>NDR</th><th>Reason</th><th>Fix</th></tr></thead><tbody>
${probe.predictions.map((p) => html`<tr><td>${p.direction}</td><td>${p.setting}</td><td>${p.verdict}</td><td>${p.ndr ?? ''}</td><td>${reasonCells(p).map((r, i) => html`${i > 0 ? html`<br>` : ''}${r}`)}</td><td>${fixCells(p).map((f, i) => html`${i > 0 ? html`<br>` : ''}${f}`)}</td></tr>`)}
</tbody></table>` : ''}
<h3>Findings</h3>${findingsHtml(probe.findings)}
${probe.transcript.length > 0 ? html`<h3>Transcript${probe.transcriptTruncated ? ' (cut short)' : ''}</h3><pre>${transcriptText(probe)}</pre>` : ''}`;
}

export function checkHtml(report: CheckReport, generatedAt: Date): string {
  const verdict = report.verdict;
  const body = html`<p class="meta">Domain ${report.domain}; started ${report.startedAt}; ${Math.round(report.elapsedMs)} ms; resolver ${report.resolver}</p>
${verdict ? html`<section class="finding sev-${verdict.worst}"><h2>Verdict</h2><p><strong>Delivery: ${verdict.delivery}</strong>; encrypted: ${verdict.encrypted}; worst: <span class="sev sev-${verdict.worst}">${SEVERITY_LABEL[verdict.worst]}</span></p><ul>${verdict.summary.map((line) => html`<li>${line}</li>`)}</ul></section>` : ''}
<h2>Findings</h2>${findingsHtml(report.findings)}
<h2>MX</h2>${acceptsNoMail(report) ? html`<p>Accepts no mail (null MX).</p>` : report.mx.length === 0 ? html`<p>No MX hosts.</p>` : html`<table><thead><tr><th>Preference</th><th>Host</th><th>Addresses</th><th>TLSA records</th></tr></thead><tbody>
${report.mx.map((mx) => html`<tr><td>${mx.preference}</td><td>${mx.host}</td><td>${mx.addresses.join(', ') || mx.addressError || 'no address'}</td><td>${mx.tlsa.length}</td></tr>`)}
</tbody></table>`}
${report.mx.flatMap((mx) => mx.probes.map(probeHtml))}`;
  return page(`Mail check: ${report.domainUnicode}`, generatedAt, body);
}

export function probeReportHtml(probe: ProbeReport, generatedAt: Date): string {
  return page(`SMTP probe: ${probe.host}:${probe.port}`, generatedAt, probeHtml(probe));
}

export function planHtml(plan: Plan, generatedAt: Date): string {
  const body = html`${plan.decisions.length > 0 ? html`<h2>Decisions</h2><ul>${plan.decisions.map((d) => html`<li><strong>${d.rule}</strong>: ${d.text}</li>`)}</ul>` : ''}
<h2>Connectors</h2>${plan.connectors.length === 0 ? html`<p>No connectors are needed.</p>` : plan.connectors.map(
    (c) => html`<section class="finding"><h3>${c.name}${c.optional ? ' (optional)' : ''}</h3><p>${c.fromToText} (${c.cmdlet})</p>
<p><strong>Why:</strong> ${c.reason}</p><p><strong>Rule:</strong> ${c.rule}</p><pre>${c.powershell}</pre></section>`,
  )}
<h2>Mail flows</h2><table><thead><tr><th>From</th><th>To</th><th>Path</th><th>Status</th><th>Connectors</th><th>Explanation</th></tr></thead><tbody>
${plan.flows.map((f) => html`<tr><td>${f.from}</td><td>${f.to}</td><td>${f.path.join(' → ')}</td><td>${f.status}</td><td>${f.connectors.join(', ')}</td><td>${f.explanation}${f.fix ? html`<br><strong>Fix:</strong> ${f.fix}` : ''}</td></tr>`)}
</tbody></table>
${plan.gaps.length > 0 ? html`<h2>Gaps</h2><table><thead><tr><th>Severity</th><th>Code</th><th>Subject</th><th>Message</th><th>Fix</th></tr></thead><tbody>
${plan.gaps.map((g) => html`<tr><td class="sev sev-${g.severity}">${SEVERITY_LABEL[g.severity]}</td><td><code>${g.code}</code></td><td>${g.subject}</td><td>${g.message}</td><td>${g.fix}</td></tr>`)}
</tbody></table>` : ''}
${plan.deviceRecommendations.length > 0 ? html`<h2>Devices</h2><ul>${plan.deviceRecommendations.map((d) => html`<li><strong>${d.device}</strong>: ${d.option}: ${d.reason}${d.requirements.length ? ` (needs: ${d.requirements.join('; ')})` : ''}</li>`)}</ul>` : ''}
${plan.findings.length > 0 ? html`<h2>Findings</h2>${findingsHtml(plan.findings)}` : ''}`;
  return page(`Connector plan: ${plan.profileName}`, generatedAt, body);
}
