import type { PartnerRow, PartnerRunEvent, PartnerStatus } from '../../src-main/contract/partners';

/**
 * The Partners screen's table as pure state: the register's rows, replaced
 * one by one as a run's answers stream in, and the run's progress.
 */
export interface PartnersTable {
  readonly rows: readonly PartnerRow[];
  readonly run?: { readonly jobId: string; readonly done: number; readonly total: number; readonly notReady: number };
}

/** Puts a streamed answer in place (same partner), or at the end when new. */
export function applyRunEvent(table: PartnersTable, event: PartnerRunEvent): PartnersTable {
  if (table.run && table.run.jobId !== event.jobId) return table;
  const index = table.rows.findIndex((r) => r.domain === event.row.domain);
  const rows = index >= 0 ? [...table.rows.slice(0, index), event.row, ...table.rows.slice(index + 1)] : [...table.rows, event.row];
  return { rows, run: { jobId: event.jobId, done: event.done, total: event.total, notReady: event.notReady } };
}

/** Tone of a status: the badge's colour and icon, with the words beside them. */
export function statusTone(status: PartnerStatus | undefined): { readonly tone: 'ok' | 'warn' | 'fail' | 'unknown'; readonly icon: string } {
  switch (status) {
    case 'ready': return { tone: 'ok', icon: '✔' };
    case 'ready-with-warnings': return { tone: 'warn', icon: '⚠' };
    case 'not-ready': case 'unreachable': case 'no-mail': return { tone: 'fail', icon: '✖' };
    default: return { tone: 'unknown', icon: '…' };
  }
}

/** Rows needing action first, then by domain. */
export function sortRows(rows: readonly PartnerRow[]): PartnerRow[] {
  const rank: Record<string, number> = { 'not-ready': 0, unreachable: 1, 'no-mail': 2, 'ready-with-warnings': 3, ready: 4 };
  return [...rows].sort((a, b) => (rank[a.status ?? ''] ?? 5) - (rank[b.status ?? ''] ?? 5) || a.domain.localeCompare(b.domain));
}
