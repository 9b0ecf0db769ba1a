import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src-main/contract/errors';
import { buildPlan, importConnectors, parseProfile } from '../../src-main/planner/index';
import { buildPlanInWorker } from '../../src-main/handlers/plan-runner';
import { HandlerError } from '../../src-main/handlers/errors';

/** plan:build in the app and the bridge runs the planner on a worker thread with a deadline (security issue item 2). */
const profile = parseProfile(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8'), 'john-bob-sun.json');
/** An export at the import cap: two Partner connectors of 50,000 domains each (hundreds of milliseconds to read and plan). */
const large = { fileName: 'large.json', text: JSON.stringify([0, 1].map((n) => ({ Name: `Bulk ${n}`, ConnectorType: 'Partner', RecipientDomains: Array.from({ length: 50_000 }, (_, i) => `d${i}.example`) }))) };
const file = (name: string) => ({ fileName: name, text: readFileSync(new URL(`../../examples/unrelated-connectors/${name}`, import.meta.url), 'utf8') });

describe('planning on a worker thread', () => {
  it('returns the same plan the pure planner builds in-process', async () => {
    const existing = [file('inbound.json'), file('outbound.json')];
    const fromWorker = await buildPlanInWorker({ profile, existing, observations: [] });
    const inProcess = buildPlan(profile, existing.flatMap((f) => importConnectors(f.fileName, f.text)), [], { existingImported: true });
    expect(fromWorker).toEqual(inProcess);
    expect(fromWorker.gaps.filter((g) => g.code === 'CONNECTOR_NOT_IN_PLAN').map((g) => g.subject)).toEqual(['Signature service inbound', 'Cloud filter inbound', 'Signature service outbound']);
  });

  it('passes an unreadable import back as an input error naming the file', async () => {
    const error = await buildPlanInWorker({ profile, existing: [{ fileName: 'bad.json', text: '{ not json' }], observations: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^bad\.json: not valid JSON/);
  });

  it('stops the worker at the deadline and says so', async () => {
    const error = await buildPlanInWorker({ profile, existing: [large], observations: [] }, 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).value).toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/took longer than 0 s and was stopped/) });
  });
});

describe('the planning worker after a deadline', () => {
  it('starts afresh for the next request', async () => {
    await expect(buildPlanInWorker({ profile, existing: [large], observations: [] }, 5)).rejects.toBeInstanceOf(HandlerError);
    const plan = await buildPlanInWorker({ profile, existing: [], observations: [] });
    expect(plan.connectors.map((c) => c.id)).toEqual(buildPlan(profile).connectors.map((c) => c.id));
  });
});
