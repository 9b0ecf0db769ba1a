import { describe, expect, it } from 'vitest';
import type { CheckReport, MxEntry } from '../../src-main/contract/check';
import type { ConnectorPrediction, ProbeReport } from '../../src-main/contract/probe';
import { deliveryVerdict } from '../../src-main/engine/connectors/index';

/** The verdict's MX walk and per-setting judgement, on reports shaped as the probe makes them. */
const predictions = (cv: ConnectorPrediction['verdict']): ConnectorPrediction[] => [
  { direction: 'outbound', setting: 'EncryptionOnly', verdict: 'pass', reason: 'ok', fix: 'Nothing to do.', reasons: [] },
  { direction: 'outbound', setting: 'CertificateValidation', verdict: cv, reason: cv, fix: 'f', reasons: cv === 'pass' ? [] : [{ kind: 'chain', text: 'UntrustedRoot', fix: 'f' }] },
  { direction: 'outbound', setting: 'DomainValidation', verdict: 'unknown', reason: 'no TlsDomain', fix: 'f', reasons: [{ kind: 'input', text: 'No TlsDomain given', fix: 'f' }] },
];

function probe(address: string, state: 'ok' | 'refused' | 'timeout', cv: ConnectorPrediction['verdict'] = 'pass'): ProbeReport {
  const connect = state === 'ok' ? { name: 'connect', status: 'ok', startMs: 0, durationMs: 1 } : { name: 'connect', status: 'failed', startMs: 0, durationMs: 1, detail: state === 'refused' ? 'ECONNREFUSED: connection refused' : 'TIMEOUT: no answer' };
  return {
    host: 'x', address, port: 25, mode: 'starttls', starttls: state === 'ok', tls: state === 'ok' ? { version: 'TLSv1.3', cipher: 'c' } : null,
    stages: state === 'ok' ? [connect, { name: 'banner', status: 'ok', startMs: 1, durationMs: 1 }] : [connect],
    certificates: [], certificateVerdict: null, banner: state === 'ok' ? 'hello' : null, bannerHost: null, ehloHost: null, capabilities: null, capabilitiesTls: null,
    rcptReply: null, dane: [], daneAuthenticated: null, transcript: [], transcriptTruncated: false, elapsedMs: 1, findings: [],
    predictions: state === 'ok' ? predictions(cv) : predictions('unknown').map((p) => ({ ...p, verdict: 'unknown' as const })),
  } as ProbeReport;
}

const mx = (host: string, preference: number, probes: ProbeReport[]): MxEntry => ({ host, preference, addresses: probes.map((p) => p.address), tlsa: [], probes });
const report = (entries: MxEntry[]): Pick<CheckReport, 'domain' | 'mx' | 'findings'> => ({ domain: 'contoso.test', mx: entries, findings: [] });

describe('delivery verdict', () => {
  it('walks MX hosts in preference order: a refused primary, CertificateValidation passing through the secondary', () => {
    const verdict = deliveryVerdict(report([mx('mx1.contoso.test', 10, [probe('192.0.2.1', 'refused')]), mx('mx2.contoso.test', 20, [probe('192.0.2.2', 'ok', 'pass')])]));
    expect(verdict).toMatchObject({ delivery: 'delivered', via: { host: 'mx2.contoso.test' }, encrypted: 'yes', validatedTlsPossible: true, worst: 'warn' });
    expect(verdict.tlsSettings.CertificateValidation).toMatchObject({ verdict: 'pass', via: 'mx2.contoso.test' });
    expect(verdict.tlsSettings.DomainValidation.verdict).toBe('unknown');
  });

  it('a primary failing CertificateValidation with a passing secondary: the setting passes through the secondary and says so', () => {
    const verdict = deliveryVerdict(report([mx('mx1.contoso.test', 10, [probe('192.0.2.1', 'ok', 'fail')]), mx('mx2.contoso.test', 20, [probe('192.0.2.2', 'ok', 'pass')])]));
    expect(verdict.via?.host).toBe('mx1.contoso.test');
    expect(verdict.tlsSettings.CertificateValidation.text).toBe('CertificateValidation: passes through mx2.contoso.test (after mx1.contoso.test, which fails it).');
    expect(verdict.validatedTlsPossible).toBe(true);
  });

  it('every MX refused: not delivered, a failure; every MX timed out: not known from here', () => {
    expect(deliveryVerdict(report([mx('mx1.contoso.test', 10, [probe('192.0.2.1', 'refused')])]))).toMatchObject({ delivery: 'not-delivered', worst: 'fail' });
    expect(deliveryVerdict(report([mx('mx1.contoso.test', 10, [probe('192.0.2.1', 'timeout')])]))).toMatchObject({ delivery: 'unknown', worst: 'ok' });
    expect(deliveryVerdict(report([{ ...mx('mx1.contoso.test', 10, []), addresses: ['192.0.2.1'] }])).delivery).toBe('unknown');
    expect(deliveryVerdict(report([mx('mx1.contoso.test', 10, [])])).delivery).toBe('not-delivered');
  });
});
