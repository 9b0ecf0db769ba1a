/**
 * The store's bounds: profiles are capped, and reaching the cap is said, never
 * handled by silently dropping the oldest profile; history is bounded and the
 * oldest runs go (that is what a history is for).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../src-main/contract/planner';
import type { Profile } from '../../src-main/contract/planner';
import { createHandlers } from '../../src-main/handlers/create-handlers';
import type { EngineDeps } from '../../src-main/handlers/types';
import { createMemoryStore } from '../../src-main/store/store';
import { emptyStoreData, MAX_PROFILES } from '../../src-main/store/schema';

const example: Profile = ProfileSchema.parse(JSON.parse(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8')));

describe('profile limit', () => {
  it('refuses a new profile at the limit with an INPUT error, keeps every saved one, and still replaces an existing one', async () => {
    const store = createMemoryStore(emptyStoreData());
    for (let i = 0; i < MAX_PROFILES; i += 1) store.saveProfile({ ...example, name: `Org ${i}` });
    const handlers = createHandlers({ mode: 'browser', appName: 't', version: '0', store, engine: {} as EngineDeps, emit: () => undefined, clock: { now: () => 0 } });

    const refused = await handlers['profiles:save']({ profile: { ...example, name: 'One too many' } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'INPUT', where: 'profile.name' });
    expect(store.listProfiles()).toHaveLength(MAX_PROFILES);
    expect(store.listProfiles().some((p) => p.name === 'Org 0')).toBe(true);

    const replaced = await handlers['profiles:save']({ profile: { ...example, name: 'Org 0', acceptedDomains: ['replaced.example'] } });
    expect(replaced.ok).toBe(true);
    expect(store.listProfiles()).toHaveLength(MAX_PROFILES);
    expect(store.lastProfile()?.acceptedDomains).toEqual(['replaced.example']);
  });
});
