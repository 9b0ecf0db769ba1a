import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOf, comparePartnerChecks } from '../../src-main/store/partner-compare';
import { openPartnerRegister, PARTNER_REGISTER_FILE } from '../../src-main/store/partner-register';
import { mxResult, partnerResult } from '../support/partner-results';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs('mailflow-register-');
const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T09:00:00.000Z`;

describe('re-check comparison', () => {
  const ready = checkOf(partnerResult('ready', { checkedAt: at(1) }));
  it.each([
    ['first check', undefined, partnerResult('ready', { checkedAt: at(2) }), 'first-check'],
    ['newly failing', ready, partnerResult('not-ready', { checkedAt: at(2) }), 'newly-failing'],
    ['fixed', checkOf(partnerResult('unreachable', { checkedAt: at(1) })), partnerResult('ready', { checkedAt: at(2) }), 'fixed'],
    ['certificate renewed', ready, partnerResult('ready', { checkedAt: at(2), daysToExpiry: 390, mx: [mxResult({ certificate: { ...mxResult().certificate!, validTo: '2027-12-25T00:00:00.000Z', daysLeft: 390 } })] }), 'certificate-renewed'],
    ['status changed, both passing', ready, partnerResult('ready-with-warnings', { checkedAt: at(2) }), 'status-changed'],
    ['unchanged', ready, partnerResult('ready', { checkedAt: at(2) }), 'unchanged'],
  ] as const)('%s', (_label, previous, current, kind) => {
    expect(comparePartnerChecks(previous, checkOf(current)).kind).toBe(kind);
  });

  it('says since when and what it was, in words', () => {
    expect(comparePartnerChecks(ready, checkOf(partnerResult('not-ready', { checkedAt: at(2) })))).toEqual({ kind: 'newly-failing', words: 'Newly failing (was ready on 2026-11-01).', since: at(2) });
  });
});

describe('partner register', () => {
  it('keeps each partner with its bounded history, last pass, failing-since and change; survives reopening', () => {
    const dir = tempDir();
    const register = openPartnerRegister(dir);
    const entry = { domain: 'bank.example', domainUnicode: 'bank.example', direction: 'outbound' as const, line: 1 };
    expect(register.upsert([entry])).toEqual({ added: 1, updated: 0 });
    register.record([partnerResult('ready', { checkedAt: at(1) })]);
    register.record([partnerResult('not-ready', { checkedAt: at(2) })]);
    register.record([partnerResult('not-ready', { checkedAt: at(3) })]);
    for (let day = 4; day < 30; day++) register.record([partnerResult('not-ready', { checkedAt: at(day) })]);
    const reopened = openPartnerRegister(dir).get('bank.example')!;
    expect(reopened.history).toHaveLength(20);
    expect(reopened.history[0]!.checkedAt).toBe(at(29));
    expect(reopened.lastPassedAt).toBe(at(1));
    expect(reopened.failingSince).toBe(at(2));
    expect(reopened.change?.kind).toBe('unchanged');
    expect(reopened.last?.status).toBe('not-ready');
    expect(reopened.last?.message).toBeNull();
  });

  it('lists partners not checked for N days (never checked ones too)', () => {
    const register = openPartnerRegister(tempDir());
    register.upsert([
      { domain: 'old.example', domainUnicode: 'old.example', direction: 'outbound', line: 1 },
      { domain: 'fresh.example', domainUnicode: 'fresh.example', direction: 'outbound', line: 2 },
      { domain: 'never.example', domainUnicode: 'never.example', direction: 'outbound', line: 3 },
    ]);
    register.record([partnerResult('ready', { domain: 'old.example', checkedAt: at(1) }), partnerResult('ready', { domain: 'fresh.example', checkedAt: at(20) })]);
    expect(register.dueSince(7, Date.parse(at(22))).map((e) => e.domain)).toEqual(['old.example', 'never.example']);
  });

  it('sets a damaged file aside and starts a new register, saying so once', () => {
    const dir = tempDir();
    writeFileSync(join(dir, PARTNER_REGISTER_FILE), '{"schemaVersion": 1, "partners": [');
    const register = openPartnerRegister(dir, { now: () => Date.parse(at(5)) });
    expect(register.list()).toEqual([]);
    expect(register.takeNotices()).toEqual([expect.stringContaining('The partner register was damaged (it is not valid JSON)')]);
    expect(register.takeNotices()).toEqual([]);
    expect(readdirSync(dir)).toEqual(['partners.damaged-2026-11-05T09-00-00-000Z.json']);
  });

  it('leaves out damaged records and keeps the others', () => {
    const dir = tempDir();
    const good = openPartnerRegister(dir);
    good.record([partnerResult('ready', { checkedAt: at(1) })]);
    const text = JSON.stringify({ schemaVersion: 1, partners: [...good.list(), { entry: { domain: 42 } }] });
    writeFileSync(join(dir, PARTNER_REGISTER_FILE), text);
    const register = openPartnerRegister(dir);
    expect(register.list().map((r) => r.entry.domain)).toEqual(['bank.example']);
    expect(register.takeNotices()).toEqual(['1 damaged partner record(s) in the partner register were left out.']);
  });
});
