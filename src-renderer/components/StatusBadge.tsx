import type { FlowStatus } from '../../src-main/contract/planner';
import type { Severity } from '../../src-main/contract/findings';
import { SEVERITY_LOOK, statusLook } from '../state/flow-status';

/**
 * A flow status as colour, icon and words together (never colour alone).
 * `imported` (the plan's `existingImported`) picks the words: see `statusLook`.
 */
export function StatusBadge({ status, imported }: { readonly status: FlowStatus; readonly imported: boolean }) {
  const look = statusLook(status, { imported });
  return (
    <span className={`badge status-${look.tone}`} data-status={status} title={look.description}>
      <span className="badge-icon" aria-hidden="true">{look.icon}</span>
      <span className="badge-text">{look.label}</span>
    </span>
  );
}

/** A finding's severity in words, with icon and colour. */
export function SeverityBadge({ severity }: { readonly severity: Severity }) {
  const look = SEVERITY_LOOK[severity];
  return (
    <span className={`badge severity-${severity}`} data-severity={severity}>
      <span className="badge-icon" aria-hidden="true">{look.icon}</span>
      <span className="badge-text">{look.label}</span>
    </span>
  );
}
