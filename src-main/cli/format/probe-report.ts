import type { MxEntry } from '../../contract/check';
import type { Finding } from '../../contract/findings';
import type { ConnectorPrediction, ProbeReport } from '../../contract/probe';
import { safe, type Style } from './style';

/**
 * Human output of SMTP probes: the compact table (host, address, STARTTLS,
 * TLS version, certificate verdict, days left, time) for `check`, and the
 * full per-address report for `probe`. All server text goes through safe().
 */

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function verdictCell(report: ProbeReport): string {
  if (report.certificateVerdict) return report.certificateVerdict.summary;
  const failed = report.stages.find((s) => s.status === 'failed');
  return failed ? `(${failed.name} failed)` : '-';
}

function colourVerdict(text: string, style: Style): string {
  if (text === 'trusted') return style.green(text);
  if (text === 'expired' || text === 'not-yet-valid' || text.startsWith('(')) return style.red(text);
  return style.yellow(text);
}

/** One row per probed address; columns padded before colouring so they line up. */
export function renderProbeTable(rows: ReadonlyArray<{ readonly host: string; readonly report: ProbeReport }>, style: Style): string[] {
  if (rows.length === 0) return [];
  const header = ['Host', 'Address', 'Port', 'STARTTLS', 'TLS', 'Certificate', 'Days', 'Time'];
  const cells = rows.map(({ host, report }) => [
    safe(host),
    report.address.includes(':') ? `[${report.address}]` : report.address,
    String(report.port),
    report.mode === 'implicit-tls' ? 'implicit' : report.capabilities ? (report.starttls ? 'yes' : 'no') : '-',
    report.tls?.version ?? '-',
    verdictCell(report),
    report.certificateVerdict ? String(report.certificateVerdict.leafDaysLeft) : '-',
    `${report.elapsedMs} ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[], colour = false): string => `  ${c.map((cell, i) => {
    const padded = pad(cell, widths[i] ?? 0);
    if (!colour) return padded;
    if (i === 3) return cell === 'no' ? style.red(padded) : padded;
    if (i === 5) return colourVerdict(cell, style).replace(cell, padded);
    return padded;
  }).join('  ').trimEnd()}`;
  return [style.bold(line(header)), ...cells.map((c) => line(c, true))];
}

export function renderMxProbeTable(mx: readonly MxEntry[], style: Style): string[] {
  const rows = mx.flatMap((m) => m.probes.map((report) => ({ host: m.host, report })));
  return rows.length === 0 ? [] : ['', style.bold('SMTP probes'), ...renderProbeTable(rows, style)];
}

function severityWord(severity: Finding['severity'], style: Style): string {
  switch (severity) {
    case 'fail': return style.red(style.bold('FAIL'));
    case 'warn': return style.yellow('WARN');
    case 'info': return style.cyan('INFO');
    case 'ok': return style.green(' OK ');
  }
}

function predictionLine(p: ConnectorPrediction, style: Style): string[] {
  const verdict = p.verdict === 'pass' ? style.green('pass   ') : p.verdict === 'fail' ? style.red('FAIL   ') : style.yellow('unknown');
  const lines = [`  ${verdict}  ${p.direction} ${safe(p.setting)}${p.ndr ? `  ${style.bold(safe(p.ndr))}` : ''}`, `        ${safe(p.reason)}`];
  if (p.verdict !== 'pass') lines.push(`        ${style.bold('Fix:')} ${safe(p.fix)}`);
  return lines;
}

export function renderProbeReport(report: ProbeReport, style: Style, options: { transcript?: boolean } = {}): string {
  const out: string[] = [];
  const address = report.address.includes(':') ? `[${report.address}]` : report.address;
  out.push(style.bold(`SMTP probe: ${report.host === report.address ? '' : `${safe(report.host)} `}${address}:${report.port}${report.mode === 'implicit-tls' ? ' (TLS from the first byte)' : ''}`));
  if (report.banner !== null) out.push(style.dim(`banner: 220 ${safe(report.banner)}`));
  out.push('', style.bold('Stages'));
  for (const s of report.stages) {
    const status = s.status === 'ok' ? style.green('ok    ') : s.status === 'failed' ? style.red('failed') : style.dim('skipped');
    out.push(`  ${pad(s.name, 9)} ${status} ${String(s.durationMs).padStart(6)} ms  ${style.dim(safe(s.detail ?? ''))}`.trimEnd());
  }
  const caps = report.capabilitiesTls ?? report.capabilities;
  if (caps) {
    const list = [caps.starttls ? 'STARTTLS' : '', caps.size !== null ? `SIZE ${caps.size}` : '', caps.eightBitMime ? '8BITMIME' : '', caps.pipelining ? 'PIPELINING' : '',
      caps.smtpUtf8 ? 'SMTPUTF8' : '', caps.chunking ? 'CHUNKING' : '', caps.requireTls ? 'REQUIRETLS' : '', caps.auth.length > 0 ? `AUTH ${caps.auth.join(' ')}` : ''].filter(Boolean);
    out.push('', `${style.bold('Capabilities')}${report.capabilitiesTls ? ' (over TLS)' : ''}: ${safe(list.join(', ') || 'none')}`);
  }
  if (report.tls) out.push(`${style.bold('TLS')}: ${report.tls.version} ${safe(report.tls.cipher)}`);
  if (report.certificates.length > 0) {
    out.push('', style.bold('Certificates (as presented)'));
    report.certificates.forEach((c, i) => {
      out.push(`  ${i === 0 ? 'leaf' : `#${i}  `} ${safe(c.subject)}`);
      out.push(`        issuer ${safe(c.issuer)}`);
      if (c.subjectAltNames.length > 0) out.push(`        names  ${safe(c.subjectAltNames.slice(0, 8).join(', '))}${c.subjectAltNames.length > 8 ? ` (+${c.subjectAltNames.length - 8})` : ''}`);
      out.push(`        valid  ${c.validFrom.slice(0, 10)} to ${c.validTo.slice(0, 10)} (${c.daysLeft} days left) · ${c.keyType}${c.keyBits ? ` ${c.keyBits}` : ''} · ${safe(c.signatureAlgorithm)}`);
      out.push(style.dim(`        sha256 ${c.fingerprintSha256} · spki ${c.spkiSha256}`));
    });
    if (report.certificateVerdict) out.push(`  verdict: ${colourVerdict(report.certificateVerdict.summary, style)}${report.certificateVerdict.trustAnchor ? ` (anchor ${safe(report.certificateVerdict.trustAnchor)}, ${report.certificateVerdict.trustAnchorSource === 'extra' ? '--ca-file' : 'public root'})` : ''}`);
  }
  if (report.dane.length > 0) {
    out.push('', `${style.bold('DANE')} (TLSA ${report.daneAuthenticated ? 'DNSSEC-authenticated' : 'NOT DNSSEC-authenticated'})`);
    for (const d of report.dane) out.push(`  ${d.usage} ${d.selector} ${d.matchingType} ${d.data.slice(0, 24)}…  ${d.result === 'match' ? style.green('match') : d.result === 'mismatch' ? style.red('mismatch') : style.dim(d.result)}  ${style.dim(safe(d.detail))}`);
  }
  if (report.predictions.length > 0) {
    out.push('', style.bold('Exchange Online connectors (prediction)'));
    for (const p of report.predictions) out.push(...predictionLine(p, style));
  }
  if (report.findings.length > 0) {
    out.push('', style.bold('Findings'));
    for (const f of report.findings) {
      out.push(`  ${severityWord(f.severity, style)}  ${safe(f.message)} ${style.dim(`[${f.code}]`)}`);
      if (f.severity === 'warn' || f.severity === 'fail') out.push(`        ${style.bold('Fix:')} ${safe(f.fix)}`);
      for (const e of f.evidence.slice(0, 4)) out.push(`        ${style.dim('|')} ${safe(e)}`);
    }
  }
  if (options.transcript) {
    out.push('', style.bold('Transcript'));
    for (const line of report.transcript) {
      const arrow = line.direction === 'sent' ? 'C:' : line.direction === 'received' ? 'S:' : '**';
      out.push(`  ${String(line.t).padStart(6)} ms ${arrow} ${safe(line.text)}`);
    }
  }
  out.push('', style.dim(`${report.elapsedMs} ms`));
  return `${out.join('\n')}\n`;
}
