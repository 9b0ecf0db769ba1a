import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel, EventOf } from '../../src-main/contract/api';
import type { PartnerRunEvent } from '../../src-main/contract/partners';
import { systemClock } from '../../src-main/engine/clock';
import { createHandlers } from '../../src-main/handlers/create-handlers';
import { createDefaultEngine } from '../../src-main/handlers/default-deps';
import { openConfStore } from '../../src-main/store/conf-store';
import { parseProfile } from '../../src-main/planner/index';
import { openPartnerRegister } from '../../src-main/store/partner-register';
import { startPartnerLab, type PartnerLab } from '../support/partner-lab';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs('mailflow-partners-app-');
let lab: PartnerLab;
beforeAll(async () => { lab = await startPartnerLab(); });
afterAll(async () => { await lab?.close(); });

function app() {
  const dir = tempDir();
  const caFile = join(dir, 'lab-ca.pem');
  writeFileSync(caFile, lab.ca.certPem);
  const store = openConfStore({ dir: join(dir, 'store') });
  store.setSettings({ dnsServers: [lab.dns.address], timeoutSeconds: 5, caFiles: [], dkimSelectors: [], publicCaFiles: [] });
  const events: { channel: EventChannel; payload: unknown }[] = [];
  const handlers = createHandlers({
    mode: 'browser', appName: 'Mailflow Doctor', version: 'test', store, clock: systemClock,
    engine: createDefaultEngine({ smtpPort: lab.port, caFiles: [caFile], rehearsalAnchors: [lab.caSubject] }),
    emit: <E extends EventChannel>(channel: E, payload: EventOf<E>) => { events.push({ channel, payload }); },
  });
  const value = async <T>(result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> => {
    const r = await result;
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value;
  };
  return { handlers, events, value, store };
}

describe('Partners screen channels (handlers, real engine, loopback lab)', () => {
  it('imports, runs with live results, lists, shows details and the message, re-checks what failed and says what changed, exports', async () => {
    const { handlers, events, value, store } = app();
    const imported = await value(handlers['partners:import']({ source: 'text', fileName: 'partners.csv', text: `${lab.csv}\nnot a domain,x,,,\n` }));
    expect(imported).toMatchObject({ added: 12, updated: 0, rejected: [{ line: 14, reason: expect.stringContaining('spaces') }] });

    const summary = await value(handlers['partners:run']({ jobId: 'run1', scope: 'all' }));
    expect(summary).toMatchObject({ total: 12, done: 12, cancelled: false });
    const live = events.filter((e) => e.channel === 'partners:result').map((e) => e.payload as PartnerRunEvent);
    expect(live).toHaveLength(12);
    expect(live.at(-1)).toMatchObject({ done: 12, total: 12, notReady: 7 });
    expect(events.some((e) => e.channel === 'app:notice' && JSON.stringify(e.payload).includes('expiring-bank.test (10 days)'))).toBe(true);

    const list = await value(handlers['partners:list']({}));
    expect(list.rows).toHaveLength(12);
    // Written to the register file (in batches, and at the end of the run).
    expect(openPartnerRegister(dirname(store.path)).list().filter((r) => r.history.length === 1)).toHaveLength(12);
    expect(list.expiring.map((r) => r.domain)).toEqual(['expired-bank.test', 'expiring-bank.test']);
    expect(list.rows.find((r) => r.domain === 'selfsigned-bank.test')).toMatchObject({ statusWords: 'Not ready', change: { kind: 'first-check' }, failingSince: expect.any(String) });

    const details = await value(handlers['partners:get']({ domain: 'selfsigned-bank.test' }));
    expect(details.record.last?.readiness.CertificateValidation.verdict).toBe('fail');
    expect(details.message?.text).toContain('Hello Selfsigned Bank mail team,');

    const again = await value(handlers['partners:run']({ jobId: 'run2', scope: 'failing' }));
    expect(again.total).toBe(7);
    const after = await value(handlers['partners:list']({}));
    expect(after.rows.find((r) => r.domain === 'selfsigned-bank.test')?.change?.kind).toBe('unchanged');
    expect(after.rows.find((r) => r.domain === 'good-bank.test')?.change?.kind).toBe('first-check');

    const selected = await value(handlers['partners:run']({ jobId: 'run3', scope: 'selected', domains: ['good-bank.test'] }));
    expect(selected.total).toBe(1);

    const html = await value(handlers['partners:export']({ format: 'html' }));
    expect(html.fileName).toMatch(/^partners-\d{4}-\d\d-\d\d\.html$/);
    expect(html.text.match(/<section class="partner"/g)).toHaveLength(12);
    const ps1 = await value(handlers['partners:export']({ format: 'ps1', domains: ['good-bank.test', 'selfsigned-bank.test'] }));
    expect(ps1.text.startsWith('\uFEFF# Mailflow Doctor: partner connectors')).toBe(true);
    expect(ps1.text).toContain("-TlsDomain 'mail.hoster.test'");

    expect(await value(handlers['partners:remove']({ domains: ['missing-bank.test'] }))).toEqual({ removed: 1 });
    expect((await value(handlers['partners:list']({}))).rows).toHaveLength(11);
  });

  it('imports the partners of a saved profile', async () => {
    const { handlers, value, store } = app();
    const profile = parseProfile(readFileSync('examples/john-bob-sun.json', 'utf8'), 'john-bob-sun.json');
    store.saveProfile(profile);
    const expected = new Set(profile.partners.flatMap((p) => p.domains));
    const result = await value(handlers['partners:import']({ source: 'profile', profileName: profile.name }));
    expect(result.added).toBe(expected.size);
    expect((await value(handlers['partners:list']({}))).rows.map((r) => r.domain).sort()).toEqual([...expected].sort());
    expect(await handlers['partners:import']({ source: 'profile', profileName: 'Nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('keeps what finished when a run is cancelled', async () => {
    const { handlers, events, value, store } = app();
    await value(handlers['partners:import']({ source: 'text', text: lab.csv }));
    const running = handlers['partners:run']({ jobId: 'slow', scope: 'all' });
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (events.some((e) => e.channel === 'partners:result')) { clearInterval(timer); resolve(); }
      }, 5);
    });
    await handlers['job:cancel']({ jobId: 'slow' });
    const result = await running;
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const checked = (await value(handlers['partners:list']({}))).rows.filter((r) => r.checkedAt);
    expect(checked.length).toBeGreaterThanOrEqual(1);
    expect(checked.length).toBe(events.filter((e) => e.channel === 'partners:result').length);
    // ... and in the file, written at the cancel.
    expect(openPartnerRegister(dirname(store.path)).list().filter((r) => r.last).length).toBe(checked.length);
  });
});
