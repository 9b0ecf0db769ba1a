import { describe, expect, it } from 'vitest';
import { SESSION_LIMITS, SessionObjects } from '../../src-main/handlers/session-objects';
import { createHandlers } from '../../src-main/handlers/create-handlers';
import { readFileSync } from 'node:fs';
import { createMemoryStore } from '../../src-main/store/store';
import { emptyStoreData } from '../../src-main/store/schema';
import { ProfileSchema } from '../../src-main/contract/planner';
import type { EngineDeps } from '../../src-main/handlers/types';
import { systemClock } from '../../src-main/engine/clock';
import { examplePlan } from '../renderer/support/fixtures';

const counter = (prefix: string) => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};

/** Imported files and built plans stay in main, in a store bounded per session (issue 14 §1). */
describe('SessionObjects', () => {
  it('drops the least recently used entry past its cap; reading an entry makes it the most recent', () => {
    const store = new SessionObjects<string>(3, counter('id'));
    const [a, b, c] = [store.add('a'), store.add('b'), store.add('c')];
    expect(store.get(a)).toBe('a');
    const d = store.add('d');
    expect(store.size).toBe(3);
    expect(store.get(b)).toBeUndefined();
    expect([store.get(a), store.get(c), store.get(d)]).toEqual(['a', 'c', 'd']);
    expect(store.get('never-made')).toBeUndefined();
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new SessionObjects(0, counter('id'))).toThrow(/positive integer/);
  });
});

describe('plan:build and report:export by id, with the store bound', () => {
  const seen: { existing: readonly string[] }[] = [];
  const engine: EngineDeps = {
    runCheck: () => Promise.reject(new Error('not used')),
    probe: () => Promise.reject(new Error('not used')),
    dnsQuery: () => Promise.reject(new Error('not used')),
    buildPlan: (profile, existing) => {
      seen.push({ existing: existing.map((f) => f.text) });
      return examplePlan({ profileName: profile.name, existingImported: existing.length > 0 });
    },
    importConnectors: (file) => ({ fileName: file.fileName, connectors: [], problems: file.text === 'bad' ? [{ message: 'bad' }] : [] }),
  };
  const handlers = createHandlers({ mode: 'browser', appName: 'Mailflow Doctor', version: '0', store: createMemoryStore(emptyStoreData()), engine, emit: () => undefined, clock: systemClock, newId: counter('obj') });
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8')));

  it('hands the planner the files the ids name, keeps no file with problems, and forgets the oldest import past the cap', async () => {
    const bad = await handlers['connectors:import']({ file: { fileName: 'bad.json', text: 'bad' } });
    expect(bad.ok && bad.value.importId).toBeUndefined();
    const ids: string[] = [];
    for (let i = 0; i <= SESSION_LIMITS.imports; i += 1) {
      const imported = await handlers['connectors:import']({ file: { fileName: `f${i}.json`, text: `text ${i}` } });
      if (!imported.ok || imported.value.importId === undefined) throw new Error('not kept');
      ids.push(imported.value.importId);
    }
    const built = await handlers['plan:build']({ profile, importIds: ids.slice(-2), observations: [] });
    expect(built.ok && built.value.plan.existingImported).toBe(true);
    expect(seen.at(-1)?.existing).toEqual([`text ${SESSION_LIMITS.imports - 1}`, `text ${SESSION_LIMITS.imports}`]);
    // The first import was the least recently used when the cap was passed: choosing it again is the way back.
    const expired = await handlers['plan:build']({ profile, importIds: [ids[1]!, ids[0]!], observations: [] });
    expect(expired.ok ? 'ok' : expired.error).toMatchObject({ code: 'NOT_FOUND', where: 'importIds.1', message: expect.stringMatching(/choose the file again/) });
  });

  it('exports the plan it built, by id, until the plan is one of more than the cap', async () => {
    const first = await handlers['plan:build']({ profile: { ...profile, name: 'First' }, observations: [] });
    if (!first.ok) throw new Error(first.error.message);
    const json = await handlers['report:export']({ format: 'json', subject: { kind: 'plan', planId: first.value.planId } });
    expect(json.ok && JSON.parse(json.value.text)).toEqual(first.value.plan);
    for (let i = 0; i < SESSION_LIMITS.plans; i += 1) await handlers['plan:build']({ profile, observations: [] });
    const gone = await handlers['report:export']({ format: 'json', subject: { kind: 'plan', planId: first.value.planId } });
    expect(gone.ok ? 'ok' : gone.error).toMatchObject({ code: 'NOT_FOUND', where: 'subject.planId' });
  });
});
