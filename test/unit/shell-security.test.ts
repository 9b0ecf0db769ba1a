/**
 * Which pages count as the app's own (the IPC sender check and the navigation
 * guard both ask this), on Linux/macOS paths and on Windows paths, and the
 * spellings that try to leave the renderer folder.
 */
import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../src-main/electron/security';

describe('isAppUrl', () => {
  const posix = { fileDir: '/opt/Mailflow Doctor/resources/app.asar/out/renderer' };
  const windows = { fileDir: 'C:\\Users\\Ana María\\AppData\\Local\\Programs\\Mailflow Doctor\\resources\\app.asar\\out\\renderer' };

  it('accepts the renderer page on POSIX, with Chromium\'s encoding of spaces', () => {
    expect(isAppUrl('file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer/index.html', posix)).toBe(true);
    expect(isAppUrl('file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer/index.html#/plan', posix)).toBe(true);
  });

  it('accepts the renderer page on Windows (backslash folder, file:///C:/ URL, any drive-letter case)', () => {
    expect(isAppUrl('file:///C:/Users/Ana%20Mar%C3%ADa/AppData/Local/Programs/Mailflow%20Doctor/resources/app.asar/out/renderer/index.html', windows)).toBe(true);
    expect(isAppUrl('file:///c:/Users/Ana%20Mar%C3%ADa/AppData/Local/Programs/Mailflow%20Doctor/resources/app.asar/out/renderer/index.html', windows)).toBe(true);
  });

  it('refuses pages outside the folder, however spelled', () => {
    for (const url of [
      'file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer-evil/index.html',
      'file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer/..%2F..%2F..%2Fetc/passwd',
      'file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer/%2e%2e/x.html',
      'file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer/..%5Cx.html',
      'file:///opt/Mailflow%20Doctor/resources/app.asar/out/renderer',
      'file://evil.example/opt/Mailflow%20Doctor/resources/app.asar/out/renderer/index.html',
      'file:///etc/passwd',
      'https://evil.example/opt/Mailflow%20Doctor/resources/app.asar/out/renderer/index.html',
      'not a url',
    ]) {
      expect(isAppUrl(url, posix), url).toBe(false);
    }
    expect(isAppUrl('file:///C:/Users/Other/out/renderer/index.html', windows)).toBe(false);
  });

  it('accepts the dev server origin only while developing', () => {
    expect(isAppUrl('http://localhost:5173/index.html', { ...posix, devOrigin: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5173/index.html', posix)).toBe(false);
    expect(isAppUrl('http://localhost:5174/', { devOrigin: 'http://localhost:5173' })).toBe(false);
  });
});
