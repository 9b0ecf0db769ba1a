import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../src-main/contract/planner';
import { createHandlers } from '../../src-main/handlers/create-handlers';
import { createDefaultEngine } from '../../src-main/handlers/default-deps';
import { systemClock } from '../../src-main/engine/clock';
import { buildPlan, renderPlanPowerShell } from '../../src-main/planner/index';
import { createMemoryStore } from '../../src-main/store/store';
import { emptyStoreData } from '../../src-main/store/schema';
import { readAsWindowsPowerShell51, tokenizePowerShell } from '../support/powershell-lexer';
import { runCli } from '../support/run-cli';

/**
 * Attack: names from profiles and imports are the attacker's input. Without a
 * BOM, Windows PowerShell 5.1 reads a script as Windows-1252, where the UTF-8
 * bytes of "ő" (C5 91) become "Å‘", and U+2018 is a quote to PowerShell: the
 * name closes its string and the rest runs as a command.
 */
const HOSTILE = ['Győr;Start-Process calc;ő', 'Kő‘; Start-Process calc; ’x', "O'Brien ő';Start-Process calc;'"];

const profile: Profile = {
  name: 'Győr Bank ő',
  acceptedDomains: ['contoso.com'],
  subscription: 'exchange-online',
  ownServers: [],
  hybridWizardCompleted: false,
  mailboxes: 'all-cloud',
  mxPointsTo: 'office365',
  partners: HOSTILE.map((name, i) => ({
    name,
    domains: [`partner${i}.example`],
    requireTlsInbound: true,
    requireTlsOutbound: true,
    certificateCheck: 'ca-issued' as const,
    ipRanges: [],
    smartHosts: [],
  })),
  devices: [],
};

/** Bare words of the script as PowerShell 5.1 would read it: anything outside strings and comments is code. */
function codeWords(bytes: Uint8Array): string[] {
  return tokenizePowerShell(readAsWindowsPowerShell51(bytes))
    .filter((t) => t.kind === 'word')
    .map((t) => t.text);
}

function assertSafe(bytes: Uint8Array): void {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const words = codeWords(bytes);
  expect(words.length).toBeGreaterThan(10);
  expect(words).not.toContain('Start-Process');
  expect(words).not.toContain('calc');
  // Every hostile name is still one quoted value, read back whole.
  const singles = tokenizePowerShell(readAsWindowsPowerShell51(bytes)).filter((t) => t.kind === 'single').map((t) => t.text);
  for (const name of HOSTILE) expect(singles.some((s) => s.includes(name))).toBe(true);
}

const tmp = mkdtempSync(join(tmpdir(), 'mfd-ps1-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

describe('every .ps1 the product writes is read by Windows PowerShell 5.1 as UTF-8 (attack: a partner name breaking out of its string)', () => {
  const plan = buildPlan(profile, [], []);

  it('the test catches the attack: the same script without the BOM runs Start-Process under Windows-1252', () => {
    const withoutBom = Buffer.from(renderPlanPowerShell(plan).replace(/^\uFEFF/, ''), 'utf8');
    expect(codeWords(withoutBom)).toContain('Start-Process');
  });

  it('renderPlanPowerShell starts with the BOM, once', () => {
    const text = renderPlanPowerShell(plan);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.startsWith('\uFEFF\uFEFF')).toBe(false);
    assertSafe(Buffer.from(text, 'utf8'));
  });

  it('the app\'s export (report:export, format ps1) and the file the renderer saves from it', async () => {
    const handlers = createHandlers({
      mode: 'browser',
      appName: 'Mailflow Doctor',
      version: '0.1.0',
      store: createMemoryStore(emptyStoreData()),
      engine: createDefaultEngine(),
      emit: () => undefined,
      clock: systemClock,
    });
    // As the app does it: main builds the plan from the attacker's profile, and the export names it by id.
    const built = await handlers['plan:build']({ profile, observations: [] });
    if (!built.ok) throw new Error(built.error.message);
    const result = await handlers['report:export']({ format: 'ps1', subject: { kind: 'plan', planId: built.value.planId } });
    if (!result.ok) throw new Error(result.error.message);
    // The renderer saves the text as a UTF-8 Blob: the bytes are these.
    assertSafe(new Uint8Array(await new Blob([result.value.text]).arrayBuffer()));
  });

  it('plan --format ps1 on standard output, and plan --out', async () => {
    const profileFile = join(tmp, 'profile.json');
    writeFileSync(profileFile, JSON.stringify(profile));
    const stdout = await runCli(['plan', profileFile, '--format', 'ps1']);
    expect(stdout.code).toBe(0);
    assertSafe(Buffer.from(stdout.out, 'utf8'));
    const out = join(tmp, 'plan.ps1');
    const file = await runCli(['plan', profileFile, '--format', 'ps1', '--out', out]);
    expect(file.code).toBe(0);
    assertSafe(readFileSync(out));
  });

  it('report --format ps1 from a saved plan', async () => {
    const planFile = join(tmp, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const stdout = await runCli(['report', planFile, '--format', 'ps1']);
    expect(stdout.code).toBe(0);
    assertSafe(Buffer.from(stdout.out, 'utf8'));
    const out = join(tmp, 'report.ps1');
    expect((await runCli(['report', planFile, '--format', 'ps1', '--out', out])).code).toBe(0);
    assertSafe(readFileSync(out));
  });
});
