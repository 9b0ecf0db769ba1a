import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckReportSchema, type CheckReport } from '../../src-main/contract/check';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server';
import { createCa, issueCert, selfSigned } from '../support/pki';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { runCli } from '../support/run-cli';

/**
 * Issue 8, defects 1, 2, 5 and 7, through the real command line against
 * smtp-server peers on loopback: each host keeps its own reasons, every
 * reason is listed with its fix, one delivery verdict per domain drives the
 * exit code, and a self-signed certificate is as bad as an expired one when
 * neither MX can pass CertificateValidation.
 *
 * two.test:    mx1 (127.0.0.2) self-signed; mx2 (127.0.0.3) self-signed, expired, RSA 1024.
 * backup.test: mx1 (127.0.0.4) refuses connections; mx2 (127.0.0.5) works (test CA via --ca-file).
 */
const DAY = 86_400_000;
let mx1: RunningServer;
let mx2: RunningServer;
let backup: RunningServer;
let dns: RunningDnsServer;
let caFile: string;
let port: number;

beforeAll(async () => {
  const selfSignedCert = selfSigned({ commonName: 'mx1.two.test' });
  const brokenCert = selfSigned({ commonName: 'mx2.two.test', rsaBits: 1024, validFrom: new Date(Date.now() - 400 * DAY), validTo: new Date(Date.now() - 10 * DAY) });
  mx1 = await startSmtpFixture({ name: 'mx1.two.test', listenHost: '127.0.0.2', key: selfSignedCert.keyPem, cert: selfSignedCert.certPem });
  port = mx1.port;
  mx2 = await startSmtpFixture({ name: 'mx2.two.test', listenHost: '127.0.0.3', listenPort: port, key: brokenCert.keyPem, cert: brokenCert.certPem, weakCrypto: true });
  const root = createCa({ commonName: 'Verdict Test Root' });
  const good = issueCert(root, { commonName: 'mx2.backup.test' });
  backup = await startSmtpFixture({ name: 'mx2.backup.test', listenHost: '127.0.0.5', listenPort: port, key: good.keyPem, cert: good.certPem });
  caFile = join(mkdtempSync(join(tmpdir(), 'verdict-cli-')), 'root.pem');
  writeFileSync(caFile, root.certPem);
  dns = await startDnsServer({
    zone: {
      'two.test': [{ type: 'MX', preference: 10, exchange: 'mx1.two.test' }, { type: 'MX', preference: 20, exchange: 'mx2.two.test' }],
      'mx1.two.test': [{ type: 'A', address: '127.0.0.2' }],
      'mx2.two.test': [{ type: 'A', address: '127.0.0.3' }],
      'backup.test': [{ type: 'MX', preference: 10, exchange: 'mx1.backup.test' }, { type: 'MX', preference: 20, exchange: 'mx2.backup.test' }],
      'mx1.backup.test': [{ type: 'A', address: '127.0.0.4' }],
      'mx2.backup.test': [{ type: 'A', address: '127.0.0.5' }],
    },
  });
});

afterAll(async () => {
  await Promise.all([mx1?.close(), mx2?.close(), backup?.close(), dns?.close()]);
});

afterEach(() => {
  process.exitCode = undefined;
});

async function check(domain: string, extra: readonly string[] = []): Promise<{ code: number; report: CheckReport; text: string }> {
  const base = ['check', domain, '--dns-server', dns.address, '--port', String(port), '--timeout', '3', ...extra];
  const json = await runCli([...base, '--json']);
  const text = await runCli(base);
  expect(json.code).toBe(text.code);
  return { code: json.code, report: CheckReportSchema.parse(JSON.parse(json.out)), text: text.out };
}

