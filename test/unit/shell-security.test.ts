/**
 * The desktop app's pages and the files behind them: which URLs count as the
 * app's own (the IPC sender check and the navigation guard both ask this),
 * what the `app://` protocol serves, and the spellings that try to leave the
 * renderer folder. Also: the page's meta CSP is the header CSP, to the letter.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../src-main/contract/api';
import { APP_ORIGIN, appResponse } from '../../src-main/electron/app-protocol';
import { isAppUrl } from '../../src-main/electron/security';

const root = { appOrigin: APP_ORIGIN };

describe('isAppUrl', () => {
  it('accepts the app:// pages, with or without a route', () => {
    expect(isAppUrl('app://mailflow/index.html', root)).toBe(true);
    expect(isAppUrl('app://mailflow/index.html#/plan', root)).toBe(true);
    expect(isAppUrl('app://mailflow/', root)).toBe(true);
  });

  it('refuses file:// pages (the app no longer lives there), other hosts and schemes, and hidden dot-dots', () => {
    for (const url of [
      'file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer/index.html',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://mailflow.evil.example/index.html',
      'app://user:pass@mailflow/index.html',
      'app://mailflow/..%2F..%2Fetc/passwd',
      'app://mailflow/..%5Cx.html',
      'https://mailflow/index.html',
      'https://evil.example/',
      'not a url',
    ]) {
      expect(isAppUrl(url, root), url).toBe(false);
    }
  });

  it('accepts the dev server origin only while developing', () => {
    expect(isAppUrl('http://localhost:5173/index.html', { ...root, devOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html', root)).toBe(false);
    expect(isAppUrl('http://localhost:5174/', { ...root, devOrigin: 'http://localhost:5173' })).toBe(false);
  });
});

describe('the app:// protocol (attack: reading files outside the renderer)', () => {
  const base = mkdtempSync(join(tmpdir(), 'mfd-app-protocol-'));
  const rendererDir = join(base, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mailflow Doctor</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'SECRET-OUTSIDE');
  symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'link.txt'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves the renderer\'s files with the CSP and their MIME type', async () => {
    const index = await appResponse(rendererDir, 'app://mailflow/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await index.text()).toContain('<title>Mailflow Doctor</title>');
    const script = await appResponse(rendererDir, 'app://mailflow/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('never serves anything outside the folder, however the path is spelled', async () => {
    for (const url of [
      'app://mailflow/../secret.txt',
      'app://mailflow/%2e%2e/secret.txt',
      'app://mailflow/..%2fsecret.txt',
      'app://mailflow/%2e%2e%5csecret.txt',
      'app://mailflow/assets/%2e%2e/%2e%2e/secret.txt',
      'app://mailflow/link.txt',
      'app://mailflow/a/%00.js',
      'app://evil/index.html',
      'file:///etc/passwd',
    ]) {
      const response = await appResponse(rendererDir, url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('SECRET-OUTSIDE');
    }
  });
});

describe('Content-Security-Policy', () => {
  it('the page\'s meta CSP is the header CSP, to the letter', () => {
    const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(RENDERER_CSP);
    expect(RENDERER_CSP).toMatch(/base-uri 'none'/);
    expect(RENDERER_CSP).toMatch(/form-action 'none'/);
    expect(RENDERER_CSP).toMatch(/font-src 'self'/);
  });
});
