/**
 * Attack: control characters and bidirectional overrides in untrusted text
 * (issue 10 item 6). A certificate common name with U+202E, an EHLO keyword
 * line with an OSC 8 hyperlink and a screen clear, and an imported connector
 * whose Name carries escape sequences: none may reach a terminal, an HTML or
 * Markdown export raw. Real peers on loopback: smtp-server with a certificate
 * made here, and a raw SMTP server that says what an attacker would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCa, fullChain, issueCert } from '../support/pki';
import { scripted, startRawServer, startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { runCli } from '../support/run-cli';

const RLO = '\u202e';
const ESC = '\u001b';
const OSC8 = `${ESC}]8;;https://evil.example/\u0007click me${ESC}]8;;\u0007`;
/** Any C0/C1 control (but line breaks and tabs of our own layout) or bidi control. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let tls: RunningServer;
let hostileEhlo: RunningServer;
let caFile: string;
const dir = mkdtempSync(join(tmpdir(), 'mfd-untrusted-'));

beforeAll(async () => {
  const root = createCa({ commonName: 'Untrusted Text Root' });
  const leaf = issueCert(root, { commonName: `mx.${RLO}moc.evil.example`, altNames: ['mx.untrusted.test'] });
  tls = await startSmtpFixture({ name: 'mx.untrusted.test', key: leaf.keyPem, cert: fullChain(leaf) });
  caFile = join(dir, 'root.pem');
  writeFileSync(caFile, root.certPem);
  hostileEhlo = await startRawServer(
    scripted('220 mx.hostile.test ESMTP\r\n', (line) => {
      if (/^EHLO/i.test(line)) return `250-mx.hostile.test\r\n250-X-LINK ${OSC8}\r\n250-X-CLEAR ${ESC}[2J${ESC}[H\r\n250 SIZE 1000\r\n`;
      if (/^QUIT/i.test(line)) return '221 bye\r\n';
      return '502 no\r\n';
    }),
  );
});
afterAll(async () => {
  await Promise.all([tls?.close(), hostileEhlo?.close()]);
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

async function probeJson(port: number): Promise<string> {
  const { stdout } = await runCli(['probe', `127.0.0.1:${port}`, '--ca-file', caFile, '--json', '--timeout', '5']).then((r) => ({ stdout: r.out }));
  const file = join(dir, `probe-${port}.json`);
  // `report` takes one probe report: the first (only) one of the probe document.
  writeFileSync(file, JSON.stringify((JSON.parse(stdout) as { probes: unknown[] }).probes[0]));
  return file;
}

describe('untrusted text is shown, never obeyed', () => {
  it('a certificate CN with a right-to-left override is escaped in the terminal, HTML and Markdown', async () => {
    const human = await runCli(['probe', `127.0.0.1:${tls.port}`, '--ca-file', caFile, '--no-color', '--timeout', '5']);
    expect(human.out).toContain('\\u{202e}moc.evil.example');
    expect(human.out).not.toMatch(RAW_CONTROL);
    const saved = await probeJson(tls.port);
    for (const format of ['html', 'md']) {
      const exported = await runCli(['report', saved, '--format', format]);
      expect(exported.code, format).toBe(0);
      expect(exported.out, format).toContain('\\u{202e}moc.evil.example');
      expect(exported.out, format).not.toMatch(RAW_CONTROL);
    }
  });

  it('EHLO lines with an OSC 8 link and a screen clear are kept as visible escapes in the report and its exports', async () => {
    const saved = await probeJson(hostileEhlo.port);
    const human = await runCli(['probe', `127.0.0.1:${hostileEhlo.port}`, '--no-color', '--timeout', '5']);
    expect(human.out).not.toMatch(RAW_CONTROL);
    for (const format of ['html', 'md']) {
      const exported = await runCli(['report', saved, '--format', format]);
      expect(exported.out, format).toContain('X-LINK \\x1b]8;;https://evil.example/\\x07click me');
      expect(exported.out, format).not.toMatch(RAW_CONTROL);
    }
  });

  it('an imported connector whose Name and enum values carry escape sequences gives a one-line error without them', async () => {
    const profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'P', acceptedDomains: ['contoso.com'], subscription: 'exchange-online', ownServers: [], hybridWizardCompleted: false, mailboxes: 'all-cloud', mxPointsTo: 'office365', partners: [], devices: [] }));
    const evil = join(dir, 'evil.json');
    writeFileSync(evil, JSON.stringify([{ Name: `Evil${OSC8}${ESC}[2J`, Enabled: true, ConnectorType: `Partner${ESC}[2J`, TlsSettings: `x${RLO}` }]));
    const result = await runCli(['plan', profile, '--existing', evil]);
    expect(result.err + result.out).not.toMatch(RAW_CONTROL);
    expect(result.err).toContain('\\x1b');
  });
});
