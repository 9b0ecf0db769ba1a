import type { PartnerCheck, PartnerChange, PartnerResult } from '../contract/partners';

/**
 * Re-check: what changed for a partner since its previous check. Pure.
 *
 * The certificate counts as renewed when the set of leaf certificates (host
 * and expiry date) differs while the partner still has one.
 */
const NOT_READY = new Set(['not-ready', 'unreachable', 'no-mail']);

export function checkOf(result: PartnerResult): PartnerCheck {
  return {
    checkedAt: result.checkedAt,
    status: result.status,
    daysToExpiry: result.daysToExpiry,
    summary: result.summary.slice(0, 300),
    certificates: [...new Set(result.mx.flatMap((m) => (m.certificate ? [`${m.host} ${m.certificate.validTo}`] : [])))].sort().slice(0, 20),
  };
}

export function comparePartnerChecks(previous: PartnerCheck | undefined, current: PartnerCheck): PartnerChange {
  if (!previous) return { kind: 'first-check', words: 'First check.' };
  const wasFailing = NOT_READY.has(previous.status);
  const isFailing = NOT_READY.has(current.status);
  if (!wasFailing && isFailing) return { kind: 'newly-failing', words: `Newly failing (was ${previous.status} on ${previous.checkedAt.slice(0, 10)}).`, since: current.checkedAt };
  if (wasFailing && !isFailing) return { kind: 'fixed', words: `Fixed (was ${previous.status} on ${previous.checkedAt.slice(0, 10)}).` };
  const renewed = current.certificates.length > 0 && previous.certificates.length > 0 && current.certificates.join('|') !== previous.certificates.join('|');
  if (renewed) return { kind: 'certificate-renewed', words: `Certificate changed (now expires in ${current.daysToExpiry ?? '?'} days; was ${previous.daysToExpiry ?? '?'}).` };
  if (previous.status !== current.status) return { kind: 'status-changed', words: `Was ${previous.status}, now ${current.status}.` };
  return { kind: 'unchanged', words: 'No change.' };
}