describe('check: one verdict per domain, every reason per host', () => {
  it('two MX hosts with different certificate problems keep their own reasons, each with its fix', async () => {
    const { code, report, text } = await check('two.test', ['--tls-domain', 'mail.two.test']);
    const predictions = (i: number) => report.mx[i]!.probes[0]!.predictions;
    const cv = (i: number) => predictions(i).find((p) => p.setting === 'CertificateValidation')!;
    const dv = (i: number) => predictions(i).find((p) => p.setting === 'DomainValidation')!;
    // mx1: self-signed only; mx2: self-signed, expired and a weak key, in Exchange Online's order.
    expect(cv(0).reasons.map((r) => r.kind)).toEqual(['chain']);
    expect(cv(1).reasons.map((r) => r.kind)).toEqual(['chain', 'expiry', 'key']);
    expect(cv(1).reasons[2]!.text).toMatch(/1024-bit RSA key/);
    // DomainValidation names the chain problems AND the name that does not match, not just "needs CertificateValidation".
    expect(dv(0).reasons.map((r) => r.kind)).toEqual(['chain', 'name']);
    expect(dv(1).reasons.map((r) => r.kind)).toEqual(['chain', 'expiry', 'key', 'name']);
    for (const r of dv(1).reasons) expect(r.fix.length).toBeGreaterThan(10);

    // Human output: a line per host (they differ), every reason numbered with its fix.
    const groups = text.split('\n').filter((l) => /^ {2}FAIL {2}CertificateValidation/.test(l));
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatch(/\(mx1\.two\.test 127\.0\.0\.2\)$/);
    expect(groups[1]).toMatch(/\(mx2\.two\.test 127\.0\.0\.3\)$/);
    expect(text).toMatch(/^ {8}1\. UntrustedRoot: the certificate is self-signed\.\n {11}Fix: .*\n {8}2\. Expired: the certificate expired \d+ days ago\.\n {11}Fix: .*\n {8}3\. Weak key: a 1024-bit RSA key/m);
    expect(text).toMatch(/SubjectMismatch: TlsDomain mail\.two\.test matches no subjectAltName/);

    // The verdict: delivered through mx1, encrypted, but validated TLS impossible: worst fail, exit 1.
    expect(report.verdict).toMatchObject({ delivery: 'delivered', via: { host: 'mx1.two.test', address: '127.0.0.2', preference: 10 }, encrypted: 'yes', validatedTlsPossible: false, worst: 'fail' });
    expect(report.verdict?.tlsSettings.EncryptionOnly).toMatchObject({ verdict: 'pass', via: 'mx1.two.test' });
    expect(report.verdict?.tlsSettings.CertificateValidation).toMatchObject({ verdict: 'fail', via: null });
    expect(report.verdict?.tlsSettings.DomainValidation.verdict).toBe('fail');
    expect(code).toBe(1);
    expect(text.split('\n').slice(0, 12).join('\n')).toMatch(/^Verdict: DELIVERED · worst fail\n {2}Mail from Exchange Online is delivered to two\.test through mx1\.two\.test/m);
    expect(text).toMatch(/^ {2}Validated TLS to this domain is not possible: no MX can pass CertificateValidation\.$/m);

    // Defect 7: self-signed and expired get the same severity when both make validated TLS impossible; a weak key fails.
    const severity = (code: string) => [...new Set(report.findings.filter((f) => f.code === code).map((f) => f.severity))];
    expect(severity('TLS_CERT_SELF_SIGNED')).toEqual(['fail']);
    expect(severity('TLS_CERT_EXPIRED')).toEqual(['fail']);
    expect(severity('TLS_CERT_WEAK_KEY')).toEqual(['fail']);
    // Worst first.
    const order = report.findings.map((f) => ({ fail: 3, warn: 2, info: 1, ok: 0 })[f.severity]);
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it('a refused primary with a working secondary is delivered via the secondary, not an outage', async () => {
    const { report, text } = await check('backup.test', ['--ca-file', caFile]);
    expect(report.verdict?.delivery).toBe('delivered');
    expect(report.verdict?.via).toEqual({ host: 'mx2.backup.test', address: '127.0.0.5', preference: 20 });
    expect(report.verdict?.mxWalk.map((s) => `${s.host} ${s.outcome}`)).toEqual(['mx1.backup.test refused', 'mx2.backup.test accepted']);
    expect(report.verdict?.summary[0]).toMatch(/through mx2\.backup\.test .*after mx1\.backup\.test \(127\.0\.0\.4\) refused the connection: a sending MTA moves on to the next MX, so this is not an outage/);
    // The refused primary is something to repair, not a failure of delivery.
    expect(report.findings.find((f) => f.code === 'SMTP_CONNECT_REFUSED')?.severity).toBe('warn');
    // The CA file is trusted by this tool only: the table says so, never a bare "trusted".
    expect(text).toMatch(/^ {2}mx2\.backup\.test +127\.0\.0\.5 +\d+ +yes +TLSv1\.[23] +trusted by your CA file only/m);
    expect(report.verdict?.tlsSettings.CertificateValidation.verdict).toBe('fail');
  });

  it('inbound TlsSenderCertificateName: the untrusted chain AND the name that does not match, each with its fix', async () => {
    const { out } = await runCli(['probe', `127.0.0.2:${port}`, '--tls-sender-certificate-name', 'mail.two.test', '--accepted-domain', 'contoso.test', '--json', '--timeout', '3']);
    const doc = JSON.parse(out) as { probes: Array<{ predictions: Array<{ direction: string; verdict: string; reasons: Array<{ kind: string; fix: string }> }> }> };
    const inbound = doc.probes[0]!.predictions.find((p) => p.direction === 'inbound')!;
    expect(inbound.verdict).toBe('fail');
    expect(inbound.reasons.map((r) => r.kind)).toEqual(['chain', 'name', 'accepted-domain']);
    expect(inbound.reasons[1]!.fix).toMatch(/Set-InboundConnector -TlsSenderCertificateName mx1\.two\.test/);
    const text = await runCli(['probe', `127.0.0.2:${port}`, '--tls-sender-certificate-name', 'mail.two.test', '--timeout', '3']);
    expect(text.out).toMatch(/FAIL +inbound TlsSenderCertificateName.*\n {8}1\. UntrustedRoot: the certificate is self-signed\.\n {11}Fix: .*\n {8}2\. TlsSenderCertificateName mail\.two\.test matches no name on the certificate/);
  });
});
