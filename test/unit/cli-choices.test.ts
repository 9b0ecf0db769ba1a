import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExportFormatSchema } from '../../src-main/contract/api';
import { choice, listWords } from '../../src-main/cli/choice';
import { REPORT_FORMATS } from '../../src-main/cli/commands/report';
import { useTempDirs } from '../support/temp-dirs';
import { runCli } from '../support/run-cli';

const example = fileURLToPath(new URL('../../examples/john-bob-sun.json', import.meta.url));
const tempDir = useTempDirs('mfd-choices-');
afterEach(() => { process.exitCode = undefined; vi.restoreAllMocks(); });

const run = (...argv: string[]) => runCli(argv);

describe('enum-like option values', () => {
  it('match without regard to case and come back in their canonical spelling', () => {
    expect(choice('--format', 'PS1', ['md', 'json', 'ps1'])).toBe('ps1');
    expect(choice('--format', 'Md', ['md', 'json', 'ps1'])).toBe('md');
    expect(() => choice('--format', 'pdf', ['md', 'json', 'ps1'])).toThrow('--format must be md, json or ps1, not "pdf"');
    expect(listWords(['html'])).toBe('html');
  });

  it('report offers every export format there is', () => {
    expect([...REPORT_FORMATS].sort()).toEqual([...ExportFormatSchema.options].sort());
  });

  it('plan --format PS1 and --format Md work as their lower-case spellings', async () => {
    const ps1 = await run('plan', example, '--format', 'PS1');
    expect(ps1.code).toBe(0);
    expect(ps1.out).toBe((await run('plan', example, '--format', 'ps1')).out);
    expect(ps1.out).toContain('New-InboundConnector');
    const md = await run('plan', example, '--format', 'Md');
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# Connector plan: /);
  });

  it('report --format HTML and Md work on a saved plan', async () => {
    const dir = tempDir();
    const planFile = join(dir, 'plan.json');
    expect((await run('plan', example, '--format', 'JSON', '--out', planFile)).code).toBe(0);
    expect(JSON.parse(readFileSync(planFile, 'utf8'))).toHaveProperty('schemaVersion');
    const html = await run('report', planFile, '--format', 'HTML');
    expect(html.code).toBe(0);
    expect(html.out).toMatch(/^<!doctype html>/i);
    const md = await run('report', planFile, '--format', 'Md');
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^# /);
  });

  it.each([
    [['plan', example, '--format', 'html'], '--format must be md, json or ps1, not "html"'],
    [['plan', example, '--format', 'PDF'], '--format must be md, json or ps1, not "PDF"'],
    [['report', example, '--format', 'pdf'], '--format must be html, md, json or ps1, not "pdf"'],
  ])('%j: one line listing the allowed values, exit 2', async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`mailflow-doctor: ${message}\n`);
  });

  it('a wrong dns record type lists the types, exit 2 (lower-case types: check-cli, against a real server)', async () => {
    const { code, err } = await run('dns', 'contoso.test', 'Tlsa-x');
    expect(code).toBe(2);
    expect(err).toMatch(/^mailflow-doctor: record type "Tlsa-x" is not one of A, AAAA, .*TLSA/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
