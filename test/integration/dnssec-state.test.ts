import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckReportSchema, type CheckReport } from '../../src-main/contract/check';
import { createResolver } from '../../src-main/engine/dns/index';
import { resolverValidation } from '../../src-main/engine/dns/dnssec';
import { startDnsServer, type DnsServerOptions, type RunningDnsServer } from '../support/dns-server';
import { selfSigned } from '../support/pki';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { runCli } from '../support/run-cli';

/**
 * Issue 8, defect 4: a missing AD bit means "unsigned" only from a resolver
 * that validates. The same zone (TLSA records that do NOT match the server's
 * certificate) through three loopback DNS servers: authoritative-only (no RA),
 * a recursive resolver that does not validate (RA, never AD, not even for the
 * signed root), and a validating resolver (AD on the root; on the TLSA name
 * only when the zone is signed).
 */
let smtp: RunningServer;
const servers: Record<string, RunningDnsServer> = {};

beforeAll(async () => {
  const cert = selfSigned({ commonName: 'mx.dnssec.test' });
  smtp = await startSmtpFixture({ name: 'mx.dnssec.test', listenHost: '127.0.0.6', key: cert.keyPem, cert: cert.certPem });
  const tlsaName = `_${smtp.port}._tcp.mx.dnssec.test`;
  const zone: DnsServerOptions['zone'] = {
    'dnssec.test': [{ type: 'MX', preference: 10, exchange: 'mx.dnssec.test' }],
    'mx.dnssec.test': [{ type: 'A', address: '127.0.0.6' }],
    [tlsaName]: [{ type: 'TLSA', usage: 3, selector: 1, matchingType: 1, data: '00'.repeat(32) }],
  };
  servers['authoritative'] = await startDnsServer({ zone });
  servers['non-validating'] = await startDnsServer({ zone, recursive: true });
  servers['validating-unsigned'] = await startDnsServer({ zone, validating: true });
  servers['validating-signed'] = await startDnsServer({ zone, validating: true, authenticated: [tlsaName] });
});

afterAll(async () => {
  await Promise.all([smtp?.close(), ...Object.values(servers).map((s) => s.close())]);
});

afterEach(() => {
  process.exitCode = undefined;
});

async function check(server: string): Promise<CheckReport> {
  const { out } = await runCli(['check', 'dnssec.test', '--dns-server', servers[server]!.address, '--port', String(smtp.port), '--timeout', '3', '--json']);
  return CheckReportSchema.parse(JSON.parse(out));
}

const danes = (report: CheckReport) => report.findings.filter((f) => f.area === 'dane');
const code = (report: CheckReport, c: string) => report.findings.find((f) => f.code === c);

describe('DNSSEC: validated, proven insecure, or unknown', () => {
  it('reads RA and tells the three kinds of server apart by the signed root', async () => {
    const expected = { authoritative: 'not-recursive', 'non-validating': 'not-validating', 'validating-unsigned': 'validating' } as const;
    for (const [name, validation] of Object.entries(expected)) {
      const resolver = createResolver({ servers: [servers[name]!.address], timeoutMs: 2000 });
      expect(await resolverValidation(resolver), name).toBe(validation);
      expect((await resolver.query('dnssec.test', 'MX')).recursionAvailable, name).toBe(name !== 'authoritative');
    }
  });

  it.each(['authoritative', 'non-validating'])('through a %s server: unknown, its own finding and fix, never "sign the zone", the mismatch keeps its severity', async (server) => {
    const report = await check(server);
    const unknown = code(report, 'DANE_DNSSEC_UNKNOWN');
    expect(unknown?.message).toMatch(server === 'authoritative' ? /authoritative-only \(no RA flag\)/ : /did not set AD even for the signed root zone/);
    expect(unknown?.fix).toMatch(/validating resolver/);
    expect(code(report, 'DANE_TLSA_UNAUTHENTICATED')).toBeUndefined();
    for (const f of danes(report)) expect(f.fix).not.toMatch(/sign the zone/i);
    const probe = report.mx[0]!.probes[0]!;
    expect(probe.daneDnssec).toBe('unknown');
    expect(code(report, 'DANE_TLSA_MISMATCH')?.severity).toBe('fail');
    const dane = probe.predictions.find((p) => p.setting === 'SmtpDaneMode');
    expect(dane?.verdict).toBe('unknown');
    expect(dane?.reasons.map((r) => r.kind)).toEqual(['dane', 'dane']);
    expect(dane?.fix).not.toMatch(/sign the zone/i);
    // The question that told it: the root's NS, asked once.
    expect(servers[server]!.log.filter((l) => / NS$/.test(l)).length).toBeGreaterThan(0);
  });

  it('through a validating resolver, an unsigned zone is proven insecure: sign the zone, and senders ignore the mismatch', async () => {
    const report = await check('validating-unsigned');
    expect(code(report, 'DANE_TLSA_UNAUTHENTICATED')?.fix).toMatch(/Sign the zone with DNSSEC/);
    expect(code(report, 'DANE_DNSSEC_UNKNOWN')).toBeUndefined();
    expect(report.mx[0]!.probes[0]!.daneDnssec).toBe('insecure');
    expect(code(report, 'DANE_TLSA_MISMATCH')?.severity).toBe('warn');
  });

  it('through a validating resolver, signed records are validated and a mismatch fails', async () => {
    const report = await check('validating-signed');
    expect(code(report, 'DANE_TLSA')).toBeDefined();
    expect(report.mx[0]!.probes[0]!.daneDnssec).toBe('validated');
    expect(code(report, 'DANE_TLSA_MISMATCH')?.severity).toBe('fail');
    expect(report.mx[0]!.probes[0]!.predictions.find((p) => p.setting === 'SmtpDaneMode')).toMatchObject({ verdict: 'fail', ndr: '4.7.323 (tlsa-invalid)' });
    // An AD bit was there: no question about the resolver was needed.
    expect(servers['validating-signed']!.log.some((l) => / NS$/.test(l))).toBe(false);
  });
});
