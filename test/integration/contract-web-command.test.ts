/**
 * `mailflow-doctor web` as the user runs it (the second half of `npm run web`):
 * a real process that prints a one-time sign-in address, serves the API to the
 * browser signed in with it, and stops cleanly on Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';

const bin = fileURLToPath(new URL('../../bin/mailflow-doctor.js', import.meta.url));
const storeDir = mkdtempSync(join(tmpdir(), 'mailflow-web-'));
afterAll(() => rmSync(storeDir, { recursive: true, force: true }));

describe('mailflow-doctor web', () => {
  it('prints a one-time sign-in address whose cookie opens the API, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [bin, 'web', '--no-open'], { env: { ...process.env, MAILFLOW_DOCTOR_STORE_DIR: storeDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const launchPattern = /http:\/\/127\.0\.0\.1:\d+\/launch\?code=[\w-]+/;
    try {
      await expect.poll(() => launchPattern.test(out), { timeout: 15_000 }).toBe(true);
      const launch = new URL(launchPattern.exec(out)![0]);
      const signIn = await fetch(launch, { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(cookie).toMatch(/^mailflow_session=[\w-]{43}$/);
      const response = await fetch(`${launch.origin}/api/app:info`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: '{}' });
      expect(await response.json()).toMatchObject({ ok: true, value: { mode: 'browser', storePath: join(storeDir, 'config.json') } });
      // The secret itself was never printed.
      expect(out).not.toContain(cookie.split('=')[1]);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad --port as a usage error (exit 2)', async () => {
    expect(await main(['web', '--no-open', '--port', 'eighty'])).toBe(2);
  });
});
