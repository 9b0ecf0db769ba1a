import type { MxEntry } from '../../contract/check';
import type { ConnectorPrediction, ProbeReport } from '../../contract/probe';
import { certificateSummaryWord } from '../../contract/words';
import { renderFindings } from './findings';
import { safe, type Style } from './style';

/**
 * Human output of SMTP probes: the compact table (host, address, STARTTLS,
 * TLS version, certificate verdict, days left, time) for `check`, and the
 * full per-address report for `probe`. All server text goes through safe().
 */

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** An address as it is written with a port: IPv6 in brackets. */
function addressText(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

type PaintCell = (cell: string, padded: string, column: number) => string;

/** A table: the bold header, then the rows; columns are padded before colouring (`paint`) so they line up. */
function columns(header: readonly string[], rows: ReadonlyArray<readonly string[]>, style: Style, paint: PaintCell): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((c) => (c[i] ?? '').length)));
  const line = (cells: readonly string[], paintCell: PaintCell): string =>
    `  ${cells.map((cell, i) => paintCell(cell, pad(cell, widths[i] ?? 0), i)).join('  ').trimEnd()}`;
  return [style.bold(line(header, (_cell, padded) => padded)), ...rows.map((cells) => line(cells, paint))];
}

/** What went wrong at a failed stage, in a word: refused and timed out are different stories (PORT25_BLOCKED). */
const STAGE_FAILURE_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^ECONNREFUSED/, 'refused'], [/^(TIMEOUT|ETIMEDOUT)|^timeout|no handshake/, 'timed out'], [/^(ECONNRESET|EPIPE)/, 'reset'],
  [/^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL)/, 'unreachable'], [/^ABORTED|cancelled/, 'cancelled'],
];

function verdictCell(report: ProbeReport): string {
  if (report.certificateVerdict) return certificateSummaryWord(report.certificateVerdict);
  const failed = report.stages.find((s) => s.status === 'failed');
  if (!failed) return '-';
  const word = STAGE_FAILURE_WORDS.find(([pattern]) => pattern.test(failed.detail ?? ''))?.[1] ?? 'failed';
  return `(${failed.name} ${word})`;
}

function colourVerdict(text: string, style: Style): string {
  if (text === 'trusted') return style.green(text);
  if (text.startsWith('trusted ')) return style.yellow(text);
  if (text === 'expired' || text === 'not-yet-valid' || text.startsWith('(')) return style.red(text);
  return style.yellow(text);
}

/** One row per probed address; columns padded before colouring so they line up. */
export function renderProbeTable(rows: ReadonlyArray<{ readonly host: string; readonly report: ProbeReport }>, style: Style): string[] {
  if (rows.length === 0) return [];
  const header = ['Host', 'Address', 'Port', 'STARTTLS', 'TLS', 'Certificate', 'Days', 'Time'];
  const cells = rows.map(({ host, report }) => [
    safe(host),
    addressText(report.address),
    String(report.port),
    report.mode === 'implicit-tls' ? 'implicit' : report.capabilities ? (report.starttls ? 'yes' : 'no') : '-',
    report.tls?.version ?? '-',
    verdictCell(report),
    report.certificateVerdict ? String(report.certificateVerdict.leafDaysLeft) : '-',
    `${report.elapsedMs} ms`,
  ]);
  return columns(header, cells, style, (cell, padded, i) => {
    if (i === 3) return cell === 'no' ? style.red(padded) : padded;
    if (i === 5) return colourVerdict(cell, style).replace(cell, padded);
    return padded;
  });
}

export function renderMxProbeTable(mx: readonly MxEntry[], style: Style): string[] {
  const rows = mx.flatMap((m) => m.probes.map((report) => ({ host: m.host, report })));
  return rows.length === 0 ? [] : ['', style.bold('SMTP probes'), ...renderProbeTable(rows, style)];
}

const OUTBOUND_COLUMNS = ['EncryptionOnly', 'CertificateValidation', 'DomainValidation', 'SmtpDaneMode'] as const;

function predictionCell(p: ConnectorPrediction | undefined): string {
  if (!p) return '-';
  return p.verdict === 'pass' ? 'pass' : p.verdict === 'fail' ? `FAIL${p.ndr ? ` ${p.ndr}` : ''}` : 'unknown';
}

/**
 * `check`: what an Exchange Online connector would do with each probed
 * address, one row each, then every distinct reason once (with the rows it
 * concerns) and its fix. The full per-prediction text is in `probe` and --json.
 */
export function renderMxPredictions(mx: readonly MxEntry[], style: Style): string[] {
  const rows = mx.flatMap((m) => m.probes.map((report) => ({ host: m.host, report })));
  if (rows.every(({ report }) => report.predictions.length === 0)) return [];
  const inbound = rows.some(({ report }) => report.predictions.some((p) => p.direction === 'inbound'));
  const header = ['Host', 'Address', ...OUTBOUND_COLUMNS.map((c) => (c === 'SmtpDaneMode' ? 'DANE' : c)), ...(inbound ? ['Inbound'] : [])];
  const cells = rows.map(({ host, report }) => [
    safe(host),
    addressText(report.address),
    ...OUTBOUND_COLUMNS.map((setting) => predictionCell(report.predictions.find((p) => p.direction === 'outbound' && p.setting === setting))),
    ...(inbound ? [predictionCell(report.predictions.find((p) => p.direction === 'inbound'))] : []),
  ]);
  const table = columns(header, cells, style, (cell, padded, i) => {
    if (i < 2) return padded;
    return cell === 'pass' ? style.green(padded) : cell.startsWith('FAIL') ? style.red(padded) : cell === 'unknown' ? style.yellow(padded) : padded;
  });
  const out = ['', style.bold('Exchange Online connectors to each address (prediction)'), ...table];
  out.push(...renderPredictionGroups(rows.flatMap(({ host, report }) => report.predictions.map((prediction) => ({ where: `${host} ${addressText(report.address)}`, prediction }))), style));
  return out;
}

