import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLANNER_CODES } from '../../src-main/planner/codes';
import { SafeCodeSchema } from '../../src-main/contract/planner';

/** Every code the planner's source raises is in the catalogue (and so in docs/findings.md), and every catalogue code is raised. */
describe('planner code catalogue', () => {
  const dir = new URL('../../src-main/planner/', import.meta.url);
  const source = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'codes.ts').map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
  const raised = new Set([...source.matchAll(/(?:code: |planFinding\(|g\(|\? |: )'([A-Z][A-Z0-9_]{5,})'/g)].map((m) => m[1]!));

  it('lists every code the planner raises, once, each a safe code with an explanation', () => {
    const catalogue = PLANNER_CODES.map((c) => c.code);
    expect(new Set(catalogue).size).toBe(catalogue.length);
    expect([...raised].filter((code) => !catalogue.includes(code))).toEqual([]);
    expect(catalogue.filter((code) => !raised.has(code))).toEqual([]);
    for (const spec of PLANNER_CODES) {
      expect(SafeCodeSchema.safeParse(spec.code).success, spec.code).toBe(true);
      expect(spec.explanation.length, spec.code).toBeGreaterThan(20);
    }
  });
});
