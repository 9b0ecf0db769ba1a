import type { CheckReport } from '../contract/check';
import type { Finding } from '../contract/findings';
import { sortBySeverity } from '../contract/finding-order';
import type { ConnectorPrediction, ProbeReport } from '../contract/probe';
import { certificateSummaryWord } from '../contract/words';
import type { DeliveryVerdict } from '../contract/check';
import { formatDateTime } from '../contract/time';
import { escapeMarkdown as md, markdownCodeBlock, markdownWithCode } from '../text/escape';

const SEVERITY_WORD: Readonly<Record<Finding['severity'], string>> = { fail: 'FAIL', warn: 'WARN', info: 'INFO', ok: 'OK' };

function findingsSection(findings: readonly Finding[], heading = '## Findings'): string[] {
  if (findings.length === 0) return [heading, '', 'No findings.', ''];
  const lines = [heading, '', '| Severity | Code | Subject | Message |', '|---|---|---|---|'];
  const sorted = sortBySeverity(findings);
  for (const f of sorted) lines.push(`| ${SEVERITY_WORD[f.severity]} | ${md(f.code)} | ${md(f.subject)} | ${markdownWithCode(f.message)} |`);
  lines.push('');
  for (const f of sorted.filter((finding) => finding.severity !== 'ok')) {
    lines.push(`### ${SEVERITY_WORD[f.severity]} ${md(f.code)}: ${md(f.subject)}`, '', markdownWithCode(f.message), '', `**Why it matters:** ${markdownWithCode(f.explanation)}`, '', `**Fix:** ${markdownWithCode(f.fix)}`, '');
    if (f.evidence.length > 0) lines.push('Evidence:', '', markdownCodeBlock(f.evidence.join('\n')), '');
  }
  return lines;
}

/**
 * STARTTLS in words. "not offered" only when the server answered EHLO
 * without it: a refused connection or a silent server says nothing about it.
 */
export function starttlsWords(probe: ProbeReport): string {
  if (probe.starttls) return 'offered';
  if (probe.mode === 'implicit-tls') return 'not used (TLS from the first byte)';
  return probe.capabilities ? 'not offered' : 'not known (the conversation ended before EHLO)';
}

/** The SMTP conversation as plain text, one line each: time (ms), `C:` sent, `S:` received, `--` event. */
export function transcriptText(probe: ProbeReport): string {
  return probe.transcript.map((line) => `${String(Math.round(line.t)).padStart(6)} ${line.direction === 'sent' ? 'C:' : line.direction === 'received' ? 'S:' : '--'} ${line.text}`).join('\n');
}

export function probeMarkdown(probe: ProbeReport, level = 2): string[] {
  const h = '#'.repeat(level);
  const lines = [`${h} SMTP ${md(probe.host)} (${md(probe.address)}) port ${probe.port}`, ''];
  if (probe.banner) lines.push(`Banner: ${md(probe.banner)}`, '');
  if (probe.certificateVerdict) lines.push(`Certificate: ${certificateSummaryWord(probe.certificateVerdict)} (chain ${probe.certificateVerdict.chain}, name ${md(probe.certificateVerdict.hostnameChecked)} ${probe.certificateVerdict.hostnameMatches ? 'matches' : 'does not match'})`, '');
  lines.push(`STARTTLS: ${starttlsWords(probe)}; TLS: ${probe.tls ? `${md(probe.tls.version)} ${md(probe.tls.cipher)}` : 'none'}; time ${Math.round(probe.elapsedMs)} ms`, '');
  lines.push('| Stage | Status | Start (ms) | Duration (ms) | Detail |', '|---|---|---|---|---|');
  for (const stage of probe.stages) lines.push(`| ${stage.name} | ${stage.status} | ${Math.round(stage.startMs)} | ${Math.round(stage.durationMs)} | ${md(stage.detail ?? '')} |`);
  lines.push('');
  if (probe.certificates.length > 0) {
    lines.push(`${h}# Certificates`, '');
    probe.certificates.forEach((cert, index) => {
      lines.push(
        `${index + 1}. **${md(cert.subject)}** issued by ${md(cert.issuer)}; valid ${md(cert.validFrom)} to ${md(cert.validTo)} (${cert.daysLeft} days left); ` +
          `${md(cert.keyType)}${cert.keyBits ? ` ${cert.keyBits} bits` : ''}; ${md(cert.signatureAlgorithm)}; names: ${md(cert.subjectAltNames.join(', ') || 'none')}; SHA-256 ${md(cert.fingerprintSha256)}`,
      );
    });
    lines.push('');
  }
  if (probe.predictions.length > 0) {
    lines.push(`${h}# Exchange Online connector predictions`, '', '| Direction | Setting | Verdict | NDR | Reason | Fix |', '|---|---|---|---|---|---|');
    for (const p of probe.predictions) lines.push(`| ${p.direction} | ${md(p.setting)} | ${p.verdict} | ${md(p.ndr ?? '')} | ${reasonCells(p).map(md).join('<br>')} | ${fixCells(p).map(md).join('<br>')} |`);
    lines.push('');
  }
  lines.push(...findingsSection(probe.findings, `${h}# Findings`));
  if (probe.transcript.length > 0) {
    lines.push(`${h}# Transcript${probe.transcriptTruncated ? ' (cut short)' : ''}`, '', markdownCodeBlock(transcriptText(probe)), '');
  }
  return lines;
}