/**
 * Every failing or unknown prediction with all its reasons, each with its fix.
 * Predictions are brought together only when everything they say is the same
 * (verdict, NDR and every reason): two hosts with different problems keep
 * their own lines, and so do two settings that fail for different reasons.
 */
export function renderPredictionGroups(items: ReadonlyArray<{ readonly where: string; readonly prediction: ConnectorPrediction }>, style: Style): string[] {
  const groups = new Map<string, { prediction: ConnectorPrediction; where: Set<string>; settings: Set<string> }>();
  for (const { where, prediction: p } of items) {
    if (p.verdict === 'pass') continue;
    const key = JSON.stringify([p.verdict, p.ndr ?? '', p.reasons.length > 0 ? p.reasons.map((r) => [r.text, r.fix]) : [p.reason, p.fix]]);
    const entry = groups.get(key) ?? { prediction: p, where: new Set<string>(), settings: new Set<string>() };
    entry.where.add(where);
    entry.settings.add(`${p.direction === 'inbound' ? 'inbound ' : ''}${p.setting}`);
    groups.set(key, entry);
  }
  const out: string[] = [];
  for (const { prediction, where, settings } of groups.values()) {
    const verdict = prediction.verdict === 'fail' ? style.red('FAIL') : style.yellow('unknown');
    out.push(`  ${verdict}  ${[...settings].map(safe).join(', ')}${prediction.ndr ? ` ${style.bold(safe(prediction.ndr))}` : ''} (${[...where].map(safe).join('; ')})`);
    const reasons = prediction.reasons.length > 0 ? prediction.reasons : [{ text: prediction.reason, fix: prediction.fix }];
    reasons.forEach((r, i) => {
      out.push(`        ${reasons.length > 1 ? `${i + 1}. ` : ''}${safe(r.text)}`);
      out.push(`        ${reasons.length > 1 ? '   ' : ''}${style.bold('Fix:')} ${safe(r.fix)}`);
    });
  }
  return out;
}

function predictionLine(p: ConnectorPrediction, style: Style): string[] {
  const verdict = p.verdict === 'pass' ? style.green('pass   ') : p.verdict === 'fail' ? style.red('FAIL   ') : style.yellow('unknown');
  const lines = [`  ${verdict}  ${p.direction} ${safe(p.setting)}${p.ndr ? `  ${style.bold(safe(p.ndr))}` : ''}`];
  if (p.verdict === 'pass' || p.reasons.length === 0) {
    lines.push(`        ${safe(p.reason)}`);
    if (p.verdict !== 'pass') lines.push(`        ${style.bold('Fix:')} ${safe(p.fix)}`);
    return lines;
  }
  p.reasons.forEach((r, i) => {
    lines.push(`        ${p.reasons.length > 1 ? `${i + 1}. ` : ''}${safe(r.text)}`);
    lines.push(`        ${p.reasons.length > 1 ? '   ' : ''}${style.bold('Fix:')} ${safe(r.fix)}`);
  });
  return lines;
}

/** Validated, proven unsigned, or not known: a resolver that does not validate proves nothing either way. */
export function daneDnssecWords(report: Pick<ProbeReport, 'daneAuthenticated' | 'daneDnssec'>): string {
  if (report.daneAuthenticated) return 'DNSSEC-authenticated';
  if (report.daneDnssec === 'insecure') return 'NOT DNSSEC-signed: proven insecure by a validating resolver';
  if (report.daneDnssec === 'unknown') return 'DNSSEC not validated: the resolver used does not validate';
  return 'NOT DNSSEC-authenticated';
}

export function renderProbeReport(report: ProbeReport, style: Style, options: { transcript?: boolean } = {}): string {
  const out: string[] = [];
  const address = addressText(report.address);
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
    if (report.certificateVerdict) out.push(`  verdict: ${colourVerdict(certificateSummaryWord(report.certificateVerdict), style)}${report.certificateVerdict.trustAnchor ? ` (anchor ${safe(report.certificateVerdict.trustAnchor)}, ${report.certificateVerdict.trustAnchorSource === 'extra' ? '--ca-file' : report.certificateVerdict.trustAnchorSource === 'rehearsal' ? '--public-ca: rehearsal' : 'public root'})` : ''}`);
  }
  if (report.dane.length > 0) {
    out.push('', `${style.bold('DANE')} (TLSA ${daneDnssecWords(report)})`);
    for (const d of report.dane) out.push(`  ${d.usage} ${d.selector} ${d.matchingType} ${d.data.slice(0, 24)}…  ${d.result === 'match' ? style.green('match') : d.result === 'mismatch' ? style.red('mismatch') : style.dim(d.result)}  ${style.dim(safe(d.detail))}`);
  }
  if (report.predictions.length > 0) {
    out.push('', style.bold('Exchange Online connectors (prediction)'));
    for (const p of report.predictions) out.push(...predictionLine(p, style));
  }
  if (report.findings.length > 0) {
    out.push('', style.bold('Findings'));
    out.push(...renderFindings(report.findings, style, { maxEvidence: 4, why: false }));
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
