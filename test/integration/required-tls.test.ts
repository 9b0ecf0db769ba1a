import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK_SETTINGS } from '../../src-main/contract/api';
import { ProbeReportSchema, type ProbeReport } from '../../src-main/contract/probe';
import { createDefaultEngine } from '../../src-main/handlers/default-deps';
import { createCa, fullChain, issueCert } from '../support/pki';
import { runCli } from '../support/run-cli';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';

/**
 * Required TLS (issue 8, defect 9): a server that refuses mail before
 * STARTTLS (530) is seen in the app by default, from a second connection
 * that never sends DATA; the CLI keeps --mandatory-tls.
 */
const NAME = 'mx.required.test';
let dir: string;
let requiring: RunningServer;
let lax: RunningServer;
let caFile: string;

beforeAll(async () => {
  const root = createCa({ commonName: 'Required TLS Root', keyType: 'ec' });
  const leaf = issueCert(root, { commonName: NAME, keyType: 'ec' });
  requiring = await startSmtpFixture({ name: NAME, key: leaf.keyPem, cert: fullChain(leaf), requireTls: true });
  lax = await startSmtpFixture({ name: NAME, key: leaf.keyPem, cert: fullChain(leaf) });
  dir = mkdtempSync(join(tmpdir(), 'mailflow-required-'));
  caFile = join(dir, 'root.pem');
  writeFileSync(caFile, root.certPem);
});
afterAll(async () => {
  await Promise.all([requiring?.close(), lax?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function appProbe(server: RunningServer): Promise<ProbeReport> {
  const engine = createDefaultEngine({ smtpPort: server.port, caFiles: [caFile] });
  const report = await engine.probe('127.0.0.1', 25, { settings: { ...DEFAULT_NETWORK_SETTINGS, timeoutSeconds: 5 }, signal: new AbortController().signal, onProgress: () => undefined });
  return ProbeReportSchema.parse(report);
}

describe('required TLS', () => {
  it('the app sees a server that refuses mail before STARTTLS (530), without asking, on a second connection', async () => {
    const report = await appProbe(requiring);
    expect(report.requiredTls).toMatchObject({ outcome: 'required' });
    expect(report.requiredTls?.detail).toMatch(/^530 5\.7\.0 Must issue a STARTTLS command first/);
    const found = report.findings.find((f) => f.code === 'TLS_REQUIRED');
    expect(found?.evidence.at(-1)).toBe('seen on a second connection (MAIL FROM / RCPT TO over plain text, then QUIT; never DATA)');
    // The main conversation is a sender's: no MAIL FROM over plain text on it, TLS as usual.
    expect(report.stages.map((s) => s.name)).toEqual(['connect', 'banner', 'ehlo', 'starttls', 'tls', 'ehlo-tls', 'quit']);
    expect(report.transcript.some((l) => l.direction === 'sent' && /^(MAIL|DATA)/.test(l.text))).toBe(false);
  });

  it('the app says so when a server accepts mail over plain text', async () => {
    const report = await appProbe(lax);
    expect(report.requiredTls?.outcome).toBe('not-required');
    expect(report.findings.map((f) => f.code)).toContain('PLAINTEXT_ACCEPTED');
  });

  it('the CLI checks only with --mandatory-tls, on its one connection', async () => {
    const plain = await runCli(['probe', `127.0.0.1:${requiring.port}`, '--ca-file', caFile, '--json', '--timeout', '3']);
    const without = ProbeReportSchema.parse((JSON.parse(plain.out) as { probes: unknown[] }).probes[0]);
    expect(without.requiredTls).toBeUndefined();
    expect(without.findings.map((f) => f.code)).not.toContain('TLS_REQUIRED');
    const flagged = await runCli(['probe', `127.0.0.1:${requiring.port}`, '--ca-file', caFile, '--mandatory-tls', '--json', '--timeout', '3']);
    const withFlag = ProbeReportSchema.parse((JSON.parse(flagged.out) as { probes: unknown[] }).probes[0]);
    expect(withFlag.requiredTls?.outcome).toBe('required');
    expect(withFlag.stages.find((s) => s.name === 'mail')?.detail).toMatch(/^530/);
    expect(withFlag.transcript.some((l) => l.direction === 'sent' && /^DATA/.test(l.text))).toBe(false);
  });
});
