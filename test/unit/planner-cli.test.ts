import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PlanSchema } from '../../src-main/contract/planner';
import { profileJsonSchemaText } from '../../scripts/gen-profile-schema';
import { runCli } from '../support/run-cli';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ex = (name: string) => join(root, 'examples', name);
const fx = (name: string) => join(root, 'test/fixtures/connectors', name);
const tmp = mkdtempSync(join(tmpdir(), 'mfd-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => { process.exitCode = undefined; vi.restoreAllMocks(); });

const run = (...argv: string[]) => runCli(argv);

describe('mailflow-doctor plan', () => {
  it.each(['john-bob-sun.json', 'eop-standalone.json', 'hybrid-done.json'])('prints a Markdown plan for examples/%s and exits 0', async (name) => {
    const { code, out, err } = await run('plan', ex(name));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^# Connector plan: /);
    for (const section of ['## Decisions', '## Connectors', '## Mail flows', '## Gaps in existing connectors']) expect(out).toContain(section);
    expect(out).toMatch(/Table 2, row: /);
  });

  it('--format json is the stable interface: schemaVersion, connectors (from, to, cmdlet, parameters, reason), flows, gaps', async () => {
    const { code, out } = await run('plan', ex('john-bob-sun.json'), '--format', 'json');
    expect(code).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(out));
    expect(plan.schemaVersion).toBe(1);
    expect(plan.connectors.map((c) => `${c.from}>${c.to}:${c.cmdlet}`)).toEqual([
      'own-server>office365:New-InboundConnector', 'office365>own-server:New-OutboundConnector',
      'partner:ContosoBank>office365:New-InboundConnector', 'office365>partner:ContosoBank:New-OutboundConnector',
    ]);
    for (const c of plan.connectors) expect(c.reason.length).toBeGreaterThan(10);
    const bobSun = plan.flows.find((f) => f.from === 'bob' && f.to === 'sun');
    expect(bobSun).toMatchObject({ connectors: [], status: 'no-connector-needed' });
    expect(plan.gaps).toEqual([]);
  });

  it('--existing (repeatable) compares with exports, and exits 1 when a gap fails', async () => {
    const { code, out } = await run('plan', ex('john-bob-sun.json'), '--existing', fx('ps7-inbound.json'), '--existing', fx('ps7-outbound.json'), '--format', 'json');
    expect(code).toBe(1);
    const plan = PlanSchema.parse(JSON.parse(out));
    expect(plan.existingImported).toBe(true);
    expect(plan.gaps.map((g) => g.code)).toContain('PARTNER_TLS_NOT_REQUIRED');
    expect(plan.flows.find((f) => f.from === 'john' && f.to === 'bob')?.status).toBe('covered');
  });

  it('an empty export: every planned connector is missing, and the Gaps section does not say "None found"', async () => {
    const { code, out } = await run('plan', ex('john-bob-sun.json'), '--existing', fx('empty.json'));
    expect(code).toBe(1);
    expect(out.match(/`CONNECTOR_MISSING`/g)).toHaveLength(4);
    const gaps = out.slice(out.indexOf('## Gaps in existing connectors'));
    expect(gaps).not.toContain('None found.');
    expect(gaps).toContain('None beyond the 4 listed with the planned connectors above.');
  });

  it('says a connector is "needed" until an export shows which exist, then "missing"', async () => {
    const before = (await run('plan', ex('john-bob-sun.json'))).out;
    expect(before).toContain('| John | Bob | CONNECTOR NEEDED |');
    expect(before).not.toContain('CONNECTOR MISSING');
    const after = (await run('plan', ex('john-bob-sun.json'), '--existing', fx('empty.json'))).out;
    expect(after).toContain('| John | Bob | CONNECTOR MISSING |');
    expect(after).not.toContain('CONNECTOR NEEDED');
  });

  it('hybrid example with PS 5.1 exports (UTF-16 and UTF-8 BOM): the wizard connectors are found', async () => {
    const { code, out } = await run('plan', ex('hybrid-done.json'), '--existing', fx('ps51-hybrid-inbound-utf16.json'), '--existing', fx('ps51-hybrid-outbound-utf8bom.json'));
    expect(code).toBe(0);
    expect(out).toMatch(/\| John \| Bob \| covered \|/);
  });

  it('--format ps1 --out writes the script (with a BOM for Windows PowerShell) and prints nothing on stdout', async () => {
    const file = join(tmp, 'plan.ps1');
    const { code, out, err } = await run('plan', ex('eop-standalone.json'), '--format', 'ps1', '--out', file);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toContain(`Plan written to ${file}`);
    const text = readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain("if (-not (Get-InboundConnector | Where-Object { $_.Name -eq 'From Postfix to Office 365' })) {");
  });

  const bad: ReadonlyArray<[string, string[], RegExp]> = [
    ['a missing profile', ['plan', '/nonexistent/profile.json'], /^mailflow-doctor: \/nonexistent\/profile\.json: no such file\n$/],
    ['a profile that is not JSON', ['plan', fx('broken-truncated.json')], /broken-truncated\.json: not valid JSON/],
    ['a profile with a wrong field', ['plan', fx('ps7-inbound.json')], /ps7-inbound\.json: \(top level\): .*See examples\/profile\.schema\.json/],
    ['a broken export', ['plan', ex('john-bob-sun.json'), '--existing', fx('broken-bad-bool.json')], /broken-bad-bool\.json, item 2 \("ContosoBank inbound"\), RequireTls: expected true or false/],
    ['an unknown format', ['plan', ex('john-bob-sun.json'), '--format', 'html'], /--format must be md, json or ps1/],
  ];
  it.each(bad)('%s: one line naming the problem and where, exit 2', async (_title, argv, pattern) => {
    const { code, out, err } = await run(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(pattern);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('--observations takes TLS results as a JSON array and shows them on the flows; a bad file is a usage error naming the item', async () => {
    const { writeFileSync } = await import('node:fs');
    const good = join(tmp, 'observations.json');
    writeFileSync(good, JSON.stringify([
      { target: 'mail.contoso.com', ok: false, code: 'TLS_CERT_EXPIRED', message: 'the certificate expired on 2026-01-01' },
      { target: 'partner:ContosoBank', ok: true, message: 'TLS 1.3, trusted' },
    ]));
    const { code, out } = await run('plan', ex('john-bob-sun.json'), '--observations', good, '--format', 'json');
    expect(code).toBe(0);
    const plan = PlanSchema.parse(JSON.parse(out));
    const bobJohn = plan.flows.find((f) => f.from === 'bob' && f.to === 'john');
    expect(bobJohn?.status).toBe('tls-failing');
    expect(bobJohn?.evidence).toContain('mail.contoso.com: TLS_CERT_EXPIRED the certificate expired on 2026-01-01');
    expect(plan.flows.find((f) => f.from === 'bob' && f.to === 'partner:ContosoBank')?.status).toBe('connector-missing');

    const bad = join(tmp, 'bad-observations.json');
    writeFileSync(bad, JSON.stringify([{ target: 'x', ok: 'no', message: 'm' }]));
    const refused = await run('plan', ex('john-bob-sun.json'), '--observations', bad);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/bad-observations\.json: \[0\]\.ok: /);
    const notArray = join(tmp, 'object-observations.json');
    writeFileSync(notArray, '{"target":"x"}');
    expect((await run('plan', ex('john-bob-sun.json'), '--observations', notArray)).err).toMatch(/\(top level\).*expected an array/);
  });

  it('names the field path of a profile error', async () => {
    const file = join(tmp, 'bad-profile.json');
    const profile = JSON.parse(readFileSync(ex('john-bob-sun.json'), 'utf8')) as { partners: Array<{ certificateCheck: string }> };
    (profile.partners[0] as { certificateCheck: string }).certificateCheck = 'strict';
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify(profile));
    const { code, err } = await run('plan', file);
    expect(code).toBe(2);
    expect(err).toMatch(/bad-profile\.json: partners\[0\]\.certificateCheck: /);
  });

  it('runs as the real command (node bin/mailflow-doctor.js)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bin/mailflow-doctor.js'), 'plan', ex('john-bob-sun.json'), '--format', 'json'], { cwd: root, timeout: 30_000 });
    const plan = PlanSchema.parse(JSON.parse(stdout));
    expect(plan.profileName).toBe("Contoso (the article's John, Bob and Sun)");
  });
});

describe('examples/profile.schema.json', () => {
  it('is what scripts/gen-profile-schema.ts generates from the zod schema (run it after changing the schema)', () => {
    expect(readFileSync(ex('profile.schema.json'), 'utf8')).toBe(profileJsonSchemaText());
  });
});
