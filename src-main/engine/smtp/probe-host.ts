import { isIP } from 'node:net';
import type { DnsAnswer, DnsRecordOf, DnssecStatus } from '../../contract/dns';
import type { Finding } from '../../contract/findings';
import type { ProbeReport } from '../../contract/probe';
import type { AddressProbeOptions, EngineContext } from '../context';
import { addressesOf } from '../dns/answers';
import { dnssecStatus, resolverValidation } from '../dns/dnssec';
import type { Resolver } from '../dns/resolver';
import { finding } from '../findings';
import type { TlsaRecord } from '../tls/dane';
import { SMTP_FINDINGS as F } from './findings';

/**
 * Resolve-then-probe, the one way the CLI's `probe`, the app's probe and the
 * check's MX probes reach a host: its addresses (looked up here unless the
 * caller already has them) and its TLSA records side by side, then every
 * address probed, at most `bounds.maxAddressesPerHost` of them, each under
 * the context's limiter.
 */
export interface HostProbeRequest extends Omit<AddressProbeOptions, 'host' | 'address' | 'tlsa' | 'tlsaAuthenticated' | 'tlsaLookup'> {
  /** A host name (trailing dot allowed) or an IP address. */
  readonly host: string;
  /** Addresses already known (the check looked them up); otherwise A and AAAA are asked here. */
  readonly addresses?: readonly string[];
  /** The TLSA answer of `_<port>._tcp.<host>` when the caller already asked for it. */
  readonly tlsa?: Promise<DnsAnswer>;
  /** Look up TLSA records for DANE (default: yes, for a host name). */
  readonly dane?: boolean;
  /**
   * Also find out whether each address refuses mail before STARTTLS, on a
   * second connection (MAIL FROM / RCPT TO over plain text, then QUIT; never
   * DATA), so the main probe's conversation stays as a sender's. The app does
   * this by default; the CLI's --mandatory-tls does it on the one connection.
   */
  readonly checkRequiredTls?: boolean;
}

export interface HostProbeResult {
  readonly host: string;
  readonly port: number;
  /** Every address DNS gave (or the caller passed), in order. */
  readonly addresses: readonly string[];
  /** One report per probed address, in the order probed. */
  readonly probes: ProbeReport[];
  /** Set when the host has no address to connect to: what DNS said, in words. */
  readonly addressError?: string;
  /** About the host as a whole (e.g. SMTP_ADDRESSES_CAPPED). */
  readonly findings: Finding[];
}

export async function probeHost(context: EngineContext, request: HostProbeRequest): Promise<HostProbeResult> {
  const { addresses: given, tlsa: givenTlsa, dane, checkRequiredTls, ...probeOptions } = request;
  const bare = request.host.replace(/^\[|\]$/g, '');
  const literal = isIP(bare) !== 0;
  const host = literal ? bare : bare.replace(/\.$/, '').toLowerCase();
  const port = request.port;
  const queryOptions = request.signal ? { signal: request.signal } : undefined;
  // The TLSA lookup needs only the name: it starts with the address lookups, not after them.
  const tlsaAnswer = givenTlsa ?? (!literal && dane !== false ? context.resolver.query(`_${port}._tcp.${host}`, 'TLSA', queryOptions) : undefined);
  let addresses: readonly string[];
  if (literal) addresses = [bare];
  else if (given) addresses = given;
  else {
    const step = `dns:A ${host}`;
    request.onProgress?.({ step, status: 'started' });
    const [a, aaaa] = await Promise.all([context.resolver.query(host, 'A', queryOptions), context.resolver.query(host, 'AAAA', queryOptions)]);
    addresses = addressesOf(a, aaaa);
    request.onProgress?.({ step, status: addresses.length > 0 ? 'done' : 'failed', ...(addresses.length > 0 ? { detail: addresses.join(', ') } : {}) });
    if (addresses.length === 0) {
      return { host, port, addresses: [], probes: [], findings: [], addressError: `${host} has no address to connect to (A: ${answerWords(a)}; AAAA: ${answerWords(aaaa)})` };
    }
  }
  const { chosen, findings } = boundAddresses(host, addresses, context.bounds.maxAddressesPerHost);
  const tlsaLookup = tlsaAnswer?.then((answer) => tlsaOf(answer, context.resolver));
  const secondConnection = checkRequiredTls === true && request.mode !== 'implicit-tls' && request.mandatoryTls !== true;
  const probes = await Promise.all(chosen.map(async (address) => {
    const [report, plain] = await Promise.all([
      context.probe({ ...probeOptions, host, address, port, ...(tlsaLookup ? { tlsaLookup } : {}) }),
      secondConnection ? context.probe({ ...probeOptions, host, address, port, mandatoryTls: true, plaintextOnly: true }) : undefined,
    ]);
    return plain ? withRequiredTls(report, plain) : report;
  }));
  return { host, port, addresses, probes, findings };
}

