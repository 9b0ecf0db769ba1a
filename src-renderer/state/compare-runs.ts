import type { CheckReport } from '../../src-main/contract/check';
import type { Finding } from '../../src-main/contract/findings';

/**
 * Two runs of one domain compared: which findings appeared, disappeared or
 * changed (severity or message). A finding is the same finding when its code
 * and subject match.
 */
export interface FindingChange {
  readonly before: Finding;
  readonly after: Finding;
}

export interface RunComparison {
  readonly added: readonly Finding[];
  readonly removed: readonly Finding[];
  readonly changed: readonly FindingChange[];
  readonly unchanged: number;
  /** Why some findings were left out of the comparison, in words. */
  readonly note?: string;
}

const keyOf = (f: Finding): string => `${f.code}\u0000${f.subject}`;

export function compareFindings(before: readonly Finding[], after: readonly Finding[]): RunComparison {
  const old = new Map(before.map((f) => [keyOf(f), f]));
  const now = new Map(after.map((f) => [keyOf(f), f]));
  const added = after.filter((f) => !old.has(keyOf(f)));
  const removed = before.filter((f) => !now.has(keyOf(f)));
  const changed: FindingChange[] = [];
  let unchanged = 0;
  for (const f of after) {
    const prior = old.get(keyOf(f));
    if (!prior) continue;
    if (prior.severity !== f.severity || prior.message !== f.message) changed.push({ before: prior, after: f });
    else unchanged += 1;
  }
  return { added, removed, changed, unchanged };
}

/** Findings only a run that connected to the MX hosts (SMTP and TLS) can have. */
const fromProbes = (f: Finding): boolean =>
  f.area === 'smtp' || f.area === 'tls' || f.area === 'certificate' || f.area === 'connector' || f.code === 'DANE_TLSA_MATCH' || f.code === 'DANE_TLSA_MISMATCH';

const probed = (report: CheckReport): boolean => report.mx.some((m) => m.probes.length > 0) || report.findings.some(fromProbes);

/**
 * Two checks of one domain. When only one of them connected to the MX hosts,
 * its SMTP and TLS findings are left out: a DNS-only run has not seen them,
 * so they are not "gone" (or "new"), and the user is told why.
 */
export function compareCheckRuns(older: CheckReport, newer: CheckReport): RunComparison {
  const [a, b] = [probed(older), probed(newer)];
  if (a === b) return compareFindings(older.findings, newer.findings);
  const diff = compareFindings(older.findings.filter((f) => !fromProbes(f)), newer.findings.filter((f) => !fromProbes(f)));
  return {
    ...diff,
    note: `The ${a ? 'earlier' : 'later'} run also connected to the MX hosts (SMTP and TLS); the ${a ? 'later' : 'earlier'} one checked DNS only, so SMTP, TLS and certificate findings are left out of this comparison.`,
  };
}
