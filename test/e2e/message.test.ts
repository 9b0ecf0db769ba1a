import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createCa, fullChain, issueCert } from '../support/pki';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { exchangeNdrText } from '../support/messages';
import { ensureRendererBuilt, launchBrowser, openApp, screenshot, type AppUnderTest } from './support/harness';

/**
 * Message trace end to end (issue 13), in Chromium against browser mode: an
 * .eml dropped on the diagram opens the Message screen with its hops and its
 * path; an NDR pasted there is explained and "Probe <host> now" probes the
 * partner's server (a real SMTP peer on loopback) on the Diagnose screen.
 */
const SAMPLE = fileURLToPath(new URL('../fixtures/message/onprem-via-connector.eml', import.meta.url));
let browser: Browser;
let app: AppUnderTest | undefined;
let server: RunningServer | undefined;

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchBrowser();
});

afterEach(async () => {
  const problems = app?.problems ?? [];
  await app?.close();
  await server?.close();
  app = undefined;
  server = undefined;
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

describe('Message trace in Chromium', () => {
  it('drop an .eml on the diagram: hops and the path; paste an NDR and follow "Probe now"', async () => {
    const ca = createCa({ commonName: 'Mailflow Message E2E Root' });
    const leaf = issueCert(ca, { commonName: 'mx1.contosobank.com', altNames: ['mx1.contosobank.com'] });
    server = await startSmtpFixture({ key: leaf.keyPem, cert: fullChain(leaf, ca.certPem), name: 'mx1.contosobank.com' });
    app = await openApp(browser, { zone: { 'mx1.contosobank.com': [{ type: 'A', address: '127.0.0.1' }] }, smtpPort: server.port, trustedCaPem: [ca.certPem] });
    const { page } = app;

    // Drop the .eml on the diagram, as a user drags it from a mail client or a folder.
    const eml = await readFile(SAMPLE, 'latin1');
    const dataTransfer = await page.evaluateHandle(({ name, text }) => {
      // Browser globals, typed here because the tests compile without the DOM library.
      const dom = globalThis as unknown as { DataTransfer: new () => { items: { add(file: unknown): void } }; File: new (parts: unknown[], name: string, options: { type: string }) => unknown };
      const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
      const transfer = new dom.DataTransfer();
      transfer.items.add(new dom.File([bytes], name, { type: 'message/rfc822' }));
      return transfer;
    }, { name: 'onprem-via-connector.eml', text: eml });
    await page.getByTestId('diagram-drop-target').dispatchEvent('dragover', { dataTransfer });
    await page.getByTestId('diagram-drop-target').dispatchEvent('drop', { dataTransfer });

    await page.getByTestId('message-result').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('message-summary').textContent()).resolves.toContain('Quarterly résults for Übersicht');
    expect(await page.locator('[data-testid^="message-hop-"]').count()).toBe(5);
    const entry = page.getByTestId('message-hop-3');
    expect(await entry.getAttribute('data-tls')).toBe('tls');
    await expect(entry.textContent()).resolves.toMatch(/mail\.contoso\.com \[203\.0\.113\.25\].*AM0EUR02FT012\.mail\.protection\.outlook\.com.*TLS 1\.2.*\+3 s/);
    await expect(page.getByTestId('message-attribution').getAttribute('data-kind')).resolves.toBe('own-server-connector');
    await expect(page.getByTestId('message-auth').textContent()).resolves.toContain('Composite authentication (compauth) passed');
    const path = page.getByTestId('message-path');
    expect([await path.getAttribute('data-from'), await path.getAttribute('data-to')]).toEqual(['john', 'bob']);
    await expect(page.getByTestId('message-connector-expected').textContent()).resolves.toBe('From EX2013 to Office 365');
    const arrow = page.getByTestId('message-diagram').getByTestId('flow-edge-john-bob');
    await arrow.waitFor();
    expect(await arrow.getAttribute('aria-pressed')).toBe('true');
    await expect(page.locator('[data-code="EXCHANGE_OUT_OF_SUPPORT"]').textContent()).resolves.toContain('4.7.230');
    await screenshot(page, 'message-trace', true);

    // The same path, highlighted on the main diagram.
    await page.getByTestId('message-show-diagram').click();
    await page.getByTestId('overview').waitFor();
    expect(await page.getByTestId('overview').getByTestId('flow-edge-john-bob').getAttribute('aria-pressed')).toBe('true');

    // An NDR pasted into the same box: explained, with the probe that would confirm it.
    await page.getByTestId('nav-message').click();
    await page.getByTestId('message-text').fill(exchangeNdrText('450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch]', { remoteServer: 'mx1.contosobank.com' }));
    await page.getByTestId('message-analyze').click();
    const ndr = page.getByTestId('message-ndr');
    await ndr.waitFor();
    await expect(ndr.textContent()).resolves.toContain('TLS required but not offered, or certificate name mismatch');
    const probe = page.getByTestId('message-probe');
    await expect(probe.textContent()).resolves.toBe('Probe mx1.contosobank.com now');
    await screenshot(page, 'message-ndr', true);
    await probe.click();
    await page.getByTestId('diagnose').waitFor();
    await expect(page.getByTestId('diagnose-target').inputValue()).resolves.toBe('mx1.contosobank.com');
    const result = page.getByTestId('diagnose-result');
    await result.waitFor({ timeout: 60_000 });
    await expect(result.textContent()).resolves.toContain('mx1.contosobank.com');
    await expect(result.textContent()).resolves.toContain('Encrypted with TLSv1.3');
  });
});
