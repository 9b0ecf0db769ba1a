import { createHash } from 'node:crypto';
import type { CheckReport } from '../contract/check';
import type { Finding } from '../contract/findings';
import type { Diagram } from '../contract/api';
import type { FlowStatus, Plan } from '../contract/planner';
import type { ProbeReport } from '../contract/probe';
import { html, SafeHtml } from '../text/escape';
import { acceptsNoMail, fixCells, reasonCells, starttlsWords, transcriptText } from './markdown';
import { sortBySeverity } from '../contract/finding-order';
import { formatDateTime } from '../contract/time';
import { actorWords, certificateSummaryWord, connectorEndWords, flowStatusLabel, splitInlineCode } from '../contract/words';

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
td, th { overflow-wrap: anywhere; } code { font: 12px ui-monospace, Consolas, monospace; overflow-wrap: anywhere; }
td code.hash { word-break: break-all; }
pre.ps { white-space: normal; word-break: normal; } pre.ps .ps-line { display: block; padding-left: 2ch; text-indent: -2ch; } pre.ps .ps-t { white-space: pre; }
.sev { font-weight: 600; } .sev-fail { color: var(--fail); } .sev-warn { color: var(--warn); } .sev-ok { color: var(--ok); } .sev-info { color: var(--info); }
.meta { color: GrayText; } .finding { border-left: 4px solid var(--line); padding-left: .75rem; margin: .75rem 0; break-inside: avoid; }
.finding.sev-fail { border-color: var(--fail); } .finding.sev-warn { border-color: var(--warn); }
figure.diagram { margin: 1rem 0; } figure.diagram svg { width: 100%; height: auto; border: 1px solid var(--line); }
@page { size: A4; margin: 14mm 12mm; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { break-after: avoid; } tr, .finding { break-inside: avoid; } pre { break-inside: auto; } a { color: inherit; } table { font-size: 9pt; } }
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
<body><header><h1>${title}</h1><p class="meta">Made by Mailflow Doctor on ${formatDateTime(generatedAt.toISOString())}</p></header>
${body}
</body></html>`.value}\n`;
}

/** Text with its `backticked` parts as <code>: every part escaped, so finding text never becomes markup. */
export function codeText(text: string): SafeHtml {
  return html`${splitInlineCode(text).map((part) => (part.code ? html`<code>${part.text}</code>` : html`${part.text}`))}`;
}

/**
 * A PowerShell script for reading and printing: each line wraps only between
 * a parameter with its value and the next (each kept on one piece), never
 * inside a value, so what is printed can be typed again as it stands.
 */
export function powerShellHtml(script: string): SafeHtml {
  return html`<pre class="ps">${script.split('\n').map((line) => html`<span class="ps-line">${powerShellPieces(line).map((piece, i) => html`${i > 0 ? ' ' : ''}<span class="ps-t">${piece}</span>`)}</span>\n`)}</pre>`;
}

/** A line split at spaces outside quotes, each `-Parameter` kept with its value. */
export function powerShellPieces(line: string): string[] {
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of line.slice(indent.length)) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === ' ') {
      if (current) words.push(current);
      current = '';
    } else current += ch;
  }
  if (current) words.push(current);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    if (word.startsWith('-') && next !== undefined && !next.startsWith('-') && next !== '`') {
      pieces.push(`${word} ${next}`);
      i++;
    } else pieces.push(word);
  }
  if (indent && pieces.length > 0) pieces[0] = `${indent}${pieces[0]}`;
  return pieces;
}

