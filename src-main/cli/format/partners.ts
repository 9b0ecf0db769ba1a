import { PARTNER_STATUS_WORDS, type PartnerResult, type PartnerRunSummary, type PartnerStatus, type SettingReadiness } from '../../contract/partners';
import type { PartnerRunProgress } from '../../engine/partners/run';
import { STATUS_ORDER } from '../../report/partners';
import { safe, type Style } from './style';

/**
 * Human output of `partners`: a table with fixed columns (written row by
 * row, so any list length streams), the summary, and the progress display:
 * a bar redrawn in place on a terminal, plain lines elsewhere.
 */
const COLUMNS = [
  ['Status', 19], ['Domain', 32], ['Expires', 7], ['EncOnly', 7], ['CertVal', 7], ['DomainVal (TlsDomain)', 30], ['Inbound', 14],
] as const;

function fit(text: string, width: number): string {
  if (text.length > width) return `${text.slice(0, width - 1)}…`;
  return text + ' '.repeat(width - text.length);
}

function paintStatus(status: PartnerStatus, text: string, style: Style): string {
  if (status === 'ready') return style.green(text);
  if (status === 'ready-with-warnings') return style.yellow(text);
  return style.red(text);
}

const word = (s: SettingReadiness): string => (s.verdict === 'not-applicable' ? '-' : s.verdict);

export function partnerTableHeader(style: Style): string {
  return `${style.bold(`  ${COLUMNS.map(([title, width]) => fit(title, width)).join('  ')}  Summary`)}\n`;
}

export function partnerTableRow(r: PartnerResult, style: Style): string {
  const inbound = r.direction === 'outbound' ? '-'
    : r.readiness.TlsSenderCertificateName.verdict === 'pass' ? 'certificate'
      : r.readiness.SenderIPAddresses.verdict === 'pass' ? 'IP ranges' : 'no restriction';
  const dv = r.readiness.DomainValidation;
  const cells = [
    r.statusWords,
    safe(r.domainUnicode),
    r.daysToExpiry === null ? '-' : `${r.daysToExpiry}d`,
    word(r.readiness.EncryptionOnly),
    word(r.readiness.CertificateValidation),
    `${word(dv)}${dv.value ? ` (${safe(dv.value)})` : ''}`,
    inbound,
  ];
  const line = cells.map((c, i) => fit(c, COLUMNS[i]![1]));
  line[0] = paintStatus(r.status, line[0]!, style);
  return `  ${line.join('  ')}  ${safe(r.summary)}\n`;
}

export function partnerSummaryLines(summary: PartnerRunSummary, style: Style): string {
  const counts = STATUS_ORDER.map((s) => paintStatus(s, `${PARTNER_STATUS_WORDS[s]}: ${summary.counts[s] ?? 0}`, style)).join(', ');
  const lines = [
    '',
    `${summary.done} of ${summary.total} partner(s) checked in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${counts}.`,
    `Certificates expired or expiring within ${summary.expiryWindowDays} days: ${summary.expiringSoon}. SMTP probes: ${summary.probes} (${summary.probesReused} answer(s) reused the probe of a shared MX).`,
  ];
  if (summary.stoppedBecause) lines.push(style.red(`Stopped early. ${summary.stoppedBecause}`));
  else if (summary.cancelled) lines.push(style.yellow('Interrupted: the output has the partners checked before.'));
  return `${lines.join('\n')}\n`;
}

/** Progress on stderr: a bar redrawn at most every 100 ms on a terminal, else one plain line per partner. */
export function createProgressDisplay(stream: { write(text: string): unknown; readonly isTTY?: boolean }, style: Style): { update(p: PartnerRunProgress): void; finish(): void } {
  let lastDraw = 0;
  let drawn = false;
  if (!stream.isTTY) {
    return {
      update: (p) => {
        if (p.last) stream.write(`[${p.done}/${p.total}] ${safe(p.last.domain)}: ${PARTNER_STATUS_WORDS[p.last.status]}\n`);
      },
      finish: () => undefined,
    };
  }
  return {
    update: (p) => {
      const now = performance.now();
      if (now - lastDraw < 100 && p.done < p.total) return;
      lastDraw = now;
      const width = 24;
      const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
      const rate = p.elapsedMs > 0 ? p.done / (p.elapsedMs / 1000) : 0;
      const left = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0;
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      stream.write(`\r${bar} ${p.done}/${p.total}  ${rate.toFixed(1)}/s  ${left}s left  ${style.red(`not ready: ${p.notReady}`)}\u001b[K`);
      drawn = true;
    },
    finish: () => {
      if (drawn) stream.write('\n');
    },
  };
}
