import { describe, expect, it } from 'vitest';
import { port25BlockedFinding } from '../../src-main/engine/smtp/index';
import type { ProbeReport } from '../../src-main/contract/probe';
import { CHECK_SCHEMA_VERSION, type CheckReport } from '../../src-main/contract/check';
import { summariseProbes } from '../../src-main/cli/commands/check-probe';
import { renderCheckReport } from '../../src-main/cli/format/report';
import { createStyle } from '../../src-main/cli/format/style';

function probe(host: string, code: string, port = 25): ProbeReport {
  return {
    host, address: '127.0.0.1', port, mode: 'starttls', stages: [], starttls: false, tls: null, certificates: [], certificateVerdict: null,
    banner: null, bannerHost: null, ehloHost: null, capabilities: null, capabilitiesTls: null, rcptReply: null, dane: [], daneAuthenticated: null,
    transcript: [], transcriptTruncated: false, predictions: [], elapsedMs: 10_000,
    findings: [{ code, severity: 'fail', area: 'smtp', subject: host, message: '', explanation: '', fix: '', evidence: [] }],
  };
}

describe('PORT25_BLOCKED', () => {
  it('when port 25 timed out to every address of every MX', () => {
    const found = port25BlockedFinding('contoso.test', [[probe('mx1', 'SMTP_CONNECT_TIMEOUT'), probe('mx1', 'SMTP_CONNECT_TIMEOUT')], [probe('mx2', 'SMTP_CONNECT_TIMEOUT')]]);
    expect(found).toMatchObject({ code: 'PORT25_BLOCKED', severity: 'warn', subject: 'contoso.test' });
    expect(found?.message).toMatch(/all 3 address\(es\) of 2 MX host\(s\)/);
    expect(found?.fix).toMatch(/587/);
  });

  it('not when one MX answered, was refused, or the port is not 25', () => {
    expect(port25BlockedFinding('c.test', [[probe('mx1', 'SMTP_CONNECT_TIMEOUT')], [probe('mx2', 'STARTTLS_OK')]])).toBeNull();
    expect(port25BlockedFinding('c.test', [[probe('mx1', 'SMTP_CONNECT_REFUSED')]])).toBeNull();
    expect(port25BlockedFinding('c.test', [[probe('mx1', 'SMTP_CONNECT_TIMEOUT', 587)]])).toBeNull();
    expect(port25BlockedFinding('c.test', [])).toBeNull();
  });
});

describe('check output when port 25 is blocked from here', () => {
  function timedOut(host: string, address: string): ProbeReport {
    const base = probe(host, 'SMTP_CONNECT_TIMEOUT');
    return {
      ...base,
      address,
      stages: [{ name: 'connect', status: 'failed', startMs: 0, durationMs: 10_000, detail: 'TIMEOUT: no answer' }],
      findings: [{ ...base.findings[0]!, subject: `${host} (${address}:25)`, message: `No answer from ${address} port 25 within 10.0 s.` }],
      predictions: [{ direction: 'outbound', setting: 'EncryptionOnly', verdict: 'unknown', ndr: '450 4.4.318', reason: 'Timed out from here.', fix: 'Test from a server.', reasons: [] }],
    };
  }
  const mx = [
    { host: 'mx1.contoso.test', preference: 10, addresses: ['192.0.2.1', '192.0.2.2'], tlsa: [], probes: [timedOut('mx1.contoso.test', '192.0.2.1'), timedOut('mx1.contoso.test', '192.0.2.2')] },
    { host: 'mx2.contoso.test', preference: 20, addresses: ['192.0.2.3'], tlsa: [], probes: [timedOut('mx2.contoso.test', '192.0.2.3')] },
  ];
  const report: CheckReport = {
    schemaVersion: CHECK_SCHEMA_VERSION, domain: 'contoso.test', domainUnicode: 'contoso.test', startedAt: new Date(0).toISOString(), elapsedMs: 10_000, resolver: '127.0.0.1:53',
    mx, findings: mx.flatMap((m) => m.probes.flatMap((p) => p.findings)),
  };

  it('one PORT25_BLOCKED stands for the per-address timeouts, which stay as its evidence and in the table', () => {
    const summarised = summariseProbes(report);
    expect(summarised.findings.map((f) => f.code)).toEqual(['PORT25_BLOCKED']);
    expect(summarised.findings[0]?.evidence).toHaveLength(3);
    const text = renderCheckReport(summarised, createStyle(false));
    expect(text.match(/\(connect timed out\)/g)).toHaveLength(3);
    expect(text).toMatch(/^ {2}WARN {2}Port 25 timed out to all 3 address\(es\) of 2 MX host\(s\).*\[PORT25_BLOCKED\]$/m);
    // The connector prediction is said once for the three addresses, not three times.
    expect(text.match(/Timed out from here\./g)).toHaveLength(1);
    expect(text).toMatch(/^To fix:\n {2}WARN {2}PORT25_BLOCKED {2}contoso\.test$/m);
  });

  it('without a block, each probe finding names its host and address', () => {
    const oneAnswered = { ...report, findings: [...report.findings.slice(0, 2), { ...report.findings[2]!, code: 'STARTTLS_OK', severity: 'ok' as const }] };
    const summarised = summariseProbes({ ...oneAnswered, mx: [mx[0]!, { ...mx[1]!, probes: [{ ...mx[1]!.probes[0]!, findings: [oneAnswered.findings[2]!] }] }] });
    expect(summarised.findings.map((f) => f.code)).toEqual(['SMTP_CONNECT_TIMEOUT', 'SMTP_CONNECT_TIMEOUT', 'STARTTLS_OK']);
    expect(summarised.findings[0]?.message).toBe('mx1.contoso.test (192.0.2.1:25): No answer from 192.0.2.1 port 25 within 10.0 s.');
  });
});
