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

/** Statuses in the order the legend lists them. */
export const FLOW_STATUS_ORDER: readonly FlowStatus[] = ['covered', 'connector-missing', 'tls-failing', 'not-checked', 'no-connector-needed', 'not-possible'];

export const SEVERITY_LOOK: Readonly<Record<Severity, { readonly label: string; readonly icon: string }>> = {
  ok: { label: 'OK', icon: '✓' },
  info: { label: 'Information', icon: 'i' },
  warn: { label: 'Warning', icon: '⚠' },
  fail: { label: 'Problem', icon: '✗' },
};