function findingsHtml(findings: readonly Finding[], options: { readonly codes: boolean } = { codes: true }): SafeHtml {
  if (findings.length === 0) return html`<p>No findings.</p>`;
  return html`${sortBySeverity(findings).map(
    (f) => html`<section class="finding sev-${f.severity}">
<h3><span class="sev sev-${f.severity}">${SEVERITY_LABEL[f.severity]}</span> ${options.codes ? html`<code>${f.code}</code> ` : ''}${f.subject}</h3>
<p>${codeText(f.message)}</p>
${f.severity === 'ok' ? '' : html`<p><strong>Why it matters:</strong> ${codeText(f.explanation)}</p><p><strong>Fix:</strong> ${codeText(f.fix)}</p>`}
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
${probe.certificates.map((c) => html`<tr><td>${c.subject}</td><td>${c.issuer}</td><td>${c.subjectAltNames.join(', ')}</td><td>${c.validFrom} to ${c.validTo} (${c.daysLeft} days left)</td><td>${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''}, ${c.signatureAlgorithm}</td><td><code class="hash">${c.fingerprintSha256}</code></td></tr>`)}
</tbody></table>` : ''}
${probe.predictions.length > 0 ? html`<h3>Exchange Online connector predictions</h3><table><thead><tr><th>Direction</th><th>Setting</th><th>Verdict</th><th>NDR</th><th>Reason</th><th>Fix</th></tr></thead><tbody>
${probe.predictions.map((p) => html`<tr><td>${p.direction}</td><td>${p.setting}</td><td>${p.verdict}</td><td>${p.ndr ?? ''}</td><td>${reasonCells(p).map((r, i) => html`${i > 0 ? html`<br>` : ''}${r}`)}</td><td>${fixCells(p).map((f, i) => html`${i > 0 ? html`<br>` : ''}${f}`)}</td></tr>`)}
</tbody></table>` : ''}
<h3>Findings</h3>${findingsHtml(probe.findings)}
${probe.transcript.length > 0 ? html`<h3>Transcript${probe.transcriptTruncated ? ' (cut short)' : ''}</h3><pre>${transcriptText(probe)}</pre>` : ''}`;
}

