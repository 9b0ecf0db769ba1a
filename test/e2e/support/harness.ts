/**
 * The end-to-end harness: the real app in browser mode (the bridge started
 * in-process on 127.0.0.1 with a fresh store), real DNS and SMTP peers on
 * loopback, and Debian's Chromium driven by playwright-core with a fresh
 * browser context per test. Tests wait on `[data-app-state="loaded"]`, never
 * on time.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBridge, type RunningBridge } from '../../../src-main/bridge/index';
import { startDnsServer, type RunningDnsServer, type Zone } from '../../support/dns-server';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RENDERER_DIR = join(ROOT, 'out/renderer');
export const RESULTS_DIR = join(ROOT, 'test-results/e2e');
export const SCREENSHOTS_DIR = join(ROOT, 'docs/screenshots');

export const CHROME_PATH = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
const CHROME_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newestMtime(join(path, e))));
  return Math.max(info.mtimeMs, ...times);
}

/** Builds the renderer with vite.config.ts when out/renderer is missing or older than its sources. */
export async function ensureRendererBuilt(): Promise<void> {
  const built = await stat(join(RENDERER_DIR, 'index.html')).then((s) => s.mtimeMs, () => 0);
  const sources = Math.max(await newestMtime(join(ROOT, 'src-renderer')), await newestMtime(join(ROOT, 'vite.config.ts')), await newestMtime(join(ROOT, 'src-main/contract')));
  if (built > sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

export async function launchBrowser(): Promise<Browser> {
  await stat(CHROME_PATH).catch(() => {
    throw new Error(`Chromium not found at ${CHROME_PATH}: install it (apt-get install -y chromium) or set CHROME_PATH.`);
  });
  return chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_FLAGS });
}

export interface AppUnderTest {
  readonly page: Page;
  readonly bridge: RunningBridge;
  readonly dns: RunningDnsServer;
  /** Console errors and page errors (a CSP violation shows up here). */
  readonly problems: string[];
  close(): Promise<void>;
}

export interface AppOptions {
  readonly zone: Zone;
  /** Where MX probes (and probes of port 25) really connect: the loopback SMTP peer's port. */
  readonly smtpPort?: number;
  /** PEM CA certificates to trust in addition to the system's (the test PKI). */
  readonly trustedCaPem?: readonly string[];
  /** Partner checks: CA subjects treated as if Exchange Online trusted them (the lab CA). */
  readonly rehearsalAnchors?: readonly string[];
}

/** A fresh store, DNS server, bridge and browser context; the page opened and loaded. */
export async function openApp(browser: Browser, options: AppOptions): Promise<AppUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'mailflow-e2e-'));
  const caFiles: string[] = [];
  for (const [i, pem] of (options.trustedCaPem ?? []).entries()) {
    const file = join(dir, `ca-${i}.pem`);
    await writeFile(file, pem);
    caFiles.push(file);
  }
  const dns = await startDnsServer({ zone: options.zone });
  const bridge = await startBridge({
    storeDir: join(dir, 'store'),
    rendererDir: RENDERER_DIR,
    engineOverrides: { ...(options.smtpPort ? { smtpPort: options.smtpPort } : {}), caFiles, ...(options.rehearsalAnchors ? { rehearsalAnchors: options.rehearsalAnchors } : {}) },
  });
  bridge.store.setSettings({ dnsServers: [dns.address], timeoutSeconds: 5, caFiles: [], dkimSelectors: [], publicCaFiles: [] });
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(bridge.newLaunchUrl());
  await page.locator('[data-app-state="loaded"]').waitFor({ timeout: 30_000 });
  return {
    page,
    bridge,
    dns,
    problems,
    async close() {
      await context.close();
      await bridge.close();
      await dns.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-results/e2e, and into docs/screenshots when UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  if (process.env['UPDATE_SCREENSHOTS'] === '1') {
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
    await copyFile(path, join(SCREENSHOTS_DIR, `${name}.png`));
  }
  return path;
}
