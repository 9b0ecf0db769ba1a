/**
 * Two processes on one store file (the app and the CLI or browser mode): each
 * writes the whole object, so each must start from the file's latest content
 * or it silently undoes the other's save.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../src-main/contract/planner';
import type { Profile } from '../../src-main/contract/planner';
import { openConfStore } from '../../src-main/store/conf-store';
import type { HistoryRecord } from '../../src-main/store/schema';
import { useTempDirs } from '../support/temp-dirs';

const example: Profile = ProfileSchema.parse(JSON.parse(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8')));
const named = (name: string): Profile => ({ ...example, name });

const tempDir = useTempDirs('mailflow-store-');

function checkRecord(id: string): HistoryRecord {
  return {
    kind: 'check',
    entry: { id, kind: 'check', target: 'contoso.com', at: '2026-03-01T10:00:00.000Z', worstSeverity: 'ok', elapsedMs: 12 },
    report: { schemaVersion: 1, domain: 'contoso.com', domainUnicode: 'contoso.com', startedAt: '2026-03-01T10:00:00.000Z', elapsedMs: 12, resolver: '127.0.0.1:53', findings: [], mx: [] },
  };
}

describe('one store file, two writers', () => {
  it('keeps both writers\' changes: profiles, history and settings', () => {
    const dir = tempDir();
    const app = openConfStore({ dir });
    const cli = openConfStore({ dir });
    app.saveProfile(named('From the app'));
    cli.saveProfile(named('From the CLI'));
    cli.addHistory(checkRecord('run-1'));
    app.setSettings({ ...app.getSettings(), timeoutSeconds: 20 });
    app.addHistory(checkRecord('run-2'));

    expect(app.listProfiles().map((p) => p.name).sort()).toEqual(['From the CLI', 'From the app']);
    expect(cli.listHistory().map((h) => h.id)).toEqual(['run-2', 'run-1']);
    expect(cli.getSettings().timeoutSeconds).toBe(20);
    const reopened = openConfStore({ dir });
    expect(reopened.listProfiles().map((p) => p.name).sort()).toEqual(['From the CLI', 'From the app']);
    expect(reopened.listHistory()).toHaveLength(2);
    expect(reopened.lastProfile()?.name).toBe('From the CLI');
  });

  it('does not take over a file another process left damaged: keeps its own data and repairs the file on its next write', () => {
    const dir = tempDir();
    const app = openConfStore({ dir });
    app.saveProfile(named('Kept'));
    writeFileSync(join(dir, 'config.json'), '{"schemaVersion": 2, "profiles": [tr');
    expect(app.listProfiles().map((p) => p.name)).toEqual(['Kept']);
    app.addHistory(checkRecord('run-1'));
    const reopened = openConfStore({ dir });
    expect(reopened.takeNotices()).toEqual([]);
    expect(reopened.listProfiles().map((p) => p.name)).toEqual(['Kept']);
    expect(readdirSync(dir).filter((f) => f.startsWith('config.damaged'))).toEqual([]);
  });
});
