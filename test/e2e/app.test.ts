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
    await expect.poll(() => page.getByTestId('next-step').textContent()).toBe('Describe your organisation');
    const johnBob = page.getByTestId('flow-edge-john-bob');
    await johnBob.waitFor();
    await expect.poll(() => johnBob.getAttribute('data-status')).toBe('connector-missing');
    // Nothing has been imported, so nothing is known to be missing: the same status, in red, reads as a need.
    await expect.poll(() => johnBob.textContent()).toContain('✗ Connector needed');
    await expect.poll(() => page.getByTestId('flow-summary').textContent()).toMatch(/^Connector needed: 9 · /);
    await expect.poll(() => page.getByTestId('flow-legend').textContent()).toContain('Connector needed (import your connectors to check which exist)');
    await expect.poll(() => page.locator('[data-testid^="flow-edge-"][data-status="connector-missing"]', { hasText: 'Connector needed' }).count()).toBe(9);
    await expect.poll(() => page.getByTestId('overview').getByText(/Connector missing/).count()).toBe(0);
    // Flows that need no connector are listed, but not drawn until asked for.
    await expect.poll(() => page.getByTestId('flow-row-bob-sun').getAttribute('data-status')).toBe('no-connector-needed');
    await expect.poll(() => page.getByTestId('flow-edge-bob-sun').count()).toBe(0);
    await expectReadableDiagram(page);
    await screenshot(page, 'first-screen');
    await page.getByTestId('show-unneeded').check();
    await page.getByTestId('flow-edge-bob-sun').waitFor();
    await expect.poll(() => page.getByTestId('flow-edge-bob-sun').getAttribute('data-status')).toBe('no-connector-needed');
    // 14: mail between outsiders (ContosoBank and Sun, both ways) never touches the organisation and is not a flow of the plan.
    await expect.poll(() => page.locator('.flow-label').count()).toBe(14);
    await screenshot(page, 'first-screen-all-flows');
    await expectReadableDiagram(page);
    await page.getByTestId('show-unneeded').uncheck();
    await page.getByTestId('flow-edge-bob-sun').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('flow-edge-bob-sun').count()).toBe(0);

    // Clicking an arrow explains it.
    await johnBob.click();
    const details = page.getByTestId('flow-details');
    await expect.poll(() => details.getByTestId('flow-path').textContent()).toMatch(/Office 365/);
    // The same from the keyboard: the flow list's buttons.
    const sunBobRow = page.getByTestId('flow-row-sun-john');
    await sunBobRow.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => details.locator('h3').textContent()).toBe('Sun → John');

    // The plan, step by step: from the example, renamed, saved.
    await page.getByTestId('next-step').click();
    await page.getByTestId('load-example').click();
    await page.getByTestId('profile-name').fill('Contoso (end to end)');
    await page.getByTestId('accepted-domains').fill('contoso.com, not a domain');
    await page.getByText(/"not a domain" has spaces; a domain cannot/).first().waitFor();
    await page.getByTestId('accepted-domains').fill('contoso.com\nonprem.contoso.com');
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
    // The diagram as the app drew it, inline, and the article's words instead of ids.
    expect(html).toMatch(/<svg[^>]*viewBox=/);
    expect(html).toContain('>John</text>');
    expect(html.replace(/<[^>]+>/g, ' ')).not.toMatch(/partner:|connector-missing/);
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
    await expect.poll(() => page.getByTestId('flow-edge-john-bob').getAttribute('data-status')).toBe('connector-missing');
    await page.getByTestId('import-connectors-input').setInputFiles([join(FIXTURES, 'ps7-inbound.json'), join(FIXTURES, 'ps7-outbound.json')]);
    await page.locator('[data-testid="flow-edge-john-bob"][data-status="covered"]').waitFor();
    await expect.poll(() => page.getByTestId('imported-files').textContent()).toContain('ps7-inbound.json, ps7-outbound.json');
    await expect.poll(() => page.getByTestId('import-preview').first().textContent()).toContain('From EX2013 to Office 365');
    await expect.poll(() => page.getByTestId('plan-gaps').textContent()).toContain('Old fax gateway');
    await page.getByTestId('flow-edge-john-bob').click();
    await expect.poll(() => page.getByTestId('flow-evidence').textContent()).toContain('From EX2013 to Office 365');
    // Compared with real connectors, a flow still without one is missing, and says so.
    await expect.poll(() => page.getByTestId('flow-legend').textContent()).not.toContain('Connector needed');
    await expect.poll(() => page.getByTestId('flow-summary').textContent()).not.toContain('Connector needed');
    const missing = page.locator('[data-testid^="flow-row-"][data-status="connector-missing"]');
    const missingCount = await missing.count();
    expect(missingCount).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('flow-summary').textContent()).toContain(`Connector missing: ${missingCount}`);
    await expect.poll(() => missing.filter({ hasText: 'Connector missing' }).count()).toBe(missingCount);
    await expect.poll(() => page.getByTestId('overview').getByText(/Connector needed/).count()).toBe(0);
    await screenshot(page, 'imported-connectors');

    // A file that is not a connector export is refused in words, and nothing is half imported.
    await page.getByTestId('import-connectors-input').setInputFiles(join(FIXTURES, 'broken-truncated.json'));
    await page.getByTestId('import-preview').filter({ hasText: 'broken-truncated.json' }).locator('.problems').waitFor();
    await expect.poll(() => page.getByTestId('import-error').textContent()).toContain('were not used');
    await expect.poll(() => page.getByTestId('imported-files').textContent()).not.toContain('broken');
    await expect.poll(() => page.getByTestId('flow-edge-john-bob').getAttribute('data-status')).toBe('covered');
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
    await expect.poll(() => page.getByTestId('mx-table').textContent()).toContain('mx.good.test');
    await expect.poll(() => page.getByTestId('progress').textContent()).toMatch(/done/);
    await expect.poll(() => result.getByTestId('waterfall').textContent()).toMatch(/banner/);
    await expect.poll(() => result.getByTestId('cert-chain').textContent()).toContain('mx.good.test');
    await expect.poll(() => result.getByTestId('cert-verdict').textContent()).toContain('trusted');
    await expect.poll(() => result.getByTestId('findings-spf').isVisible()).toBe(true);
    await screenshot(page, 'diagnose', true);

    // Export the run: main writes the report, the page saves it.
    const [download] = await Promise.all([page.waitForEvent('download'), result.getByTestId('export-md').click()]);
    const saved = await download.path();
    expect(await readFile(saved, 'utf8')).toContain('good.test');

    // The run is kept in History and reopens.
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-row').first().getByRole('button', { name: /^Domain / }).click();
    await expect.poll(() => page.getByTestId('history-opened').getByTestId('mx-table').textContent()).toContain('mx.good.test');

    // A second run of the same domain, then the two compared.
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-target').fill('good.test');
    await page.getByTestId('diagnose-run').click();
    await page.getByTestId('diagnose-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('nav-history').click();
    // The list loads after the screen opens: wait for the second run's row before counting.
    await page.getByTestId('history-row').nth(1).waitFor();
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(2);
    for (const row of await page.getByTestId('history-row').all()) await row.getByRole('checkbox').check();
    await page.getByTestId('history-compare').click();
    const comparison = page.getByTestId('comparison');
    await comparison.waitFor();
    await expect.poll(() => comparison.getByTestId('comparison-summary').textContent()).toMatch(/^No difference: both runs found the same \d+ things\.$/);
    await screenshot(page, 'history-compare');

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings').waitFor();
    // Extra DKIM selectors: a full name is refused as typed; selectors are saved and the next diagnosis looks them up.
    const selectors = page.getByTestId('settings-dkim');
    await selectors.fill('s2048, s1._domainkey.good.test');
    await expect.poll(() => selectors.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('"s1._domainkey.good.test" has a dot').waitFor();
    await selectors.fill('s2048, google');
    await expect.poll(() => selectors.getAttribute('aria-invalid')).toBeNull();
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
    await expect.poll(() => edge.getAttribute('data-status')).not.toBe('tls-failing');
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-pick').selectOption({ label: 'Partner ContosoBank: contosobank.com' });
    await page.getByTestId('diagnose-run').click();
    const note = page.getByTestId('diagnose-note');
    await note.waitFor({ timeout: 60_000 });
    await expect.poll(() => note.textContent()).toContain('TLS fails for ContosoBank');
    await page.getByTestId('nav-overview').click();
    await page.locator('[data-testid="flow-edge-bob-partner-contosobank"][data-status="tls-failing"]').waitFor();
    await expect.poll(() => edge.textContent()).toContain('TLS failing');
    await edge.click();
    await expect.poll(() => page.getByTestId('flow-evidence').textContent()).toMatch(/^ContosoBank: TLS_CERT_SELF_SIGNED /);
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
    const rows = page.getByTestId('batch-row');
    // Both accepted domains, the server, the partner and the printer with its address.
    await expect.poll(() => rows.count()).toBe(5);
    // A private CA is trusted by this computer but not by Exchange Online: both connectors' TLS checks would fail.
    const serverRow = rows.filter({ hasText: 'Your server EX2013: mail.contoso.com' });
    const partner = rows.filter({ hasText: 'Partner ContosoBank: contosobank.com' });
    await expect.poll(() => serverRow.getAttribute('data-ok')).toBe('false');
    await expect.poll(() => partner.getAttribute('data-ok')).toBe('false');
    await expect.poll(() => serverRow.textContent()).toContain('DomainValidation would fail');
    await expect.poll(() => rows.filter({ hasText: 'Device Printer 2nd floor: 203.0.113.40' }).textContent()).toContain('has no reverse DNS name');
    // The counts are the rows', and each row opens its full result.
    const fine = await page.locator('[data-testid="batch-row"][data-ok="true"]').count();
    const failing = await page.locator('[data-testid="batch-row"][data-ok="false"]').count();
    await expect.poll(() => page.getByTestId('batch-summary').textContent()).toBe(`5 checked: ${fine} fine, ${failing} failing, ${5 - fine - failing} not checked.`);
    await partner.getByTestId('batch-open').click();
    await expect.poll(() => page.getByTestId('diagnose-result').getByTestId('mx-table').textContent()).toContain('mx.contosobank.com');
    await screenshot(page, 'diagnose-profile');
    await page.getByTestId('nav-overview').click();
    await page.locator('[data-testid="flow-edge-bob-john"][data-status="tls-failing"]').waitFor();
    await expect.poll(() => page.getByTestId('flow-edge-bob-partner-contosobank').getAttribute('data-status')).toBe('tls-failing');
    // Sun to Bob never touches those servers.
    await page.getByTestId('show-unneeded').check();
    await expect.poll(() => page.getByTestId('flow-edge-sun-bob').getAttribute('data-status')).toBe('no-connector-needed');
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
    // What finished stays, marked partial; the stage that was running says "cancelled".
    await expect.poll(() => page.getByTestId('diagnose-cancelled').textContent()).toContain('partial');
    await expect.poll(() => page.getByTestId('progress').locator('[data-status="cancelled"]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('progress').locator('[data-status="done"]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('progress').textContent()).toMatch(/: cancelled \(/);
    await expect.poll(() => page.getByTestId('diagnose-run').isEnabled()).toBe(true);
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
    await expect.poll(() => transcript.textContent()).toContain('<b>evil</b><script>window.__pwned=1</script>');
    await expect.poll(() => page.getByTestId('probe-banner').textContent()).toContain('<b>evil</b>');
    await expect.poll(() => page.locator('main b, main script, main img, main i').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, 'hostile-banner', true);
  });

  it('keeps TLS results across a reload, says how old they are, and reopening a run from History applies it again', async () => {
    const bad = selfSigned({ commonName: 'mx.contosobank.com' });
    const server = await smtp(startSmtpFixture({ key: bad.keyPem, cert: bad.certPem, name: 'mx.contosobank.com' }));
    app = await openApp(browser, { zone: mailZone('contosobank.com'), smtpPort: server.port, trustedCaPem: [ca.certPem] });
    const { page } = app;
    const failing = page.locator('[data-testid="flow-edge-bob-partner-contosobank"][data-status="tls-failing"]');
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-pick').selectOption({ label: 'Partner ContosoBank: contosobank.com' });
    await page.getByTestId('diagnose-run').click();
    await page.getByTestId('diagnose-note').waitFor({ timeout: 60_000 });
    await page.getByTestId('show-diagram').click();
    await failing.waitFor();
    // "Show on the diagram" selected the flow and opened its details.
    await expect.poll(() => page.getByTestId('flow-details').locator('h3').textContent()).toBe('Bob → ContosoBank');

    await page.reload();
    await page.locator('[data-app-state="loaded"]').waitFor();
    await failing.waitFor();
    await page.getByTestId('flow-row-bob-partner-contosobank').getByRole('button').click();
    await expect.poll(() => page.getByTestId('flow-tls-checks').textContent()).toMatch(/TLS fails, checked (just now|\d+ minutes? ago)/);
    expect(app.bridge.store.listObservations("Contoso (the article's John, Bob and Sun)")).toEqual([expect.objectContaining({ target: 'partner:ContosoBank', ok: false })]);

    // Forget them, reload: the arrow is back to its plan status; reopening the run from History puts it back.
    app.bridge.store.saveObservations("Contoso (the article's John, Bob and Sun)", [{ target: 'partner:ContosoBank', ok: true, message: 'cleared for the test', at: new Date().toISOString() }]);
    await page.reload();
    await page.locator('[data-app-state="loaded"]').waitFor();
    await expect.poll(() => page.getByTestId('flow-row-bob-partner-contosobank').getAttribute('data-status')).not.toBe('tls-failing');
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-row').first().getByRole('button', { name: /^Domain contosobank\.com/ }).click();
    await page.getByTestId('history-applied').waitFor();
    await page.getByTestId('nav-overview').click();
    await failing.waitFor();
  });

  for (const width of [1024, 1440]) {
    it(`draws a realistic organisation (3 own servers, 5 partners, 3 devices) at ${width} px without overlapping or cut labels`, async () => {
      app = await openApp(browser, { zone: {} });
      const { page } = app;
      app.bridge.store.saveProfile(REALISTIC_PROFILE);
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await page.locator('[data-app-state="loaded"]').waitFor();
      await page.getByText(`Mail flow of ${REALISTIC_PROFILE.name}`).waitFor();
      await expect.poll(() => page.locator('.flow-label').count()).toBeGreaterThanOrEqual(17);
      await expectLabelsApartAndWhole(page);
      // Zoom and fit controls are there and work.
      await page.locator('.react-flow__controls-zoomin').click();
      await page.locator('.react-flow__controls-fitview').click();
      await expectLabelsApartAndWhole(page);
      // The diagram at the top of the picture.
      const top = (await page.getByTestId('flow-diagram').boundingBox())!.y;
      await page.evaluate((y) => (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, y - 8), top);
      if (width === 1440) await screenshot(page, 'realistic-organisation');
      else await screenshot(page, 'realistic-organisation-1024');
    });
  }

  it('is quick to use from the keyboard: inert boxes are not tab stops, a skip link leads to the flows, Escape closes the details', async () => {
    app = await openApp(browser, { zone: {} });
    const { page } = app;
    await expect.poll(() => page.locator('.flow-label').count()).toBeGreaterThan(5);
    await expect.poll(() => page.locator('.react-flow__node[tabindex], .react-flow__edge[tabindex]').count()).toBe(0);
    // From the top of the page: the skip links come first.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).toContain('Skip to content');
    await page.getByTestId('skip-to-flows').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('flow-list');
    // The next Tab reaches the first flow's button.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } } }).document.activeElement.closest('#flow-list') !== null)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('flow-details').locator('h3').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('flow-details').textContent()).toContain('Select an arrow');
    // The diagram's labels are visited in reading order (top to bottom).
    const ys = await page.locator('.flow-label').evaluateAll((labels) => labels.map((l) => Math.round(Number((l as unknown as { getAttribute(n: string): string }).getAttribute('data-label-y')) / 34)));
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  it('prints a check report on A4 without cut-off columns: long hashes wrap', async () => {
    const leaf = issueCert(ca, { commonName: 'mx.good.test' });
    const server = await smtp(startSmtpFixture({ key: leaf.keyPem, cert: fullChain(leaf, ca.certPem), name: 'mx.good.test' }));
    app = await openApp(browser, { zone: mailZone('good.test'), smtpPort: server.port, trustedCaPem: [ca.certPem] });
    const { page } = app;
    await page.getByTestId('nav-diagnose').click();
    await page.getByTestId('diagnose-target').fill('good.test');
    await page.getByTestId('diagnose-run').click();
    const result = page.getByTestId('diagnose-result');
    await result.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), result.getByTestId('export-html').click()]);
    const html = await readFile(await download.path(), 'utf8');
    expect(html).toContain('@page { size: A4;');
    const report = await page.context().newPage();
    cleanups.push(() => report.close());
    // A4 at 96 px per inch, less the page margins: 210 mm − 24 mm ≈ 703 px of text width.
    await report.setViewportSize({ width: 703, height: 1000 });
    await report.emulateMedia({ media: 'print' });
    await report.setContent(html);
    const overflowing = await report.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { clientWidth: number }; querySelectorAll(s: string): ArrayLike<{ scrollWidth: number; clientWidth: number; tagName: string; textContent: string }> } }).document;
      const width = doc.documentElement.clientWidth;
      return Array.from(doc.querySelectorAll('table, td, th, pre, code'))
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollWidth > width + 1)
        .map((el) => `${el.tagName}: ${el.textContent.slice(0, 60)}`);
    });
    expect(overflowing).toEqual([]);
    const pdf = await report.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

