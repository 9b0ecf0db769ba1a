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
