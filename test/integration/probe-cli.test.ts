import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckReportSchema } from '../../src-main/contract/check';
import { ProbeReportSchema } from '../../src-main/contract/probe';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server';
import { createCa, fullChain, issueCert } from '../support/pki';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { runCli } from '../support/run-cli';

/**
 * `probe` and the probe part of `check`, through the real command line
 * (in-process main), against smtp-server and the DNS fixture server on loopback.
 */
let smtp: RunningServer;
let dns: RunningDnsServer;
let caFile: string;
let spki: string;

beforeAll(async () => {
  const root = createCa({ commonName: 'CLI Test Root' });
  const intermediate = createCa({ commonName: 'CLI Test Issuing CA', parent: root });
  const leaf = issueCert(intermediate, { commonName: 'mx1.probe.test', altNames: ['mx1.probe.test', 'mx2.probe.test'] });
  spki = createHash('sha256').update(new X509Certificate(leaf.certPem).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  smtp = await startSmtpFixture({ name: 'mx1.probe.test', key: leaf.keyPem, cert: fullChain(leaf, intermediate.certPem) });
  const dir = mkdtempSync(join(tmpdir(), 'probe-cli-'));
  caFile = join(dir, 'root.pem');
  writeFileSync(caFile, root.certPem);
  dns = await startDnsServer({
    zone: {
      'probe.test': [{ type: 'MX', preference: 10, exchange: 'mx1.probe.test' }, { type: 'MX', preference: 20, exchange: 'mx2.probe.test' }],
      'mx1.probe.test': [{ type: 'A', address: '127.0.0.1' }],
      'mx2.probe.test': [{ type: 'A', address: '127.0.0.1' }],
      [`_${smtp.port}._tcp.mx1.probe.test`]: [{ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: spki }],
    },
    authenticated: [`_${smtp.port}._tcp.mx1.probe.test`],
  });
});

afterAll(async () => {
  await Promise.all([smtp?.close(), dns?.close()]);
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runCli(args);
  return { code, stdout: out, stderr: err };
}

describe('mailflow-doctor probe', () => {
  it('probes an address and port, --json gives the documented schema', async () => {
    const { code, stdout } = await cli(['probe', `127.0.0.1:${smtp.port}`, '--ca-file', caFile, '--json', '--timeout', '3']);
    const doc = JSON.parse(stdout) as { schemaVersion: number; target: string; port: number; probes: unknown[] };
    expect(doc).toMatchObject({ schemaVersion: 1, target: '127.0.0.1', port: smtp.port });
    const report = ProbeReportSchema.parse(doc.probes[0]);
    expect(report.tls?.version).toMatch(/TLSv1\.[23]/);
    // Probed by address: no host name to check, so no mismatch against the IP (issue 8).
    expect(report.certificateVerdict?.summary).toBe('trusted');
    expect(report.findings.map((f) => f.code)).not.toContain('TLS_CERT_HOSTNAME_MISMATCH');
    expect(code).toBe(0);
  });

  it('probes a host name: resolves it, checks the name, matches DANE, predicts connectors, prints plain text', async () => {
    const { code, stdout } = await cli(['probe', `mx1.probe.test:${smtp.port}`, '--dns-server', dns.address, '--ca-file', caFile, '--tls-domain', '*.probe.test', '--transcript', '--timeout', '3']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^SMTP probe: mx1\.probe\.test 127\.0\.0\.1:\d+$/m);
    expect(stdout).toMatch(/^ {2}starttls +ok/m);
    expect(stdout).toMatch(/verdict: trusted by your CA file only \(anchor CN=CLI Test Root.*--ca-file\)/);
    expect(stdout).toMatch(/DANE.*\(TLSA DNSSEC-authenticated\)/);
    expect(stdout).toMatch(/3 1 1 [0-9a-f]{24}… +match/);
    expect(stdout).toMatch(/FAIL +outbound CertificateValidation +450 4\.7\.320/);
    expect(stdout).toMatch(/C: STARTTLS/);
    expect(stdout).not.toContain('\u001b[');
  });

  it.each([
    ['a bad port', ['probe', 'mx.probe.test:99999'], /port must be a number/],
    ['a bad host', ['probe', 'mx!.probe.test'], /cannot have/],
    ['a recipient with a line break', ['probe', '127.0.0.1', '--rcpt', 'a@b.test\r\nDATA'], /--rcpt .* is not an e-mail address/],
    ['a bad helo', ['probe', '127.0.0.1', '--helo', 'x y'], /--helo "x y": the HELO name must be a host name/],
    ['a bad TlsDomain', ['probe', '127.0.0.1', '--tls-domain', 'a..b'], /--tls-domain .* is not a domain name/],
  ])('bad input: %s -> exit 2, one line', async (_label, args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('mailflow-doctor check with SMTP probes', () => {
  it('probes every MX as part of check: mx[].probes in --json, the table in text', async () => {
    const json = await cli(['check', 'probe.test', '--dns-server', dns.address, '--port', String(smtp.port), '--ca-file', caFile, '--json', '--timeout', '3']);
    const report = CheckReportSchema.parse(JSON.parse(json.stdout));
    expect(report.mx.map((m) => m.host)).toEqual(['mx1.probe.test', 'mx2.probe.test']);
    for (const mx of report.mx) {
      expect(mx.probes).toHaveLength(1);
      expect(mx.probes[0]?.stages.map((s) => s.name)).toEqual(['connect', 'banner', 'ehlo', 'starttls', 'tls', 'ehlo-tls', 'quit']);
    }
    expect(report.mx[0]?.probes[0]?.dane[0]?.result).toBe('match');
    // mx2 gets the same certificate (it names both) and a banner naming mx1: information only.
    expect(report.findings.some((f) => f.code === 'SMTP_HOSTNAME_DIFFERS' && f.subject.startsWith('mx2.probe.test'))).toBe(true);

    const text = await cli(['check', 'probe.test', '--dns-server', dns.address, '--port', String(smtp.port), '--ca-file', caFile, '--timeout', '3']);
    expect(text.stdout).toMatch(/^SMTP probes$/m);
    expect(text.stdout).toMatch(/^ {2}Host +Address +Port +STARTTLS +TLS +Certificate +Days +Time$/m);
    expect(text.stdout).toMatch(/^ {2}mx1\.probe\.test +127\.0\.0\.1 +\d+ +yes +TLSv1\.[23] +trusted by your CA file only +\d+ +\d+ ms$/m);
    expect(text.stdout).not.toMatch(/ trusted +\d+ +\d+ ms$/m);
    // What an Exchange Online connector would do, per address, in the check too; each reason once for both rows.
    expect(text.stdout).toMatch(/^Exchange Online connectors to each address \(prediction\)$/m);
    expect(text.stdout).toMatch(/^ {2}mx1\.probe\.test +127\.0\.0\.1 +pass +FAIL 450 4\.7\.320 +FAIL 450 4\.7\.320 +pass$/m);
    expect(text.stdout.match(/UntrustedRoot/g)).toHaveLength(1);
    // One why/fix per code, however many hosts it concerns; the problems listed again at the end.
    for (const paragraph of new Set(text.stdout.split('\n').filter((line) => /^ {8}Why: /.test(line)))) {
      expect(text.stdout.split(paragraph)).toHaveLength(2);
    }
    expect(text.stdout).toMatch(/^To fix:$/m);
  });

  it('DANE: one TLSA lookup per MX at the probed port, shared by DNS and probe; one finding per fact', async () => {
    const before = dns.log.length;
    const json = await cli(['check', 'probe.test', '--dns-server', dns.address, '--port', String(smtp.port), '--ca-file', caFile, '--json', '--timeout', '3']);
    const report = CheckReportSchema.parse(JSON.parse(json.stdout));
    const tlsaAsked = dns.log.slice(before).filter((line) => line.endsWith(' TLSA'));
    // The resolver caches within a run, but there must not even be a second question: the probe uses the check's answer.
    expect(tlsaAsked.sort()).toEqual([`udp _${smtp.port}._tcp.mx1.probe.test TLSA`, `udp _${smtp.port}._tcp.mx2.probe.test TLSA`]);
    expect(report.mx[0]?.tlsa).toHaveLength(1);
    const dane = report.findings.filter((f) => f.area === 'dane');
    // Authenticated (AD bit): the DNS side says so once for the host, the probe says the record matches.
    expect(dane.map((f) => `${f.code} ${f.severity} ${f.subject}`).sort()).toEqual([
      'DANE_TLSA info mx1.probe.test',
      `DANE_TLSA_MATCH ok mx1.probe.test (127.0.0.1:${smtp.port})`,
    ]);
  });

  it('DANE without DNSSEC: the DNS side warns once, the probe\'s match is information, nothing contradicts', async () => {
    const unsigned = await startDnsServer({
      zone: {
        'probe.test': [{ type: 'MX', preference: 10, exchange: 'mx1.probe.test' }],
        'mx1.probe.test': [{ type: 'A', address: '127.0.0.1' }],
        [`_${smtp.port}._tcp.mx1.probe.test`]: [{ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: spki }],
        // A record for port 25 that would not match: with --port it must not be looked at.
        '_25._tcp.mx1.probe.test': [{ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: '00'.repeat(32) }],
      },
      // A validating resolver: no AD on the TLSA records then proves the zone unsigned (issue 8).
      validating: true,
    });
    try {
      const json = await cli(['check', 'probe.test', '--dns-server', unsigned.address, '--port', String(smtp.port), '--ca-file', caFile, '--json', '--timeout', '3']);
      const report = CheckReportSchema.parse(JSON.parse(json.stdout));
      expect(unsigned.log.filter((line) => line.endsWith(' TLSA'))).toEqual([`udp _${smtp.port}._tcp.mx1.probe.test TLSA`]);
      const dane = report.findings.filter((f) => f.area === 'dane');
      expect(dane.map((f) => `${f.code} ${f.severity}`).sort()).toEqual(['DANE_TLSA_MATCH info', 'DANE_TLSA_UNAUTHENTICATED warn']);
      expect(dane.find((f) => f.code === 'DANE_TLSA_UNAUTHENTICATED')?.message).toContain(`_${smtp.port}._tcp.mx1.probe.test`);
    } finally {
      await unsigned.close();
    }
  });

  it('--no-probe keeps check to DNS', async () => {
    const json = await cli(['check', 'probe.test', '--dns-server', dns.address, '--no-probe', '--json', '--timeout', '3']);
    const report = CheckReportSchema.parse(JSON.parse(json.stdout));
    expect(report.mx.every((m) => m.probes.length === 0)).toBe(true);
  });
});