/**
 * The addresses of one host that are worth probing, at most `max`: IPv4 and
 * IPv6 taken in turn (so a long A list does not hide every AAAA), in DNS
 * order within each family. A finding says when some were left out.
 */
export function boundAddresses(host: string, addresses: readonly string[], max: number): { chosen: string[]; findings: Finding[] } {
  const unique = [...new Set(addresses)];
  if (unique.length <= max) return { chosen: unique, findings: [] };
  const v4 = unique.filter((a) => isIP(a) === 4);
  const v6 = unique.filter((a) => isIP(a) !== 4);
  const chosen: string[] = [];
  for (let i = 0; chosen.length < max && (i < v4.length || i < v6.length); i++) {
    if (i < v4.length) chosen.push(v4[i]!);
    if (chosen.length < max && i < v6.length) chosen.push(v6[i]!);
  }
  const left = unique.length - chosen.length;
  return {
    chosen,
    findings: [finding(F.SMTP_ADDRESSES_CAPPED, host,
      `${host} has ${unique.length} addresses; only ${chosen.length} were probed (${chosen.join(', ')}), ${left} left out.`,
      [`probed: ${chosen.join(', ')}`, `not probed: ${unique.filter((a) => !chosen.includes(a)).slice(0, 10).join(', ')}${left > 10 ? ` and ${left - 10} more` : ''}`])],
  };
}

/** The main probe with what the second, plain-text connection learnt: its verdict and its findings about required TLS. */
function withRequiredTls(report: ProbeReport, plain: ProbeReport): ProbeReport {
  const learnt = plain.findings.filter((f) => f.code === 'TLS_REQUIRED' || f.code === 'PLAINTEXT_ACCEPTED');
  const requiredTls = plain.requiredTls ?? { outcome: 'unknown' as const, detail: plain.failure ? `the second connection stopped at ${plain.failure.stage}: ${plain.failure.detail}` : 'the server gave no answer to judge by' };
  return {
    ...report,
    requiredTls,
    findings: [...report.findings, ...learnt.map((f) => ({ ...f, evidence: [...f.evidence, 'seen on a second connection (MAIL FROM / RCPT TO over plain text, then QUIT; never DATA)'] }))],
  };
}

function answerWords(answer: DnsAnswer): string {
  return `${answer.outcome}${answer.error ? `, ${answer.error}` : ''}`;
}

/**
 * The TLSA records and their DNSSEC state: the check's own judgement when it
 * made one; otherwise, for records without AD, whether the resolver validates
 * at all is asked once (issue 8: "unknown" is not "unsigned").
 */
async function tlsaOf(answer: DnsAnswer, resolver: Resolver): Promise<{ records: TlsaRecord[]; authenticated: boolean; dnssec?: DnssecStatus }> {
  const records = answer.outcome === 'answer'
    ? answer.records.filter((r): r is DnsRecordOf<'TLSA'> => r.type === 'TLSA')
    : [];
  if (answer.dnssec || records.length === 0) return { records, authenticated: answer.authenticated, ...(answer.dnssec ? { dnssec: answer.dnssec } : {}) };
  const validation = answer.authenticated ? undefined : await resolverValidation(resolver).catch(() => undefined);
  return { records, authenticated: answer.authenticated, dnssec: dnssecStatus(answer, validation) };
}
