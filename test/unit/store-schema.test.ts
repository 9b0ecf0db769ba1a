import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../src-main/contract/planner';
import type { Profile } from '../../src-main/contract/planner';
import { openConfStore } from '../../src-main/store/conf-store';
import { defaultStoreDir } from '../../src-main/store/default-dir';
import { emptyStoreData, MAX_HISTORY, readStoreData, STORE_SCHEMA_VERSION, StoreDataSchema } from '../../src-main/store/schema';
import type { HistoryRecord } from '../../src-main/store/schema';
import { useTempDirs } from '../support/temp-dirs';

const example: Profile = ProfileSchema.parse(JSON.parse(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8')));
const fixedClock = { now: () => Date.parse('2026-03-01T10:20:30.456Z') };

const tempDir = useTempDirs('mailflow-store-');

function checkRecord(id: string, domain = 'contoso.com'): Extract<HistoryRecord, { kind: 'check' }> {
  return {
    kind: 'check',
    entry: { id, kind: 'check', target: domain, at: '2026-03-01T10:00:00.000Z', worstSeverity: 'warn', elapsedMs: 12 },
    report: { schemaVersion: 1, domain, domainUnicode: domain, startedAt: '2026-03-01T10:00:00.000Z', elapsedMs: 12, resolver: '127.0.0.1:53', findings: [], mx: [] },
  };
}

describe('store file format', () => {
  it('starts empty and valid when there is no file', () => {
    const result = readStoreData(undefined);
    expect(result.problems).toEqual([]);
    expect(result.changed).toBe(false);
    expect(StoreDataSchema.parse(result.data)).toEqual(emptyStoreData());
  });

  it('migrates a version 1 file (resolvers, timeoutMs, helo, lastProfileName) to the current version', () => {
    const v1 = {
      schemaVersion: 1,
      settings: { resolvers: ['127.0.0.1:5300'], timeoutMs: 2500, helo: 'probe.contoso.com', caFiles: ['/etc/ca.pem'] },
      profiles: [example],
      lastProfileName: example.name,
    };
    const result = readStoreData(JSON.stringify(v1));
    expect(result.problems).toEqual([]);
    expect(result.changed).toBe(true);
    expect(result.data.schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(result.data.settings).toEqual({ dnsServers: ['127.0.0.1:5300'], timeoutSeconds: 3, caFiles: ['/etc/ca.pem'], heloName: 'probe.contoso.com', dkimSelectors: [], publicCaFiles: [] });
    expect(result.data.profiles.map((p) => p.name)).toEqual([example.name]);
    expect(result.data.lastProfile).toBe(example.name);
    expect(result.data.history).toEqual([]);
  });

  it('migrates a version 2 file, whose history held whole reports, to a list of runs with each report in a file of its own', () => {
    const before = {
      schemaVersion: 2,
      settings: { dnsServers: ['127.0.0.1:5300'], doh: 'https://127.0.0.1:8443/dns-query', timeoutSeconds: 7, caFiles: ['/etc/ca.pem'], heloName: 'probe.contoso.com' },
      profiles: [example],
      history: [checkRecord('r1')],
      lastProfile: example.name,
    };
    const result = readStoreData(JSON.stringify(before));
    expect(result.problems).toEqual([]);
    expect(result.changed).toBe(true);
    expect(result.data.history).toEqual([checkRecord('r1').entry]);
    expect(result.carriedRuns).toEqual([checkRecord('r1')]);
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify(before));
    const store = openConfStore({ dir });
    expect(store.takeNotices()).toEqual([]);
    expect(store.getHistory('r1')).toEqual(checkRecord('r1'));
    expect(readdirSync(join(dir, 'runs'))).toEqual(['r1.json']);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain('"report"');
  });

  it('loads a current-version file saved before DKIM selectors existed as it was, with no selectors and nothing to repair', () => {
    const before = {
      schemaVersion: 3,
      settings: { dnsServers: ['127.0.0.1:5300'], doh: 'https://127.0.0.1:8443/dns-query', timeoutSeconds: 7, caFiles: ['/etc/ca.pem'], heloName: 'probe.contoso.com' },
      profiles: [example],
      history: [checkRecord('r1').entry],
      lastProfile: example.name,
    };
    const result = readStoreData(JSON.stringify(before));
    expect(result.problems).toEqual([]);
    expect(result.changed).toBe(false);
    expect(result.data.settings).toEqual({ ...before.settings, dkimSelectors: [], publicCaFiles: [] });
    expect(result.data.profiles.map((p) => p.name)).toEqual([example.name]);
    expect(result.data.history.map((h) => h.id)).toEqual(['r1']);
    // And it opens from disk the same way, keeping the selectors once they are set.
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify(before));
    const store = openConfStore({ dir });
    expect(store.takeNotices()).toEqual([]);
    expect(store.getSettings()).toEqual({ ...before.settings, dkimSelectors: [], publicCaFiles: [] });
    store.setSettings({ ...store.getSettings(), dkimSelectors: ['s2048', 'google'] });
    expect(openConfStore({ dir }).getSettings().dkimSelectors).toEqual(['s2048', 'google']);
  });

  it('loads a file saved before TLS observations were remembered with no observations, and keeps them per profile across a reopen', () => {
    const before = { schemaVersion: 3, settings: { dnsServers: [], timeoutSeconds: 10, caFiles: [] }, profiles: [example], history: [], lastProfile: example.name };
    const result = readStoreData(JSON.stringify(before));
    expect([result.problems, result.changed, result.data.observations]).toEqual([[], false, {}]);
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify(before));
    const store = openConfStore({ dir });
    const at = '2026-03-01T10:00:00.000Z';
    store.saveObservations(example.name, [{ target: 'partner:ContosoBank', ok: false, code: 'STARTTLS_NOT_OFFERED', message: 'no STARTTLS', at }]);
    expect(openConfStore({ dir }).listObservations(example.name)).toEqual([{ target: 'partner:ContosoBank', ok: false, code: 'STARTTLS_NOT_OFFERED', message: 'no STARTTLS', at }]);
    // Deleting the profile forgets its observations.
    store.deleteProfile(example.name);
    expect(openConfStore({ dir }).listObservations(example.name)).toEqual([]);
    // Unreadable observations are dropped alone, with a word about it.
    const damaged = readStoreData(JSON.stringify({ ...before, observations: { [example.name]: [{ target: 5 }] } }));
    expect(damaged.data.profiles.map((p) => p.name)).toEqual([example.name]);
    expect(damaged.problems).toEqual(['the remembered TLS results were unreadable and are forgotten']);
  });

  it('keeps every valid part and names what it dropped', () => {
    const text = JSON.stringify({
      schemaVersion: 3,
      settings: { dnsServers: ['not an address'], timeoutSeconds: 10, caFiles: [] },
      profiles: [example, { name: 'Broken', subscription: 'nonsense' }],
      history: [checkRecord('a1').entry, { kind: 'check' }],
    });
    const result = readStoreData(text);
    expect(result.data.profiles.map((p) => p.name)).toEqual([example.name]);
    expect(result.data.history.map((e) => e.id)).toEqual(['a1']);
    expect(result.data.settings.dnsServers).toEqual([]);
    expect(result.problems.join(' | ')).toMatch(/network settings.*defaults/);
    expect(result.problems.join(' | ')).toContain('profile 2 ("Broken") was unreadable');
    expect(result.problems.join(' | ')).toContain('1 past run was unreadable');
  });

  it('refuses text that is not JSON, and files from a newer version', () => {
    expect(readStoreData('{"schemaVersion": 2, "profiles": [').problems[0]).toMatch(/not valid JSON/);
    expect(readStoreData(JSON.stringify({ schemaVersion: 99 })).problems[0]).toMatch(/newer or unknown version/);
    expect(readStoreData('[1,2]').problems[0]).toMatch(/settings object/);
  });
});

