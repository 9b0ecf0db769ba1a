import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createCa, issueCert, selfSigned, fullChain, type TestCa } from '../support/pki';
import { hostile, scripted, startRawServer, startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import type { Zone } from '../support/dns-server';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt, launchBrowser, openApp, screenshot, type AppUnderTest } from './support/harness';

/**
 * The app end to end: Chromium against browser mode, with real DNS and SMTP
 * peers on loopback. Each test gets a fresh store, bridge and browser context.
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/connectors/', import.meta.url));
let browser: Browser;
let ca: TestCa;
const cleanups: (() => Promise<void>)[] = [];
let app: AppUnderTest | undefined;

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchBrowser();
  ca = createCa({ commonName: 'Mailflow E2E Root' });
});

afterEach(async () => {
  // Every screen used in a test must have run without console errors (CSP violations included).
  const problems = app?.problems ?? [];
  await app?.close();
  app = undefined;
  while (cleanups.length) await cleanups.pop()!();
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

const mailZone = (domain: string): Zone => ({
  [domain]: [
    { type: 'MX', preference: 10, exchange: `mx.${domain}` },
    { type: 'TXT', strings: ['v=spf1 -all'] },
  ],
  [`mx.${domain}`]: [{ type: 'A', address: '127.0.0.1' }],
  [`_dmarc.${domain}`]: [{ type: 'TXT', strings: ['v=DMARC1; p=reject'] }],
});

async function smtp(server: Promise<RunningServer>): Promise<RunningServer> {
  const running = await server;
  cleanups.push(() => running.close());
  return running;
}

type Rect = { x: number; y: number; width: number; height: number };
const overlap = (a: Rect, b: Rect) => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;
type StyleReader = { getComputedStyle(element: unknown): { color: string; fill: string } };

/**
 * What makes the diagram readable, as rendered by Chromium: no arrow label
 * covers another label or a box, every label is inside the canvas, and each
 * arrow head has the colour of its status (the same as its label's text).
 */
async function expectReadableDiagram(page: AppUnderTest['page']): Promise<void> {
  const canvas = (await page.getByTestId('flow-diagram').boundingBox())!;
  const labels = await page.locator('.flow-label').all();
  const labelBoxes: Rect[] = [];
  for (const label of labels) labelBoxes.push((await label.boundingBox())!);
  const nodeBoxes: Rect[] = [];
  for (const node of await page.locator('[data-testid^="flow-node-"]').all()) nodeBoxes.push((await node.boundingBox())!);
  expect(labelBoxes.length).toBeGreaterThan(5);
  labelBoxes.forEach((box, i) => {
    expect(box.x).toBeGreaterThanOrEqual(canvas.x);
    expect(box.y).toBeGreaterThanOrEqual(canvas.y);
    expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    for (const other of labelBoxes.slice(i + 1)) expect(overlap(box, other)).toBe(false);
    for (const node of nodeBoxes) expect(overlap(box, node)).toBe(false);
  });
  for (const id of ['flow-edge-john-bob', 'flow-edge-bob-john']) {
    const markerUrl = (await page.locator(`path.react-flow__edge-path[id="${id}"]`).getAttribute('marker-end')) ?? '';
    const markerId = /url\('#(.+)'\)/.exec(markerUrl)?.[1];
    expect(markerId).toBeDefined();
    const headFill = await page.locator(`marker[id="${markerId}"] polyline`).evaluate((el) => (globalThis as unknown as StyleReader).getComputedStyle(el).fill);
    const labelColour = await page.getByTestId(id).evaluate((el) => (globalThis as unknown as StyleReader).getComputedStyle(el).color);
    expect(headFill).toBe(labelColour);
    expect(headFill).not.toBe('rgb(177, 177, 183)');
  }
}

