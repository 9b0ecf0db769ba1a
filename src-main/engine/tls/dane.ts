import { createHash, type X509Certificate } from 'node:crypto';
import type { DnsRecordOf, DnssecStatus } from '../../contract/dns';
import type { DaneResult } from '../../contract/probe';
import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { buildChain } from './chain';
import { spkiDer } from './certificate-info';
import { certificateMatchesHost } from './hostname';
import { createTrustStore } from './trust-store';
import { TLS_FINDINGS as F } from './findings';

/**
 * DANE for SMTP (RFC 7672): TLSA records of `_<port>._tcp.<mx host>` against the
 * chain the server presented. DANE-EE (3) pins the leaf and ignores names and
 * dates; DANE-TA (2) pins a CA certificate the server sends, and the leaf must
 * chain to it and name the host. PKIX-TA/PKIX-EE (0, 1) are not used for SMTP.
 */
export type TlsaRecord = Pick<DnsRecordOf<'TLSA'>, 'usage' | 'selector' | 'matchingType' | 'data'>;

function associationData(certificate: X509Certificate, selector: number, matchingType: number): string | null {
  const selected = selector === 0 ? certificate.raw : selector === 1 ? spkiDer(certificate) : null;
  if (!selected) return null;
  if (matchingType === 0) return selected.toString('hex');
  if (matchingType === 1) return createHash('sha256').update(selected).digest('hex');
  if (matchingType === 2) return createHash('sha512').update(selected).digest('hex');
  return null;
}

export function matchTlsa(record: TlsaRecord, presented: readonly X509Certificate[], host: string): DaneResult {
  const base = { usage: record.usage, selector: record.selector, matchingType: record.matchingType, data: record.data.toLowerCase() };
  if (record.usage === 0 || record.usage === 1) {
    return { ...base, result: 'ignored', detail: `Usage ${record.usage} (PKIX) is not used for SMTP (RFC 7672 section 3.1.3); senders ignore it.` };
  }
  if (record.usage !== 2 && record.usage !== 3) return { ...base, result: 'unsupported', detail: `Unknown usage ${record.usage}.` };
  if (record.selector > 1 || record.matchingType > 2) {
    return { ...base, result: 'unsupported', detail: `Unknown selector ${record.selector} or matching type ${record.matchingType}.` };
  }
  const [leaf] = presented;
  if (!leaf) return { ...base, result: 'mismatch', detail: 'No certificate was presented.' };
  if (record.usage === 3) {
    return associationData(leaf, record.selector, record.matchingType) === base.data
      ? { ...base, result: 'match', detail: 'DANE-EE: matches the server\'s certificate.' }
      : { ...base, result: 'mismatch', detail: 'DANE-EE: does not match the server\'s certificate.' };
  }
  const anchor = presented.slice(1).find((c) => associationData(c, record.selector, record.matchingType) === base.data);
  if (!anchor) return { ...base, result: 'mismatch', detail: 'DANE-TA: no CA certificate the server sent matches.' };
  const chain = buildChain(presented, createTrustStore([anchor.toString()], { includePublic: false }));
  if (chain.status !== 'trusted') return { ...base, result: 'mismatch', detail: 'DANE-TA: matches a certificate the server sent, but the server\'s certificate does not chain to it.' };
  if (!certificateMatchesHost(leaf, host)) return { ...base, result: 'mismatch', detail: `DANE-TA: the trust anchor matches, but the certificate does not name ${host}.` };
  return { ...base, result: 'match', detail: 'DANE-TA: the server\'s certificate chains to the pinned CA and names the host.' };
}

export function assessDane(input: {
  readonly records: readonly TlsaRecord[];
  readonly authenticated: boolean;
  /** validated / proven insecure / unknown (the resolver does not validate); default: from `authenticated`, never "insecure" on a guess. */
  readonly dnssec?: DnssecStatus;
  readonly presented: readonly X509Certificate[];
  readonly host: string;
  readonly subject: string;
}): { results: DaneResult[]; findings: Finding[] } {
  const { records, authenticated, presented, host, subject } = input;
  const dnssec: DnssecStatus = authenticated ? 'validated' : input.dnssec ?? 'unknown';
  if (records.length === 0) return { results: [], findings: [] };
  const results = records.map((r) => matchTlsa(r, presented, host));
  const usable = results.filter((r) => r.result === 'match' || r.result === 'mismatch');
  const evidence = results.map((r) => `${r.usage} ${r.selector} ${r.matchingType} ${r.data.slice(0, 64)}${r.data.length > 64 ? '…' : ''}: ${r.result}`);
  const findings: Finding[] = [];
  // Whether DNSSEC vouched for the records is the DNS side's finding (checks/host judgeDane):
  // here it only qualifies the match, since senders ignore unauthenticated TLSA records.
  // Only records proven insecure are ignored by senders; when the resolver does not validate, the records may
  // well be signed, so a mismatch keeps its severity (issue 8: no downgrade on a guess).
  const note = dnssec === 'validated' ? ''
    : dnssec === 'insecure' ? ' (the TLSA records are not DNSSEC-signed, so senders would ignore them)'
      : ' (whether the TLSA records are DNSSEC-signed is not known: the resolver used does not validate; if they are, DANE senders refuse this server)';
  if (usable.some((r) => r.result === 'match')) {
    findings.push(finding(F.DANE_TLSA_MATCH, subject, `A TLSA record matches the presented certificate${note}.`, evidence, dnssec === 'validated' ? {} : { severity: 'info' }));
  } else if (usable.length > 0) {
    findings.push(finding(F.DANE_TLSA_MISMATCH, subject, `No TLSA record matches the presented certificate${note}.`, evidence, dnssec === 'insecure' ? { severity: 'warn' } : {}));
  }
  return { results, findings };
}
