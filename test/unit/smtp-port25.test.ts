import { describe, expect, it } from 'vitest';
import { port25BlockedFinding } from '../../src-main/engine/smtp/index';
import type { ProbeReport } from '../../src-main/contract/probe';

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