export function checkHtml(report: CheckReport, generatedAt: Date): string {
  const verdict = report.verdict;
  const body = html`<p class="meta">Domain ${report.domain}; started ${formatDateTime(report.startedAt)}; ${Math.round(report.elapsedMs)} ms; resolver ${report.resolver}</p>
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

const DEVICE_OPTION_WORDS: Readonly<Record<Plan['deviceRecommendations'][number]['option'], string>> = {
  'smtp-auth': 'SMTP AUTH client submission (it logs in to Office 365)',
  'direct-send': 'Direct send (to your own mailboxes only)',
  'smtp-relay': 'SMTP relay through a connector',
};

/**
 * The plan as a person would send it: in the article's words (John, Bob,
 * Sun, the partner's name, "Connector needed"), connectors by their names,
 * never the plan's internal ids.
 */
const STATUS_COLOUR: Readonly<Record<FlowStatus, string>> = {
  covered: '#1e6b35',
  'connector-missing': '#b3261e',
  'no-connector-needed': '#6b6b73',
  'not-possible': '#6a3fb5',
  'tls-failing': '#8a5a00',
  'not-checked': '#33507a',
};

/**
 * The app's diagram as inline SVG, from the layout the app drew (boxes,
 * curves, labels): the same picture on paper. Every word is escaped text.
 */
export function diagramSvg(diagram: Diagram): SafeHtml {
  const xs = [...diagram.nodes.flatMap((n) => [n.x, n.x + n.width]), ...diagram.edges.flatMap((e) => [e.start.x, e.end.x, e.control.x, e.label.x - e.labelWidth / 2, e.label.x + e.labelWidth / 2])];
  const ys = [...diagram.nodes.flatMap((n) => [n.y, n.y + n.height]), ...diagram.edges.flatMap((e) => [e.start.y, e.end.y, e.control.y, e.label.y - 17, e.label.y + 17])];
  if (xs.length === 0) return html``;
  const left = Math.floor(Math.min(...xs)) - 10;
  const top = Math.floor(Math.min(...ys)) - 10;
  const width = Math.ceil(Math.max(...xs)) - left + 10;
  const height = Math.ceil(Math.max(...ys)) - top + 10;
  const r = (n: number) => Math.round(n * 10) / 10;
  const colours = [...new Set(diagram.edges.map((e) => e.status))];
  return html`<figure class="diagram"><svg xmlns="http://www.w3.org/2000/svg" viewBox="${left} ${top} ${width} ${height}" role="img" aria-label="Mail flow diagram" font-family="system-ui, sans-serif">
<defs>${colours.map((s) => html`<marker id="head-${s}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${STATUS_COLOUR[s]}"/></marker>`)}</defs>
${diagram.edges.map((e) => html`<path d="M ${r(e.start.x)},${r(e.start.y)} Q ${r(e.control.x)},${r(e.control.y)} ${r(e.end.x)},${r(e.end.y)}" fill="none" stroke="${STATUS_COLOUR[e.status]}" stroke-width="1.5" marker-end="url(#head-${e.status})"/>`)}
${diagram.nodes.map((n) => html`<g><rect x="${r(n.x)}" y="${r(n.y)}" width="${r(n.width)}" height="${r(n.height)}" rx="6" fill="#fff" stroke="#555"/><text x="${r(n.x + n.width / 2)}" y="${r(n.y + n.height / 2 - 4)}" text-anchor="middle" font-size="13" font-weight="700">${n.title}</text><text x="${r(n.x + n.width / 2)}" y="${r(n.y + n.height / 2 + 12)}" text-anchor="middle" font-size="9" fill="#555">${n.subtitle}</text></g>`)}
${diagram.edges.map((e) => html`<g><rect x="${r(e.label.x - e.labelWidth / 2)}" y="${r(e.label.y - 17)}" width="${r(e.labelWidth)}" height="34" rx="5" fill="#fff" stroke="${STATUS_COLOUR[e.status]}"/>${e.words.map((w, i) => html`<text x="${r(e.label.x)}" y="${r(e.label.y - 17 + 14 + i * 13)}" text-anchor="middle" font-size="11" ${i === 0 ? html`font-weight="700" fill="${STATUS_COLOUR[e.status]}"` : ''}>${w}</text>`)}</g>`)}
</svg></figure>`;
}

export function planHtml(plan: Plan, generatedAt: Date, diagram?: Diagram): string {
  const connectorName = new Map(plan.connectors.map((c) => [c.id, c.name]));
  const nameOf = (idOrName: string) => connectorName.get(idOrName) ?? idOrName;
  const body = html`${diagram && diagram.nodes.length > 0 ? html`<h2>Diagram</h2>${diagramSvg(diagram)}` : ''}
${plan.decisions.length > 0 ? html`<h2>Decisions</h2><ul>${plan.decisions.map((d) => html`<li><strong>${d.rule}</strong>: ${codeText(d.text)}</li>`)}</ul>` : ''}
<h2>Connectors</h2>${plan.connectors.length === 0 ? html`<p>No connectors are needed.</p>` : plan.connectors.map(
    (c) => html`<section class="finding"><h3>${c.name}${c.optional ? ' (optional)' : ''}</h3><p>${c.fromToText} (${c.cmdlet === 'New-InboundConnector' ? 'inbound connector' : 'outbound connector'}, from ${connectorEndWords(c.from)} to ${connectorEndWords(c.to)})</p>
<p><strong>Why:</strong> ${codeText(c.reason)}</p><p><strong>Rule:</strong> ${c.rule}</p>${c.createdBy === 'hybrid-wizard' ? html`<p>The Hybrid Configuration Wizard makes this connector; the script does not.</p>` : powerShellHtml(c.powershell)}</section>`,
  )}
<h2>Mail flows</h2><table><thead><tr><th>From</th><th>To</th><th>Path</th><th>Status</th><th>Connectors</th><th>Explanation</th></tr></thead><tbody>
${plan.flows.map((f) => html`<tr><td>${actorWords(f.from)}</td><td>${actorWords(f.to)}</td><td>${f.path.join(' → ')}</td><td>${flowStatusLabel(f.status, plan.existingImported)}</td><td>${f.connectors.length > 0 ? f.connectors.map(nameOf).join(', ') : 'none'}</td><td>${codeText(f.explanation)}${f.fix ? html`<br><strong>Fix:</strong> ${codeText(f.fix)}` : ''}</td></tr>`)}
</tbody></table>
${plan.gaps.length > 0 ? html`<h2>Points to check</h2><table><thead><tr><th>Severity</th><th>About</th><th>What</th><th>Fix</th></tr></thead><tbody>
${plan.gaps.map((g) => html`<tr><td class="sev sev-${g.severity}">${SEVERITY_LABEL[g.severity]}</td><td>${nameOf(g.subject)}</td><td>${codeText(g.message)}</td><td>${codeText(g.fix)}</td></tr>`)}
</tbody></table>` : ''}
${plan.deviceRecommendations.length > 0 ? html`<h2>Devices</h2><ul>${plan.deviceRecommendations.map((d) => html`<li><strong>${d.device}</strong>: ${DEVICE_OPTION_WORDS[d.option]}${d.feasible ? '' : ' (not possible with the answers given)'}: ${codeText(d.reason)}${d.requirements.length ? ` (needs: ${d.requirements.join('; ')})` : ''}</li>`)}</ul>` : ''}
${plan.findings.length > 0 ? html`<h2>Findings</h2>${findingsHtml(plan.findings, { codes: false })}` : ''}`;
  return page(`Connector plan: ${plan.profileName}`, generatedAt, body);
}
