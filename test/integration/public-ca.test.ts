import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProbeReportSchema, type ProbeReport } from '../../src-main/contract/probe';
import { createCa, fullChain, issueCert } from '../support/pki';
import { runCli } from '../support/run-cli';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { useTempDirs } from '../support/temp-dirs';

/**
 * `--public-ca`: rehearsing with a lab CA. With `--ca-file` every server of
 * the lab CA is "trusted only through a private CA", so a healthy server and
 * a wrong-name server predict the same; with `--public-ca` the lab CA counts
 * as Exchange Online would count a public one, the two predict differently,
 * and the report says it is a rehearsal.
 */
const NAME = 'mx.rehearse.test';
const tempDir = useTempDirs('mailflow-rehearse-');
let healthy: RunningServer;
let wrongName: RunningServer;
let rootPem: string;

beforeAll(async () => {
  const root = createCa({ commonName: 'Rehearsal Lab Root', keyType: 'ec' });
  const issuing = createCa({ commonName: 'Rehearsal Lab Issuing CA', parent: root, keyType: 'ec' });
  rootPem = root.certPem;
  const good = issueCert(issuing, { commonName: NAME, keyType: 'ec' });
  const other = issueCert(issuing, { commonName: 'other.rehearse.test', keyType: 'ec' });
  healthy = await startSmtpFixture({ name: NAME, key: good.keyPem, cert: fullChain(good, issuing.certPem) });
  wrongName = await startSmtpFixture({ name: NAME, key: other.keyPem, cert: fullChain(other, issuing.certPem) });
});
afterAll(async () => {
  await Promise.all([healthy?.close(), wrongName?.close()]);
});
afterEach(() => {
  process.exitCode = undefined;
});

async function probe(server: RunningServer, trustFlag: '--ca-file' | '--public-ca'): Promise<ProbeReport> {
  const file = join(tempDir(), 'lab-root.pem');
  writeFileSync(file, rootPem);
  const { out } = await runCli(['probe', `127.0.0.1:${server.port}`, trustFlag, file, '--tls-domain', NAME, '--json', '--timeout', '3']);
  const doc = JSON.parse(out) as { probes: unknown[] };
  return ProbeReportSchema.parse(doc.probes[0]);
}

const prediction = (report: ProbeReport, setting: string) => report.predictions.find((p) => p.setting === setting);

describe('--public-ca', () => {
  it('with --ca-file, a healthy and a wrong-name server predict the same: trusted only through a private CA', async () => {
    // One CLI run at a time: runCli captures the process's stdout.
    const good = await probe(healthy, '--ca-file');
    const bad = await probe(wrongName, '--ca-file');
    for (const report of [good, bad]) {
      expect(report.certificateVerdict?.trustAnchorSource).toBe('extra');
      expect(prediction(report, 'CertificateValidation')?.verdict).toBe('fail');
      expect(prediction(report, 'DomainValidation')?.verdict).toBe('fail');
      expect(report.rehearsal).toBeUndefined();
    }
  });

  it('with --public-ca, they predict differently, and the report says it is a rehearsal', async () => {
    const good = await probe(healthy, '--public-ca');
    const bad = await probe(wrongName, '--public-ca');
    for (const report of [good, bad]) {
      expect(report.certificateVerdict?.trustAnchorSource).toBe('rehearsal');
      expect(prediction(report, 'CertificateValidation')?.verdict).toBe('pass');
      expect(report.rehearsal).toEqual({ publicCas: ['CN=Rehearsal Lab Root, O=Mailflow Doctor Tests'] });
      expect(report.findings.find((f) => f.code === 'TLS_CERT_REHEARSAL_CA')?.message).toMatch(/^Rehearsal: the chain is trusted through CN=Rehearsal Lab Root/);
      expect(report.findings.map((f) => f.code)).not.toContain('TLS_CERT_PRIVATE_CA');
    }
    expect(prediction(good, 'DomainValidation')?.verdict).toBe('pass');
    expect(prediction(bad, 'DomainValidation')).toMatchObject({ verdict: 'fail', ndr: '450 4.4.317 (SubjectMismatch)' });
  });

  it('says REHEARSAL in the human output, and refuses a file without a certificate', async () => {
    const file = join(tempDir(), 'lab-root.pem');
    writeFileSync(file, rootPem);
    const { out } = await runCli(['probe', `127.0.0.1:${healthy.port}`, '--public-ca', file, '--timeout', '3', '--no-color']);
    expect(out).toMatch(/^REHEARSAL {2}--public-ca: the predictions treat that CA as if Exchange Online trusted it; it does not\./);
    const empty = join(tempDir(), 'empty.pem');
    writeFileSync(empty, 'not a certificate');
    const refused = await runCli(['probe', `127.0.0.1:${healthy.port}`, '--public-ca', empty]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`--public-ca ${empty} cannot be used: it must be a readable PEM certificate file`);
  });
});
