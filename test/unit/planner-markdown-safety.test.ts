import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlanSchema } from '../../src-main/contract/planner';
import type { Plan } from '../../src-main/contract/planner';
import { buildPlan, parseProfile, renderPlanMarkdown } from '../../src-main/planner/index';

/**
 * Security issue item 5: a crafted plan JSON must not put raw HTML into the
 * Markdown report through ids, gap codes or flow connector ids (which were
 * written unescaped inside backticks), and the schema refuses such ids.
 */
const genuine = buildPlan(parseProfile(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8'), 'john-bob-sun.json'), [], [], { existingImported: true });
const PAYLOAD = '`<img src=x onerror=alert(1)>`|<script>alert(2)</script>';
const crafted: Plan = {
  ...genuine,
  connectors: genuine.connectors.map((c, i) => (i === 0 ? { ...c, id: PAYLOAD, parameters: { ...c.parameters, [`<b onclick=x>${'`'}`]: 'v' }, matchedBecause: '<i>x</i>', existing: '<u>e</u>' } : c)),
  gaps: [{ code: PAYLOAD, severity: 'fail', subject: PAYLOAD, message: '<svg onload=alert(3)>', fix: '[link](javascript:alert(4))' }, ...genuine.gaps],
  flows: genuine.flows.map((f, i) => (i === 0 ? { ...f, connectors: [PAYLOAD] } : f)),
  findings: genuine.findings.map((f, i) => (i === 0 ? { ...f, code: PAYLOAD } : f)),
};

describe('plan Markdown carries no raw HTML from a crafted plan', () => {
  it('the schema refuses ids, flow connector ids and gap codes outside the safe pattern', () => {
    const result = PlanSchema.safeParse(crafted);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['connectors.0.id', 'gaps.0.code', 'flows.0.connectors.0']));
    expect(PlanSchema.safeParse(genuine).success).toBe(true);
  });

  it('escapes every field even when the plan did not pass the schema', () => {
    const md = renderPlanMarkdown(crafted);
    // No HTML tag can start: every "<" is escaped or inside a code span that nothing can close early.
    for (const line of md.split('\n')) {
      const outsideCode = line.replace(/`[^`]*`/g, '');
      expect(outsideCode, line).not.toMatch(/(^|[^\\])<[a-z/!]/i);
      expect(outsideCode, line).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
    }
    // The payload's backticks and pipes cannot end a code span or a table cell.
    const flowRow = md.split('\n').find((l) => l.startsWith('| John |') || l.includes(' <img'))!;
    expect(flowRow).toBeDefined();
    expect(md).not.toContain('`<img');
    expect(md.split('\n').filter((l) => l.startsWith('|')).every((l) => l.split(/(?<!\\)\|/).length === 7)).toBe(true);
  });
});
