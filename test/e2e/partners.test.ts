import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startPartnerLab, type PartnerLab } from '../support/partner-lab';
import { ensureRendererBuilt, launchBrowser, openApp, screenshot, type AppUnderTest } from './support/harness';

/**
 * The Partners screen end to end: Chromium against browser mode, the partner
 * lab's DNS zone and SMTP servers on loopback, a fresh store.
 */
let browser: Browser;
let lab: PartnerLab;
let app: AppUnderTest | undefined;

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchBrowser();
  lab = await startPartnerLab();
});

afterEach(async () => {
  const problems = app?.problems ?? [];
  await app?.close();
  app = undefined;
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await lab?.close();
});

describe('Partners', () => {
  it('imports a CSV, checks it with live progress, opens a failing partner, copies its message, exports the report and the .ps1', async () => {
    app = await openApp(browser, { zone: lab.zone, smtpPort: lab.port, trustedCaPem: [lab.ca.certPem], rehearsalAnchors: [lab.caSubject] });
    const { page } = app;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.bridge.origin });
    await page.getByTestId('nav-partners').click();
    await expect.poll(() => page.getByTestId('partners-empty').isVisible()).toBe(true);

    await page.getByTestId('partners-file').setInputFiles({ name: 'partners.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lab.csv}\nnot a domain,Bad,,,\n`) });
    await expect.poll(() => page.getByTestId('partners-import-result').innerText()).toContain('Added 12 partner(s). 1 line(s) rejected:');
    await expect.poll(() => page.getByTestId('partners-import-result').innerText()).toContain('Line 14:');
    await expect.poll(() => page.getByTestId('partners-row').count()).toBe(12);

    await page.getByTestId('partners-run-all').click();
    await expect.poll(() => page.getByTestId('partners-progress').innerText(), { timeout: 60_000 }).toContain('12 / 12 checked, 7 not ready');
    await expect.poll(() => page.locator('[data-testid="partners-row"][data-status="unchecked"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('partners-expiring').innerText()).toContain('Expiring Bank (expiring-bank.test): 10 day(s) left');
    expect(await page.locator('[data-testid="partners-row"]').first().getAttribute('data-status')).toBe('not-ready');
    await screenshot(page, 'partners', true);

    await page.locator('[data-testid="partners-row"][data-domain="selfsigned-bank.test"]').getByTestId('partners-open').click();
    const details = page.getByTestId('partner-details');
    await expect.poll(() => details.getByTestId('partner-message').innerText()).toContain('Hello Selfsigned Bank mail team,');
    expect(await details.getByTestId('partner-readiness').innerText()).toContain('UntrustedRoot: the certificate is self-signed');
    await details.getByTestId('partner-copy-message').click();
    await expect.poll(() => details.innerText()).toContain('Copied to the clipboard.');
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toMatch(/^Subject: Enforced TLS for e-mail: changes needed on your mail servers: selfsigned-bank\.test\n\nHello Selfsigned Bank/);
    await screenshot(page, 'partner-details', true);

    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('partners-export-html').click()]);
    const html = await readFile((await report.path())!, 'utf8');
    expect(html).toContain('Partner TLS readiness: evidence report');
    expect(html.match(/<section class="partner"/g)).toHaveLength(12);
    const [script] = await Promise.all([page.waitForEvent('download'), page.getByTestId('partners-export-ps1').click()]);
    const ps1 = await readFile((await script.path())!);
    expect([...ps1.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(ps1.toString('utf8')).toContain("New-OutboundConnector -Name 'From Office 365 to Good Bank (good-bank.test)'");
    expect(ps1.toString('utf8')).toContain("# New-OutboundConnector -Name 'From Office 365 to Selfsigned Bank (selfsigned-bank.test)'");

    // Re-check the failing ones: the table says what changed since the last run.
    await page.getByTestId('partners-run-failing').click();
    await expect.poll(() => page.getByTestId('partners-progress').innerText(), { timeout: 60_000 }).toContain('7 / 7 checked');
    await expect.poll(() => page.locator('[data-testid="partners-row"][data-domain="selfsigned-bank.test"]').getByTestId('partners-change').innerText()).toContain('No change.');
  });
});
