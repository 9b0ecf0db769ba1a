import type { FlowStatus } from '../../src-main/contract/planner';
import type { Severity } from '../../src-main/contract/findings';
import { CONNECTOR_NEEDED_WORDS, FLOW_STATUS_WORDS } from '../../src-main/contract/words';

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
  covered: { ...FLOW_STATUS_WORDS.covered, icon: '✓', tone: 'ok' },
  'connector-missing': { ...FLOW_STATUS_WORDS['connector-missing'], icon: '✗', tone: 'fail' },
  'no-connector-needed': { ...FLOW_STATUS_WORDS['no-connector-needed'], icon: '–', tone: 'neutral' },
  'not-possible': { ...FLOW_STATUS_WORDS['not-possible'], icon: '⊘', tone: 'blocked' },
  'tls-failing': { ...FLOW_STATUS_WORDS['tls-failing'], icon: '⚠', tone: 'warn' },
  'not-checked': { ...FLOW_STATUS_WORDS['not-checked'], icon: '?', tone: 'unknown' },
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
const CONNECTOR_NEEDED_LOOK: StatusLook = { ...FLOW_STATUS_LOOK['connector-missing'], ...CONNECTOR_NEEDED_WORDS };

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
