import type { Finding } from '../../contract/findings';
import { bySeverity, type Severity } from '../../contract/finding-order';
import { safe, type Style } from './style';

/**
 * Findings as text, the same in `check` and `probe`: the severity in words
 * (and colour), the message, the evidence, and for problems the why and the
 * fix. Several findings with the same code (RDNS_MISSING for each address,
 * a certificate problem on each MX) share one why/fix, printed once after
 * the last of them, so a report does not repeat paragraphs.
 */
export function severityLabel(severity: Severity, style: Style): string {
  switch (severity) {
    case 'fail': return style.red(style.bold('FAIL'));
    case 'warn': return style.yellow('WARN');
    case 'info': return style.cyan('INFO');
    case 'ok': return style.green(' OK ');
  }
}

export interface FindingTextOptions {
  /** Evidence lines shown per finding (the rest are in --json). */
  readonly maxEvidence: number;
  /** Whether the explanation ("Why:") is shown for problems; the fix always is. */
  readonly why: boolean;
}

const INDENT = '        ';

function isProblem(f: Finding): boolean {
  return f.severity === 'warn' || f.severity === 'fail';
}

/** Findings in the order given, those of one code and severity brought together. */
export function groupByCode(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.code}|${f.severity}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()];
}

export function renderFindings(findings: readonly Finding[], style: Style, options: FindingTextOptions): string[] {
  const lines: string[] = [];
  for (const group of groupByCode(findings)) {
    for (const f of group) {
      lines.push(`  ${severityLabel(f.severity, style)}  ${safe(f.message)} ${style.dim(`[${f.code}]`)}`);
      if (!isProblem(f)) continue;
      lines.push(...f.evidence.slice(0, options.maxEvidence).map((e) => `${INDENT}${style.dim('|')} ${safe(e)}`));
      if (f.evidence.length > options.maxEvidence) lines.push(`${INDENT}${style.dim(`| … ${f.evidence.length - options.maxEvidence} more line(s) in --json`)}`);
    }
    const first = group[0]!;
    if (!isProblem(first)) continue;
    // The catalogue text is one per code; a fix overridden per finding is shown when it differs.
    if (options.why) lines.push(`${INDENT}${style.bold('Why:')} ${safe(first.explanation)}`);
    for (const fix of new Set(group.map((f) => f.fix))) lines.push(`${INDENT}${style.bold('Fix:')} ${safe(fix)}`);
  }
  return lines;
}

/** The closing lines: the tally, then each problem code once with whom it concerns, worst first. */
export function renderProblemSummary(findings: readonly Finding[], style: Style): string[] {
  const counts: Record<Severity, number> = { fail: 0, warn: 0, info: 0, ok: 0 };
  for (const f of findings) counts[f.severity] += 1;
  const lines = [`${counts.fail > 0 ? style.red(`${counts.fail} fail`) : `${counts.fail} fail`}, ${counts.warn > 0 ? style.yellow(`${counts.warn} warn`) : `${counts.warn} warn`}, ${counts.info} info, ${counts.ok} ok`];
  const problems = findings.filter(isProblem).sort(bySeverity);
  if (problems.length === 0) return lines;
  lines.push('To fix:');
  for (const group of groupByCode(problems)) {
    const subjects = [...new Set(group.map((f) => f.subject))];
    const shown = subjects.slice(0, 3).map(safe).join(', ');
    lines.push(`  ${severityLabel(group[0]!.severity, style)}  ${group[0]!.code}  ${shown}${subjects.length > 3 ? ` and ${subjects.length - 3} more` : ''}`);
  }
  return lines;
}
