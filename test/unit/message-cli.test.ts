import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageAnalysisSchema } from '../../src-main/contract/message';
import { readStdin } from '../../src-main/cli/commands/message';
import { runCli } from '../support/run-cli';
import { exchangeNdrText, message } from '../support/messages';

/** `mailflow-doctor message`: human output, --json, a profile, standard input, escaping, bad files. */
const root = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = join(root, 'test/fixtures/message/onprem-via-connector.eml');
const PROFILE = join(root, 'examples/john-bob-sun.json');
const tmp = mkdtempSync(join(tmpdir(), 'mfd-message-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mailflow-doctor message', () => {
  it('prints hops with delays and TLS, authentication, the connector and the path, and exits 1 on a failing finding', async () => {
    const { code, out, err } = await runCli(['message', SAMPLE, '--profile', PROFILE]);
    expect(err).toBe('');
    expect(code).toBe(1);
    expect(out).toContain('Message: Quarterly résults for Übersicht');
    expect(out).toMatch(/3 {2}mail\.contoso\.com \[203\.0\.113\.25\] → AM0EUR02FT012\.mail\.protection\.outlook\.com {2}\+3 s/);
    expect(out).toContain('TLS 1.2 (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)');
    expect(out).toContain('Inside Microsoft 365’s datacentres');
    expect(out).toContain('Composite authentication (compauth) passed, reason 100');
    expect(out).toContain('Came in through an inbound connector from your own servers (type OnPremises)');
    expect(out).toContain('John → your email server (hops 1-2) → Office 365 (hops 3-5) → Bob');
    expect(out).toContain('Connector expected: "From EX2013 to Office 365"');
    expect(out).toContain('EXCHANGE_OUT_OF_SUPPORT');
  });

  it('prints JSON matching the message:analyze schema', async () => {
    const { code, out } = await runCli(['message', SAMPLE, '--json']);
    expect(code).toBe(1);
    const analysis = MessageAnalysisSchema.parse(JSON.parse(out));
    expect(analysis.hops).toHaveLength(5);
    expect(analysis.path).toBeUndefined();
  });

  it('explains an NDR and names the probe that would confirm it; exit 0 for a temporary failure', async () => {
    const file = join(tmp, 'ndr.txt');
    writeFileSync(file, exchangeNdrText('450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch]', { remoteServer: 'mx1.contosobank.com' }));
    const { code, out } = await runCli(['message', file]);
    expect(code).toBe(0);
    expect(out).toContain('Non-delivery report: Statement request');
    expect(out).toContain('4.4.317 TLS required but not offered, or certificate name mismatch');
    expect(out).toContain('Confirm it: mailflow-doctor probe mx1.contosobank.com');
  });

  it('shows control characters from the message as text, never as terminal codes', async () => {
    const file = join(tmp, 'evil.eml');
    writeFileSync(file, message([['Received', 'from evil.example (evil.example [192.0.2.66]) by mx\u001b[31m.example with ESMTP; Tue, 1 Dec 2026 10:00:00 +0000'], ['Subject', 'hi\u001b]0;owned\u0007 there']]));
    const { out } = await runCli(['message', file, '--no-color']);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0007');
    expect(out).toContain('\\x1b');
  });

  it('reads standard input with a bound', async () => {
    expect((await readStdin(Readable.from([Buffer.from('Subject: a\r\n'), Buffer.from('\r\n')]), 100)).toString()).toBe('Subject: a\r\n\r\n');
    await expect(readStdin(Readable.from([Buffer.alloc(80), Buffer.alloc(80)]), 100)).rejects.toThrow(/standard input: larger than/);
  });

  it('says what is wrong with a missing, oversized or binary file (exit 2)', async () => {
    const missing = await runCli(['message', join(tmp, 'nope.eml')]);
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toContain('no such file');
    const big = join(tmp, 'big.eml');
    writeFileSync(big, Buffer.alloc(11 * 1024 * 1024, 0x41));
    expect((await runCli(['message', big])).err).toContain('larger than 10 MB');
    const binary = join(tmp, 'photo.jpg');
    writeFileSync(binary, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]));
    const bin = await runCli(['message', binary]);
    expect(bin.code).toBe(2);
    expect(bin.err).toContain('photo.jpg is binary data, not a message');
  });
});
