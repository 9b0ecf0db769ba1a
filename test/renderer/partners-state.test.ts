import { describe, expect, it } from 'vitest';
import type { PartnerRow } from '../../src-main/contract/partners';
import { applyRunEvent, sortRows, statusTone } from '../../src-renderer/state/partners';

const row = (domain: string, status?: PartnerRow['status']): PartnerRow => ({ domain, domainUnicode: domain, direction: 'outbound', daysToExpiry: null, ...(status ? { status } : {}) });

describe('the Partners table state', () => {
  it('puts a streamed answer in place of the partner, or adds it, and tracks the run', () => {
    const table = { rows: [row('a.example'), row('b.example')] };
    const next = applyRunEvent(table, { jobId: 'j', done: 1, total: 2, notReady: 1, row: row('b.example', 'not-ready') });
    expect(next.rows.map((r) => [r.domain, r.status])).toEqual([['a.example', undefined], ['b.example', 'not-ready']]);
    expect(next.run).toEqual({ jobId: 'j', done: 1, total: 2, notReady: 1 });
    const added = applyRunEvent(next, { jobId: 'j', done: 2, total: 2, notReady: 1, row: row('c.example', 'ready') });
    expect(added.rows.map((r) => r.domain)).toEqual(['a.example', 'b.example', 'c.example']);
  });

  it('ignores answers of another run', () => {
    const table = { rows: [row('a.example')], run: { jobId: 'mine', done: 0, total: 1, notReady: 0 } };
    expect(applyRunEvent(table, { jobId: 'other', done: 1, total: 1, notReady: 0, row: row('a.example', 'ready') })).toBe(table);
  });

  it('lists the partners needing action first, with a tone and icon beside the words', () => {
    expect(sortRows([row('z.example', 'ready'), row('b.example'), row('a.example', 'unreachable'), row('c.example', 'not-ready')]).map((r) => r.domain))
      .toEqual(['c.example', 'a.example', 'z.example', 'b.example']);
    expect(statusTone('ready-with-warnings')).toEqual({ tone: 'warn', icon: '⚠' });
    expect(statusTone(undefined).tone).toBe('unknown');
  });
});