describe('conf store on disk', () => {
  it('writes a file another process (the app, the CLI) reads back the same', () => {
    const dir = tempDir();
    const first = openConfStore({ dir });
    first.saveProfile(example);
    first.setSettings({ dnsServers: ['127.0.0.1:5300'], timeoutSeconds: 7, caFiles: [], dkimSelectors: ['s2048'], publicCaFiles: [] });
    first.addHistory(checkRecord('run-1'));
    first.setWindowState({ x: 10, y: 20, width: 1000, height: 700, maximized: false });

    const onDisk = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(StoreDataSchema.parse(onDisk).schemaVersion).toBe(STORE_SCHEMA_VERSION);

    const second = openConfStore({ dir });
    expect(second.path).toBe(join(dir, 'config.json'));
    expect(second.lastProfile()?.name).toBe(example.name);
    expect(second.getSettings()).toMatchObject({ timeoutSeconds: 7, dkimSelectors: ['s2048'] });
    expect(second.listHistory().map((e) => e.id)).toEqual(['run-1']);
    expect(second.getHistory('run-1')?.report).toMatchObject({ domain: 'contoso.com' });
    expect(second.getWindowState()).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
    expect(second.takeNotices()).toEqual([]);
  });

  it('moves a corrupted file aside (kept, renamed with the time), tells the user once, and starts clean', () => {
    const dir = tempDir();
    const damaged = '{"schemaVersion":2,"settings":{"dnsServers":[],"timeoutSe';
    writeFileSync(join(dir, 'config.json'), damaged);
    const store = openConfStore({ dir, clock: fixedClock });

    const files = readdirSync(dir).sort();
    expect(files).toEqual(['config.damaged-2026-03-01T10-20-30-456Z.json', 'config.json']);
    expect(readFileSync(join(dir, 'config.damaged-2026-03-01T10-20-30-456Z.json'), 'utf8')).toBe(damaged);
    const notices = store.takeNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]?.level).toBe('warn');
    expect(notices[0]?.message).toContain('config.damaged-2026-03-01T10-20-30-456Z.json');
    expect(notices[0]?.message).toMatch(/not valid JSON/);
    expect(store.takeNotices()).toEqual([]);
    expect(StoreDataSchema.parse(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')))).toEqual(emptyStoreData());
  });

  it('keeps the readable profiles of a partly damaged file, and the damaged original beside it', () => {
    const dir = tempDir();
    const original = JSON.stringify({ schemaVersion: 2, settings: { dnsServers: [], timeoutSeconds: 10, caFiles: [] }, profiles: [example, 42], history: [] });
    writeFileSync(join(dir, 'config.json'), original);
    writeFileSync(join(dir, 'config.damaged-2026-03-01T10-20-30-456Z.json'), 'an older one');
    const store = openConfStore({ dir, clock: fixedClock });
    expect(store.listProfiles().map((p) => p.name)).toEqual([example.name]);
    expect(readFileSync(join(dir, 'config.damaged-2026-03-01T10-20-30-456Z-2.json'), 'utf8')).toBe(original);
    expect(readFileSync(join(dir, 'config.damaged-2026-03-01T10-20-30-456Z.json'), 'utf8')).toBe('an older one');
    expect(store.takeNotices()[0]?.message).toMatch(/1 profile and 0 past runs were kept/);
  });

  it('rewrites a migrated file in the current format without a notice', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ schemaVersion: 1, settings: { resolvers: [], timeoutMs: 10_000 }, profiles: [] }));
    const store = openConfStore({ dir });
    expect(store.takeNotices()).toEqual([]);
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).schemaVersion).toBe(STORE_SCHEMA_VERSION);
  });

  it('bounds the history, newest first, and handles profiles by name', () => {
    const store = openConfStore({ dir: tempDir() });
    for (let i = 0; i < MAX_HISTORY + 5; i += 1) store.addHistory(checkRecord(`run-${i}`));
    const ids = store.listHistory().map((e) => e.id);
    expect(ids).toHaveLength(MAX_HISTORY);
    expect(ids[0]).toBe(`run-${MAX_HISTORY + 4}`);
    expect(ids).not.toContain('run-4');
    expect(store.deleteHistory('run-50')).toBe(true);
    expect(store.deleteHistory('run-50')).toBe(false);
    expect(store.getHistory('run-50')).toBeUndefined();

    store.saveProfile(example);
    store.saveProfile({ ...example, name: 'Second' });
    expect(store.lastProfile()?.name).toBe('Second');
    expect(store.selectProfile(example.name)).toBe(true);
    expect(store.selectProfile('Nobody')).toBe(false);
    expect(store.deleteProfile(example.name)).toBe(true);
    expect(store.lastProfile()).toBeNull();
    expect(store.listProfiles().map((p) => p.name)).toEqual(['Second']);
  });
});

