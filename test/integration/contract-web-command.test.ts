/**
 * `mailflow-doctor web` as the user runs it (the second half of `npm run web`):
 * a real process that prints its address, serves the API with the token, and
 * stops cleanly on Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HTTP_TOKEN_HEADER } from '../../src-main/contract/api';
import { main } from '../../src-main/cli/main';

const bin = fileURLToPath(new URL('../../bin/mailflow-doctor.js', import.meta.url));
const storeDir = mkdtempSync(join(tmpdir(), 'mailflow-web-'));
afterAll(() => rmSync(storeDir, { recursive: true, force: true }));

describe('mailflow-doctor web', () => {
  it('prints a 127.0.0.1 address with a token, serves the API with it, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [bin, 'web', '--no-open'], { env: { ...process.env, MAILFLOW_DOCTOR_STORE_DIR: storeDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.test(out), { timeout: 15_000 }).toBe(true);
      const url = new URL(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out)![0]);
      const token = url.searchParams.get('token')!;
      const response = await fetch(`${url.origin}/api/app:info`, { method: 'POST', headers: { 'Content-Type': 'application/json', [HTTP_TOKEN_HEADER]: token }, body: '{}' });
      expect(await response.json()).toMatchObject({ ok: true, value: { mode: 'browser', storePath: join(storeDir, 'config.json') } });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a bad --port as a usage error (exit 2)', async () => {
    expect(await main(['web', '--no-open', '--port', 'eighty'])).toBe(2);
  });
});