/** Every reason of a prediction, numbered when there are several (issue 8: each with its own fix). */
export function reasonCells(p: ConnectorPrediction): string[] {
  // Reports saved before issue 8 have no `reasons`: their one reason stands.
  const reasons = (p as Partial<ConnectorPrediction>).reasons ?? [];
  if (p.verdict === 'pass' || reasons.length === 0) return [p.reason];
  return reasons.map((r, i) => `${reasons.length > 1 ? `${i + 1}. ` : ''}${r.text}`);
}

export function fixCells(p: ConnectorPrediction): string[] {
  const reasons = (p as Partial<ConnectorPrediction>).reasons ?? [];
  if (p.verdict === 'pass' || reasons.length === 0) return [p.fix];
  return reasons.map((r, i) => `${reasons.length > 1 ? `${i + 1}. ` : ''}${r.fix}`);
}

export function verdictMarkdown(verdict: DeliveryVerdict): string[] {
  return ['## Verdict', '', `**Delivery: ${verdict.delivery}** · encrypted: ${verdict.encrypted} · worst: ${SEVERITY_WORD[verdict.worst]}`, '', ...verdict.summary.map((line) => `- ${md(line)}`), ''];
}

/** The MX table's one line when the domain publishes a null MX. */
export function acceptsNoMail(report: CheckReport): boolean {
  return report.findings.some((f) => f.code === 'MX_NULL');
}

export function checkMarkdown(report: CheckReport): string {
  const lines = [
    `# Mail check: ${md(report.domainUnicode)}`,
    '',
    `Domain ${md(report.domain)}, started ${md(formatDateTime(report.startedAt))}, took ${Math.round(report.elapsedMs)} ms, resolver ${md(report.resolver)}.`,
    '',
    ...(report.verdict ? verdictMarkdown(report.verdict) : []),
    ...findingsSection(report.findings),
    '## MX',
    '',
  ];
  if (acceptsNoMail(report)) lines.push('Accepts no mail (null MX).', '');
  else if (report.mx.length === 0) lines.push('No MX hosts.', '');
  else {
    lines.push('| Preference | Host | Addresses | TLSA records |', '|---|---|---|---|');
    for (const mx of report.mx) lines.push(`| ${mx.preference} | ${md(mx.host)} | ${md(mx.addresses.join(', ') || mx.addressError || 'no address')} | ${mx.tlsa.length} |`);
    lines.push('');
  }
  for (const mx of report.mx) for (const probe of mx.probes) lines.push(...probeMarkdown(probe, 2));
  return `${lines.join('\n').trimEnd()}\n`;
}

export function probeReportMarkdown(probe: ProbeReport): string {
  return `${['# SMTP probe', '', ...probeMarkdown(probe, 2)].join('\n').trimEnd()}\n`;
}