/** The organisation of the issue: three own servers, five partners (one with a long name), three devices. */
const REALISTIC_PROFILE = {
  name: 'Fabrikam (3 servers, 5 partners, 3 devices)',
  acceptedDomains: ['fabrikam.com', 'eu.fabrikam.com'],
  subscription: 'exchange-online' as const,
  ownServers: [
    { name: 'EX2016', kind: 'exchange-2010-or-later' as const, hostNames: ['mail.fabrikam.com'], publicIps: ['203.0.113.25'], domains: [] },
    { name: 'EX2019', kind: 'exchange-2010-or-later' as const, hostNames: ['mail2.fabrikam.com'], publicIps: ['203.0.113.26'], domains: [] },
    { name: 'Postfix', kind: 'non-microsoft' as const, hostNames: ['relay.eu.fabrikam.com'], publicIps: ['198.51.100.10'], domains: ['eu.fabrikam.com'] },
  ],
  hybridWizardCompleted: false,
  mailboxes: 'split' as const,
  mxPointsTo: 'office365' as const,
  partners: ['ContosoBank', 'Back to Basics Ltd', 'Northwind Traders', 'Woodgrove Bank', 'Tailspin Toys'].map((name, i) => ({
    name,
    domains: [`${name.toLowerCase().replace(/[^a-z]+/g, '')}.com`],
    requireTlsInbound: true,
    requireTlsOutbound: i % 2 === 0,
    certificateCheck: 'ca-issued' as const,
    ipRanges: [],
    smartHosts: [],
  })),
  devices: [
    { name: 'Printer 2nd floor', externalRecipients: false, staticPublicIp: '203.0.113.40', supportsTls12: false, supportsAuth: false },
    { name: 'Scanner', externalRecipients: true, staticPublicIp: '203.0.113.41', supportsTls12: true, supportsAuth: false },
    { name: 'Invoice app', externalRecipients: true, supportsTls12: true, supportsAuth: true },
  ],
};

/** As Chromium draws them: no label over another or over a box, and no label's words cut (its content fits its box). */
async function expectLabelsApartAndWhole(page: AppUnderTest['page']): Promise<void> {
  await expect.poll(async () => {
    const labels = await page.locator('.flow-label').all();
    const boxes: Rect[] = [];
    for (const label of labels) boxes.push((await label.boundingBox())!);
    const nodes: Rect[] = [];
    for (const node of await page.locator('[data-testid^="flow-node-"]').all()) nodes.push((await node.boundingBox())!);
    const problems: string[] = [];
    boxes.forEach((box, i) => {
      boxes.slice(i + 1).forEach((other, j) => overlap(box, other) && problems.push(`label ${i} / label ${i + j + 1}`));
      nodes.forEach((node, j) => overlap(box, node) && problems.push(`label ${i} on box ${j}`));
    });
    const cut = await page.locator('.flow-label').evaluateAll((els) => els.filter((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth > (el as unknown as { clientWidth: number }).clientWidth + 1).length);
    if (cut > 0) problems.push(`${cut} labels cut`);
    return problems;
  }).toEqual([]);
}
