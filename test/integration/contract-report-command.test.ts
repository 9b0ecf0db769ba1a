import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';

const dir = mkdtempSync(join(tmpdir(), 'mailflow-report-'));
const example = fileURLToPath(new URL('../../examples/john-bob-sun.json', import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mailflow-doctor report', () => {
  it('turns a saved plan into the printable HTML report the app exports', async () => {
    const planFile = join(dir, 'plan.json');
    process.exitCode = undefined;
    expect(await main(['plan', example, '--format', 'json', '--out', planFile])).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    const htmlFile = join(dir, 'plan.html');
    expect(await main(['report', planFile, '--format', 'html', '--out', htmlFile])).toBe(0);
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(html).toContain(`<title>Connector plan: ${String(plan.profileName).replace(/'/g, '&#39;')}</title>`);
    expect(html).not.toMatch(/<script/i);
  });

  it('refuses files that are not a report, and unknown formats, as usage errors', async () => {
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ hello: 'world' }));
    expect(await main(['report', other])).toBe(2);
    expect(await main(['report', join(dir, 'missing.json')])).toBe(2);
    expect(await main(['report', other, '--format', 'pdf'])).toBe(2);
  });
});
