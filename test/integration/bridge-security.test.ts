/**
 * Attacks on browser mode's local bridge (security review, issue 10 items 4
 * and 7), each against the real bridge over loopback HTTP: the secret must
 * never be in a command line or an address, a spent or stale launch code must
 * not sign anyone in, other sites must not ride the cookie, and hostile
 * bodies and idle sockets must not exhaust it.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_SESSION_COOKIE, HTTP_TOKEN_HEADER, LIMITS } from '../../src-main/contract/api';
import { startBridge } from '../../src-main/bridge/server';
import type { RunningBridge } from '../../src-main/bridge/server';
import { writeLaunchFile } from '../../src-main/cli/commands/web';
import { rawRequest, type RawAnswer, type RawRequest } from '../support/raw-http';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mfd-bridge-sec-'));
  dirs.push(dir);
  return dir;
};

let bridge: RunningBridge;
let now = Date.parse('2026-12-01T12:00:00Z');
beforeAll(async () => {
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mailflow Doctor</title>');
  bridge = await startBridge({ storeDir: tempDir(), rendererDir, clock: { now: () => now } });
});
afterAll(async () => {
  await bridge?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const raw = (path: string, options: RawRequest = {}): Promise<RawAnswer> => rawRequest(bridge.port, path, options);
const json = { 'Content-Type': 'application/json' };
const auth = { ...json, [HTTP_TOKEN_HEADER]: '' };
const withToken = (): Record<string, string> => ({ ...auth, [HTTP_TOKEN_HEADER]: bridge.token });
const pathOf = (url: string): string => new URL(url).pathname + new URL(url).search;

describe('signing in: a one-time code becomes an HttpOnly cookie; the secret is never in an address or a command line', () => {
  it('trades a launch code once for a SameSite=Strict HttpOnly cookie that opens the API', async () => {
    const launch = bridge.newLaunchUrl();
    expect(launch).not.toContain(bridge.token);
    const first = await raw(pathOf(launch));
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain(`${HTTP_SESSION_COOKIE}=${bridge.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = `${HTTP_SESSION_COOKIE}=${bridge.token}`;
    const api = await raw('/api/app:info', { method: 'POST', headers: { ...json, Cookie: session }, body: '{}' });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.body)).toMatchObject({ ok: true, value: { mode: 'browser' } });
    // The code is spent.
    const again = await raw(pathOf(launch));
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toMatch(/already used or is more than a minute old/);
  });

  it('refuses a code after a minute, and codes it never issued', async () => {
    const launch = bridge.newLaunchUrl();
    now += 61_000;
    const stale = await raw(pathOf(launch));
    expect(stale.status).toBe(401);
    expect(stale.headers['set-cookie']).toBeUndefined();
    const forged = await raw('/launch?code=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.status).toBe(401);
  });

  it('refuses the API to a wrong cookie and to another site riding the right one (Origin)', async () => {
    const wrong = await raw('/api/app:info', { method: 'POST', headers: { ...json, Cookie: `${HTTP_SESSION_COOKIE}=nope` }, body: '{}' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.message).toMatch(/not signed in/);
    const cross = await raw('/api/settings:set', {
      method: 'POST',
      headers: { ...json, Cookie: `${HTTP_SESSION_COOKIE}=${bridge.token}`, Origin: 'https://evil.example' },
      body: JSON.stringify({ settings: { dnsServers: [], timeoutSeconds: 5, caFiles: [], dkimSelectors: [] } }),
    });
    expect(cross.status).toBe(403);
    const same = await raw('/api/app:info', { method: 'POST', headers: { ...json, Cookie: `${HTTP_SESSION_COOKIE}=${bridge.token}`, Origin: bridge.origin }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('the launch file is private to the user and holds a code, not the secret', () => {
    const launch = bridge.newLaunchUrl();
    const file = writeLaunchFile(launch);
    try {
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      expect(statSync(join(file.path, '..')).mode & 0o777).toBe(0o700);
      const text = readFileSync(file.path, 'utf8');
      expect(text).toContain(launch);
      expect(text).not.toContain(bridge.token);
    } finally {
      file.remove();
    }
  });

  it('`web` opens the browser on that file: the opener\'s arguments hold no secret and no code', async () => {
    const bin = tempDir();
    const record = join(bin, 'args.txt');
    // A stand-in xdg-open that records its arguments, as `ps` would show them to every local user.
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const child = execFile(process.execPath, [join(ROOT, 'bin/mailflow-doctor.js'), 'web'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, MAILFLOW_DOCTOR_STORE_DIR: tempDir() },
    });
    try {
      let printed = '';
      child.stdout?.on('data', (chunk: Buffer) => (printed += String(chunk)));
      let args = '';
      for (let i = 0; i < 300 && args === ''; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        try {
          args = readFileSync(record, 'utf8');
        } catch {
          // not opened yet
        }
      }
      expect(args).toMatch(/^file:\/\/\/.+open-mailflow-doctor\.html\n$/);
      expect(args).not.toMatch(/code=|token=/);
      const opened = readFileSync(fileURLToPath(args.trim()), 'utf8');
      const launch = /url=(http:\/\/127\.0\.0\.1:\d+\/launch\?code=[A-Za-z0-9_-]+)/.exec(opened)?.[1];
      expect(launch).toBeDefined();
      expect(printed).toMatch(/launch\?code=/);
      expect(printed).not.toMatch(/token=/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('resource limits: hostile bodies and idle sockets', () => {
  it('caps small channels at 64 KB while connectors:import still takes a large file, and plan:build (ids, no files) takes 4 MB', async () => {
    const padded = JSON.stringify({ id: 'run-1', pad: 'x'.repeat(LIMITS.smallRequestBytes) });
    const small = await raw('/api/history:get', { method: 'POST', headers: withToken(), body: padded });
    expect(small.status).toBe(413);
    expect(JSON.parse(small.body).error.message).toMatch(/64 KB, the most history:get takes/);
    const large = JSON.stringify({ file: { fileName: 'a.json', text: `"${'x'.repeat(900 * 1024)}"` } });
    const imported = await raw('/api/connectors:import', { method: 'POST', headers: withToken(), body: large });
    expect(imported.status).toBe(200);
    expect(JSON.parse(imported.body).ok).toBe(true);
    const plan = await raw('/api/plan:build', { method: 'POST', headers: withToken(), body: JSON.stringify({ profile: {}, pad: 'x'.repeat(4 * 1024 * 1024) }) });
    expect(plan.status).toBe(413);
    expect(JSON.parse(plan.body).error.message).toMatch(/the most plan:build takes/);
  });

  it('lets every channel take the largest input its schema allows (500 remembered observations of 2,000 characters)', async () => {
    const observations = Array.from({ length: 500 }, (_, i) => ({ target: `partner:P${i}`, ok: false, message: 'm'.repeat(2000), at: '2026-12-01T10:00:00.000Z' }));
    const saved = await raw('/api/observations:save', { method: 'POST', headers: withToken(), body: JSON.stringify({ profileName: 'Big', observations }) });
    expect(saved.status).toBe(200);
    expect(JSON.parse(saved.body)).toEqual({ ok: true, value: { saved: true } });
  });

  it('refuses deeply nested JSON before parsing it (8 MB of nested arrays)', async () => {
    const before = process.memoryUsage().rss;
    const nested = await raw('/api/message:analyze', { method: 'POST', headers: withToken(), body: Buffer.alloc(8 * 1024 * 1024, '[') });
    expect(nested.status).toBe(400);
    expect(JSON.parse(nested.body).error).toMatchObject({ code: 'BAD_JSON', message: expect.stringMatching(/nested more than 64 levels/) });
    // Parsed, this body would be millions of arrays (hundreds of MB); refused unparsed it costs about its own size.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    const shallow = await raw('/api/app:info', { method: 'POST', headers: withToken(), body: '{"a":[[[["x"]]]]}' });
    expect(shallow.status).toBe(200);
  });

  it('64 idle sockets without the secret do not starve the page, and idle sockets are closed within seconds', async () => {
    const idle: Socket[] = [];
    let closed = 0;
    for (let i = 0; i < 64; i += 1) {
      const socket = connect(bridge.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => (closed += 1));
      idle.push(socket);
    }
    await Promise.all(idle.map((s) => new Promise((r) => (s.connecting ? s.once('connect', r) : r(undefined)))));
    const answer = await raw('/api/app:info', { method: 'POST', headers: withToken(), body: '{}' });
    expect(answer.status).toBe(200);
    // The quota for unauthenticated sockets closed the oldest ones at once; the header timeout ends the rest.
    expect(closed).toBeGreaterThanOrEqual(64 - 16);
    const deadline = Date.now() + 10_000;
    while (closed < 64 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(64);
  });
});
