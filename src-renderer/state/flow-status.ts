import type { FlowStatus } from '../../src-main/contract/planner';
import type { Severity } from '../../src-main/contract/findings';

/**
 * How each flow status is shown: colour AND icon AND words, never colour
 * alone (colour-blind users, printouts, screen readers).
 */
export interface StatusLook {
  readonly label: string;
  /** A plain text glyph (not an emoji: same look on every platform). */
  readonly icon: string;
  /** CSS modifier: `status-<tone>`. */
  readonly tone: 'ok' | 'fail' | 'neutral' | 'blocked' | 'warn' | 'unknown';
  readonly description: string;
}

export const FLOW_STATUS_LOOK: Readonly<Record<FlowStatus, StatusLook>> = {
  covered: { label: 'Covered', icon: '✓', tone: 'ok', description: 'The connector this flow needs exists and matches the plan.' },
  'connector-missing': { label: 'Connector missing', icon: '✗', tone: 'fail', description: 'This flow needs a connector that does not exist yet.' },
  'no-connector-needed': { label: 'No connector needed', icon: '–', tone: 'neutral', description: 'Office 365 handles this flow by itself.' },
  'not-possible': { label: 'Not possible', icon: '⊘', tone: 'blocked', description: 'Mail cannot take this path with the answers given.' },
  'tls-failing': { label: 'TLS failing', icon: '⚠', tone: 'warn', description: 'A diagnosis found that TLS fails on this path: mail that requires TLS will bounce.' },
  'not-checked': { label: 'Not yet checked', icon: '?', tone: 'unknown', description: 'The connector is planned; nothing has checked it yet (import your connectors or diagnose the hosts).' },
};

/** What the renderer knows when it words a status: whether existing connectors were imported and compared. */
export interface StatusContext {
  /** `plan.existingImported`: false until the user imports their connectors. */
  readonly imported: boolean;
}

/**
 * Before any import, the planner still marks flows that need a connector
 * `connector-missing` (its stable interface, and the colour/icon scheme), but
 * nothing has been checked: "missing" would alarm a new user on the first
 * screen. Until an import, the same status is worded as a need.
 */
const CONNECTOR_NEEDED_LOOK: StatusLook = {
  ...FLOW_STATUS_LOOK['connector-missing'],
  label: 'Connector needed',
  description: 'This flow needs a connector. Nothing has checked yet whether you have it: import your existing connectors to check.',
};

/** The note the legend adds beside "Connector needed" before an import. */
export const CONNECTOR_NEEDED_NOTE = 'import your connectors to check which exist';

/** How a status looks in this context: the one place that decides "missing" vs "needed". */
export function statusLook(status: FlowStatus, context: StatusContext): StatusLook {
  return status === 'connector-missing' && !context.imported ? CONNECTOR_NEEDED_LOOK : FLOW_STATUS_LOOK[status];
}

/** The words for a status in this context ("Connector needed" before an import, "Connector missing" after). */
export function statusLabel(status: FlowStatus, context: StatusContext): string {
  return statusLook(status, context).label;
}

/** The legend's extra words for a status, if any (only "Connector needed" has one). */
export function legendNote(status: FlowStatus, context: StatusContext): string | undefined {
  return status === 'connector-missing' && !context.imported ? CONNECTOR_NEEDED_NOTE : undefined;
}

/** Statuses in the order the legend lists them. */
export const FLOW_STATUS_ORDER: readonly FlowStatus[] = ['covered', 'connector-missing', 'tls-failing', 'not-checked', 'no-connector-needed', 'not-possible'];

export const SEVERITY_LOOK: Readonly<Record<Severity, { readonly label: string; readonly icon: string }>> = {
  ok: { label: 'OK', icon: '✓' },
  info: { label: 'Information', icon: 'i' },
  warn: { label: 'Warning', icon: '⚠' },
  fail: { label: 'Problem', icon: '✗' },
};