describe('Mailflow Doctor in Chromium', () => {
  it('opens on the John/Bob/Sun diagram, plans the article’s organisation and shows its connectors', async () => {
    app = await openApp(browser, { zone: {} });
    const { page } = app;
    for (const node of ['john', 'bob', 'sun', 'partner-contosobank']) await page.getByTestId(`flow-node-${node}`).waitFor();
    await expect(page.getByTestId('next-step').textContent()).resolves.toBe('Describe your organisation');
    const johnBob = page.getByTestId('flow-edge-john-bob');
    await johnBob.waitFor();
    expect(await johnBob.getAttribute('data-status')).toBe('connector-missing');
    // Nothing has been imported, so nothing is known to be missing: the same status, in red, reads as a need.
    await expect(johnBob.textContent()).resolves.toContain('✗ Connector needed');
    await expect(page.getByTestId('flow-summary').textContent()).resolves.toMatch(/^Connector needed: 9 · /);
    await expect(page.getByTestId('flow-legend').textContent()).resolves.toContain('Connector needed (import your connectors to check which exist)');
    expect(await page.locator('[data-testid^="flow-edge-"][data-status="connector-missing"]', { hasText: 'Connector needed' }).count()).toBe(9);
    expect(await page.getByTestId('overview').getByText(/Connector missing/).count()).toBe(0);
    // Flows that need no connector are listed, but not drawn until asked for.
    expect(await page.getByTestId('flow-row-bob-sun').getAttribute('data-status')).toBe('no-connector-needed');
    expect(await page.getByTestId('flow-edge-bob-sun').count()).toBe(0);
    await expectReadableDiagram(page);
    await screenshot(page, 'first-screen');
    await page.getByTestId('show-unneeded').check();
    await page.getByTestId('flow-edge-bob-sun').waitFor();
    expect(await page.getByTestId('flow-edge-bob-sun').getAttribute('data-status')).toBe('no-connector-needed');
    // 14: mail between outsiders (ContosoBank and Sun, both ways) never touches the organisation and is not a flow of the plan.
    expect(await page.locator('.flow-label').count()).toBe(14);
    await screenshot(page, 'first-screen-all-flows');
    await expectReadableDiagram(page);
    await page.getByTestId('show-unneeded').uncheck();
    await page.getByTestId('flow-edge-bob-sun').waitFor({ state: 'detached' });
    expect(await page.getByTestId('flow-edge-bob-sun').count()).toBe(0);

    // Clicking an arrow explains it.
    await johnBob.click();
    const details = page.getByTestId('flow-details');
    await expect(details.getByTestId('flow-path').textContent()).resolves.toMatch(/Office 365/);
    // The same from the keyboard: the flow list's buttons.
    const sunBobRow = page.getByTestId('flow-row-sun-john');
    await sunBobRow.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect(details.locator('h3').textContent()).resolves.toBe('Sun → John');

    // The plan, step by step: from the example, renamed, saved.
    await page.getByTestId('next-step').click();
    await page.getByTestId('load-example').click();
    await page.getByTestId('profile-name').fill('Contoso (end to end)');
    await page.getByTestId('accepted-domains').fill('contoso.com, not a domain');
    await page.getByText(/domain name/).first().waitFor();
    await page.getByTestId('accepted-domains').fill('contoso.com, onprem.contoso.com');
    for (const step of ['mailboxes', 'servers', 'partners']) {
      await page.getByTestId('wizard-next').click();
      await page.getByTestId(`step-${step}`).and(page.locator('[aria-current="step"]')).waitFor();
    }
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await screenshot(page, 'plan-partners-step');
    await page.getByTestId('step-review').click();
    await page.getByTestId('save-and-plan').click();
    await page.getByText('Mail flow of Contoso (end to end)').waitFor();
    const connectors = page.getByTestId('connector-list');
    await connectors.waitFor();
    const text = await connectors.textContent();
    expect(text).toContain('New-InboundConnector');
    expect(text).toContain('New-OutboundConnector');
    expect(text).toContain('From: Your organization');
    await screenshot(page, 'plan-results', true);

    // Export the plan as a printable HTML report.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
    const html = await readFile(await download.path(), 'utf8');
    expect(html).toContain('<html');
    expect(html).toContain('Contoso (end to end)');
    const [script] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ps1').click()]);
    expect(script.suggestedFilename()).toMatch(/\.ps1$/);
    expect(await readFile(await script.path(), 'utf8')).toContain('New-InboundConnector');

    // Light and dark follow the system.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('flow-diagram').scrollIntoViewIfNeeded();
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await screenshot(page, 'first-screen-dark');
  });

  it('imports existing connector exports and shows what they cover and the gaps on the diagram', async () => {
    app = await openApp(browser, { zone: {} });
    const { page } = app;
    expect(await page.getByTestId('flow-edge-john-bob').getAttribute('data-status')).toBe('connector-missing');
    await page.getByTestId('import-connectors-input').setInputFiles([join(FIXTURES, 'ps7-inbound.json'), join(FIXTURES, 'ps7-outbound.json')]);
    await page.locator('[data-testid="flow-edge-john-bob"][data-status="covered"]').waitFor();
    expect(await page.getByTestId('imported-files').textContent()).toContain('ps7-inbound.json, ps7-outbound.json');
    expect(await page.getByTestId('import-preview').first().textContent()).toContain('From EX2013 to Office 365');
    await expect(page.getByTestId('plan-gaps').textContent()).resolves.toContain('Old fax gateway');
    await page.getByTestId('flow-edge-john-bob').click();
    await expect(page.getByTestId('flow-evidence').textContent()).resolves.toContain('From EX2013 to Office 365');
    // Compared with real connectors, a flow still without one is missing, and says so.
    await expect(page.getByTestId('flow-legend').textContent()).resolves.not.toContain('Connector needed');
    await expect(page.getByTestId('flow-summary').textContent()).resolves.not.toContain('Connector needed');
    const missing = page.locator('[data-testid^="flow-row-"][data-status="connector-missing"]');
    const missingCount = await missing.count();
    expect(missingCount).toBeGreaterThan(0);
    await expect(page.getByTestId('flow-summary').textContent()).resolves.toContain(`Connector missing: ${missingCount}`);
    expect(await missing.filter({ hasText: 'Connector missing' }).count()).toBe(missingCount);
    expect(await page.getByTestId('overview').getByText(/Connector needed/).count()).toBe(0);
    await screenshot(page, 'imported-connectors');

    // A file that is not a connector export is refused in words, and nothing is half imported.
    await page.getByTestId('import-connectors-input').setInputFiles(join(FIXTURES, 'broken-truncated.json'));
    await page.getByTestId('import-preview').filter({ hasText: 'broken-truncated.json' }).locator('.problems').waitFor();
    await expect(page.getByTestId('import-error').textContent()).resolves.toContain('were not used');
    expect(await page.getByTestId('imported-files').textContent()).not.toContain('broken');
    expect(await page.getByTestId('flow-edge-john-bob').getAttribute('data-status')).toBe('covered');
  });

  it('diagnoses a domain against real DNS and SMTP peers and shows its results', async () => {
    const leaf = issueCert(ca, { commonName: 'mx.good.test' });
    const server = await smtp(startSmtpFixture({ key: leaf.keyPem, cert: fullChain(leaf, ca.certPem), name: 'mx.good.test' }));
    app = await openApp(browser, { zone: mailZone('good.test'), smtpPort: server.port, trustedCaPem: [ca.certPem] });
    const { page } = app;
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-target').fill('good.test');
    await page.getByTestId('diagnose-run').click();
    const result = page.getByTestId('diagnose-result');
    await result.waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('mx-table').textContent()).resolves.toContain('mx.good.test');
    await expect(page.getByTestId('progress').textContent()).resolves.toMatch(/done/);
    await expect(result.getByTestId('waterfall').textContent()).resolves.toMatch(/banner/);
    await expect(result.getByTestId('cert-chain').textContent()).resolves.toContain('mx.good.test');
    await expect(result.getByTestId('cert-verdict').textContent()).resolves.toContain('trusted');
    await expect(result.getByTestId('findings-spf').isVisible()).resolves.toBe(true);
    await screenshot(page, 'diagnose', true);

    // Export the run: main writes the report, the page saves it.
    const [download] = await Promise.all([page.waitForEvent('download'), result.getByTestId('export-md').click()]);
    const saved = await download.path();
    expect(await readFile(saved, 'utf8')).toContain('good.test');

    // The run is kept in History and reopens.
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-row').first().getByRole('button', { name: /^Domain / }).click();
    await expect(page.getByTestId('history-opened').getByTestId('mx-table').textContent()).resolves.toContain('mx.good.test');

    // A second run of the same domain, then the two compared.
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-target').fill('good.test');
    await page.getByTestId('diagnose-run').click();
    await page.getByTestId('diagnose-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('nav-history').click();
    // The list loads after the screen opens: wait for the second run's row before counting.
    await page.getByTestId('history-row').nth(1).waitFor();
    await expect(page.getByTestId('history-row').count()).resolves.toBe(2);
    for (const row of await page.getByTestId('history-row').all()) await row.getByRole('checkbox').check();
    await page.getByTestId('history-compare').click();
    const comparison = page.getByTestId('comparison');
    await comparison.waitFor();
    await expect(comparison.getByTestId('comparison-summary').textContent()).resolves.toMatch(/^No difference: both runs found the same \d+ things\.$/);
    await screenshot(page, 'history-compare');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings').waitFor();
    // Extra DKIM selectors: a full name is refused as typed; selectors are saved and the next diagnosis looks them up.
    const selectors = page.getByTestId('settings-dkim');
    await selectors.fill('s2048, s1._domainkey.good.test');
    await expect(selectors.getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByText('"s1._domainkey.good.test" has a dot').waitFor();
    await selectors.fill('s2048, google');
    await expect(selectors.getAttribute('aria-invalid')).resolves.toBeNull();
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-status').getByText('Saved').waitFor();
    await screenshot(page, 'settings');
    expect(app.bridge.store.getSettings().dkimSelectors).toEqual(['s2048', 'google']);
    const from = app.dns.log.length;
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-target').fill('good.test');
    await page.getByTestId('diagnose-run').click();
    // The new run's result (the earlier one has no such finding), then what it asked the DNS server.
    await page.getByTestId('diagnose-result').getByText('No DKIM record for selector s2048').first().waitFor({ timeout: 60_000 });
    const asked = app.dns.log.slice(from).map((line) => line.split(' ')[1]?.toLowerCase());
    expect(asked).toContain('s2048._domainkey.good.test');
    expect(asked).toContain('google._domainkey.good.test');
  });

  it('shows a partner whose certificate fails as "TLS failing" on its arrow', async () => {
    const bad = selfSigned({ commonName: 'mx.contosobank.com' });
    const server = await smtp(startSmtpFixture({ key: bad.keyPem, cert: bad.certPem, name: 'mx.contosobank.com' }));
    app = await openApp(browser, { zone: mailZone('contosobank.com'), smtpPort: server.port, trustedCaPem: [ca.certPem] });
    const { page } = app;
    const edge = page.getByTestId('flow-edge-bob-partner-contosobank');
    expect(await edge.getAttribute('data-status')).not.toBe('tls-failing');
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-pick').selectOption({ label: 'Partner ContosoBank: contosobank.com' });
    await page.getByTestId('diagnose-run').click();
    const note = page.getByTestId('diagnose-note');
    await note.waitFor({ timeout: 60_000 });
    expect(await note.textContent()).toContain('TLS fails for ContosoBank');
    await page.getByTestId('nav-overview').click();
    await page.locator('[data-testid="flow-edge-bob-partner-contosobank"][data-status="tls-failing"]').waitFor();
    expect(await edge.textContent()).toContain('TLS failing');
    await edge.click();
    await expect(page.getByTestId('flow-evidence').textContent()).resolves.toMatch(/^ContosoBank: TLS_CERT_SELF_SIGNED /);
    // One sentence after another: no doubled full stop, no repeated "would fail".
    const explanation = (await page.getByTestId('flow-details').textContent()) ?? '';
    expect(explanation).toContain('the certificate is self-signed. Needs From Office 365 to ContosoBank');
    expect(explanation).not.toContain('..');
    expect(explanation).not.toMatch(/would fail.*Certificate validation would fail/);
    await screenshot(page, 'tls-failing');
  });

  it('diagnoses every server and partner of the profile with one click and marks their arrows', async () => {
    const leaf = issueCert(ca, { commonName: 'mail.contoso.com', altNames: ['mail.contoso.com', 'mx.contosobank.com'] });
    const server = await smtp(startSmtpFixture({ key: leaf.keyPem, cert: fullChain(leaf, ca.certPem), name: 'mail.contoso.com' }));
    const zone: Zone = { ...mailZone('contosobank.com'), 'mail.contoso.com': [{ type: 'A', address: '127.0.0.1' }] };
    app = await openApp(browser, { zone, smtpPort: server.port, trustedCaPem: [ca.certPem] });
    const { page } = app;
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-all').click();
    await page.getByTestId('diagnose-note').waitFor({ timeout: 60_000 });
    const rows = page.getByTestId('diagnose-batch').locator('li');
    expect(await rows.count()).toBe(2);
    // A private CA is trusted by this computer but not by Exchange Online: both connectors' TLS checks would fail.
    expect(await page.getByTestId('diagnose-batch').locator('li[data-ok="false"]').count()).toBe(2);
    const batchText = await page.getByTestId('diagnose-batch').textContent();
    expect(batchText).toContain('Your server EX2013: mail.contoso.com');
    expect(batchText).toContain('DomainValidation would fail');
    expect(batchText).toContain('Partner ContosoBank: contosobank.com');
    await screenshot(page, 'diagnose-profile');
    await page.getByTestId('nav-overview').click();
    await page.locator('[data-testid="flow-edge-bob-john"][data-status="tls-failing"]').waitFor();
    expect(await page.getByTestId('flow-edge-bob-partner-contosobank').getAttribute('data-status')).toBe('tls-failing');
    // Sun to Bob never touches those servers.
    await page.getByTestId('show-unneeded').check();
    expect(await page.getByTestId('flow-edge-sun-bob').getAttribute('data-status')).toBe('no-connector-needed');
  });

  it('shows live progress and cancels a diagnosis stuck on a silent server', async () => {
    const server = await smtp(startRawServer(hostile.silent()));
    app = await openApp(browser, { zone: mailZone('slow.test'), smtpPort: server.port });
    const { page } = app;
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-target').fill('slow.test');
    await page.getByTestId('diagnose-run').click();
    // DNS stages finish while the SMTP banner never comes.
    await page.getByTestId('progress').locator('[data-status="done"]').first().waitFor();
    await page.getByTestId('progress').locator('[data-status="started"]').first().waitFor();
    await page.getByTestId('diagnose-cancel').click();
    await expect(page.getByTestId('diagnose-error').textContent()).resolves.toContain('Cancelled');
    await expect(page.getByTestId('diagnose-run').isEnabled()).resolves.toBe(true);
  });

  it('shows an HTML banner as text, never as markup', async () => {
    const banner = '220 <b>evil</b><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> ESMTP';
    const server = await smtp(
      startRawServer(
        scripted(`${banner}\r\n`, (command) => {
          if (/^EHLO/i.test(command)) return '250-<i>evil</i>.example\r\n250 SIZE 1000\r\n';
          if (/^QUIT/i.test(command)) return '221 bye\r\n';
          return '250 ok\r\n';
        }),
      ),
    );
    app = await openApp(browser, { zone: {}, smtpPort: server.port });
    const { page } = app;
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('kind-host').check();
    await page.getByTestId('diagnose-target').fill('127.0.0.1');
    await page.getByTestId('diagnose-run').click();
    const transcript = page.getByTestId('transcript');
    await transcript.waitFor({ timeout: 60_000 });
    expect(await transcript.textContent()).toContain('<b>evil</b><script>window.__pwned=1</script>');
    expect(await page.getByTestId('probe-banner').textContent()).toContain('<b>evil</b>');
    expect(await page.locator('main b, main script, main img, main i').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, 'hostile-banner', true);
  });
});