describe('store location', () => {
  it('is the app\'s userData folder on each platform, overridable', () => {
    expect(defaultStoreDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Mailflow Doctor');
    expect(defaultStoreDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe('/cfg/Mailflow Doctor');
    expect(defaultStoreDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Mailflow Doctor');
    expect(defaultStoreDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toContain('Mailflow Doctor');
    expect(defaultStoreDir({ MAILFLOW_DOCTOR_STORE_DIR: '/tmp/x' }, 'linux', '/home/ann')).toBe('/tmp/x');
  });
});

describe('store limits and permissions (attacks: a store others can read, a store that grows without bound)', () => {
  it('creates the folder 0700 and every file 0600, and tightens a store an older version left 0755/0644', () => {
    const dir = join(tempDir(), 'new');
    const store = openConfStore({ dir });
    store.saveProfile(example);
    store.addHistory(checkRecord('run-1'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'runs')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'runs', 'run-1.json')).mode & 0o777).toBe(0o600);

    const old = tempDir();
    writeFileSync(join(old, 'config.json'), JSON.stringify({ ...emptyStoreData(), profiles: [example] }), { mode: 0o644 });
    openConfStore({ dir: old });
    expect(statSync(old).mode & 0o777).toBe(0o700);
    expect(statSync(join(old, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('keeps reports out of the settings file: saving a setting after a large run rewrites a small file', () => {
    const dir = tempDir();
    const store = openConfStore({ dir });
    const big = checkRecord('big');
    const findings = Array.from({ length: 3000 }, (_, i) => ({ code: 'MX_FOUND', severity: 'info' as const, area: 'mx' as const, subject: `mx${i}.contoso.com`, message: 'x'.repeat(300), explanation: '', fix: '', evidence: [] }));
    store.addHistory({ ...big, report: { ...big.report, findings } });
    store.setSettings({ ...store.getSettings(), timeoutSeconds: 9 });
    expect(statSync(join(dir, 'config.json')).size).toBeLessThan(4096);
    expect(statSync(join(dir, 'runs', 'big.json')).size).toBeGreaterThan(900_000);
    expect(openConfStore({ dir }).getHistory('big')?.report).toMatchObject({ domain: 'contoso.com' });
  });

  it('does not keep a report over the per-run cap, but lists the run and says so', () => {
    const store = openConfStore({ dir: tempDir() });
    const big = checkRecord('huge');
    const findings = Array.from({ length: 9000 }, (_, i) => ({ code: 'MX_FOUND', severity: 'info' as const, area: 'mx' as const, subject: `mx${i}.contoso.com`, message: 'y'.repeat(1000), explanation: '', fix: '', evidence: [] }));
    store.addHistory({ ...big, report: { ...big.report, findings } });
    expect(store.listHistory().map((e) => e.id)).toEqual(['huge']);
    expect(store.getHistory('huge')).toBeUndefined();
    expect(store.takeNotices()[0]?.message).toMatch(/too large to keep in History/);
  });

  it('moves a store file over the size cap aside without reading it, and starts fresh', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), `{"schemaVersion":3,"pad":"${'z'.repeat(17 * 1024 * 1024)}"}`);
    const store = openConfStore({ dir, clock: fixedClock });
    expect(readdirSync(dir)).toContain('config.damaged-2026-03-01T10-20-30-456Z.json');
    expect(store.takeNotices()[0]?.message).toMatch(/was 17 MB, more than the 16 MB/);
    expect(store.listProfiles()).toEqual([]);
  });
});
