/**
 * Writes docs/findings.md: every finding code of the checks and probes, with
 * its area, usual severity, explanation and fix, straight from the catalogues
 * the engine reports from, so the reference can never drift from the code.
 *   npx tsx scripts/gen-findings-doc.ts
 * test/unit/findings-doc.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FindingAreaSchema } from '../src-main/contract/findings';
import { F as CHECK_FINDINGS } from '../src-main/engine/checks/catalogue';
import type { FindingSpec } from '../src-main/engine/findings';
import { SMTP_FINDINGS } from '../src-main/engine/smtp/findings';
import { TLS_FINDINGS } from '../src-main/engine/tls/findings';
import { PLANNER_CODES } from '../src-main/planner/codes';

/** Every finding the engine can report, in report order: by area, then code. */
export function allFindingSpecs(): FindingSpec[] {
  const areaOrder = FindingAreaSchema.options;
  const specs = [CHECK_FINDINGS, SMTP_FINDINGS, TLS_FINDINGS].flatMap((catalogue) => Object.values(catalogue) as FindingSpec[]);
  return specs.sort((a, b) => areaOrder.indexOf(a.area) - areaOrder.indexOf(b.area) || a.code.localeCompare(b.code));
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function findingsDocText(): string {
  const lines = [
    '# Finding codes',
    '',
    'Every finding that `mailflow-doctor check` and `probe` (and the app) can report. Codes are stable: scripts may match on them.',
    'The severity is the usual one; some findings are raised or lowered by context (say, a missing TLS-RPT record matters more when MTA-STS is in use).',
    '',
    '_Generated from the engine\'s catalogues by `npx tsx scripts/gen-findings-doc.ts`; do not edit by hand._',
    '',
    '| Code | Area | Severity | What it means | Fix |',
    '|---|---|---|---|---|',
    ...allFindingSpecs().map((s) => `| \`${s.code}\` | ${s.area} | ${s.severity} | ${cell(s.explanation)} | ${cell(s.fix)} |`),
    '',
    '## Planner codes',
    '',
    'Codes of `mailflow-doctor plan` (and the app\'s plan): findings about the profile, and gaps about a planned connector or what an import shows. Each report names the connector, server or partner and gives the fix for that case.',
    '',
    '| Code | Kind | Severity | What it means |',
    '|---|---|---|---|',
    ...[...PLANNER_CODES].sort((a, b) => a.code.localeCompare(b.code)).map((s) => `| \`${s.code}\` | ${s.kind} | ${s.severity} | ${cell(s.explanation)} |`),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('../docs/findings.md', import.meta.url));
  writeFileSync(out, findingsDocText());
  process.stdout.write(`wrote ${out}\n`);
}
