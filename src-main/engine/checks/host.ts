import { isIPv6 } from 'node:net';
import type { DnsAnswer, DnsRecord } from '../../contract/dns';
import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { addressesOf } from '../dns/answers';
import { expandIpv6, sameAddress } from '../dns/names';
import { dnssecStatus, validationWords, type ResolverValidation } from '../dns/dnssec';
import { F } from './catalogue';
import { describeAnswer, isFailure, type CheckContext } from './context';

/** The reverse-DNS name of an address: 4.3.2.1.in-addr.arpa or the ip6.arpa nibbles. */
export function reverseName(address: string): string {
  if (!isIPv6(address)) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  return `${[...expandIpv6(address).join('')].reverse().join('.')}.ip6.arpa`;
}

/** PTR of the address, then the PTR name's addresses: does it point back? */
export async function checkReverse(ctx: CheckContext, host: string, address: string): Promise<Finding[]> {
  const name = reverseName(address);
  const ptr = await ctx.query(name, 'PTR');
  if (isFailure(ptr)) return [];
  const targets = ptr.records.flatMap((r) => (r.type === 'PTR' ? [r.target] : []));
  const subject = `${host} (${address})`;
  if (targets.length === 0) return [finding(F.RDNS_MISSING, subject, `${address} (${host}) has no PTR record.`, describeAnswer(ptr))];
  const forward = await Promise.all(targets.map((t) => ctx.query(t, isIPv6(address) ? 'AAAA' : 'A')));
  const evidence = [...describeAnswer(ptr), ...forward.flatMap(describeAnswer)];
  const confirmed = addressesOf(...forward).some((a) => sameAddress(a, address));
  if (confirmed) return [finding(F.RDNS_OK, subject, `${address} -> ${targets.join(', ')} -> ${address}.`, evidence)];
  if (forward.some(isFailure)) return [];
  return [finding(F.RDNS_MISMATCH, subject, `${address} has PTR ${targets.join(', ')}, which does not resolve back to ${address}.`, evidence)];
}

export function tlsaRecords(answer: DnsAnswer): DnsRecord[] {
  return answer.records.filter((r) => r.type === 'TLSA');
}

const USAGE = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'];
const SELECTOR = ['full certificate', 'public key'];
const MATCHING = ['exact', 'SHA-256', 'SHA-512'];

export function describeTlsa(r: DnsRecord): string {
  if (r.type !== 'TLSA') return '';
  return `${r.usage} ${r.selector} ${r.matchingType} ${r.data} (${USAGE[r.usage] ?? `usage ${r.usage}`}, ${SELECTOR[r.selector] ?? `selector ${r.selector}`}, ${MATCHING[r.matchingType] ?? `matching ${r.matchingType}`})`;
}

/**
 * DANE, the DNS half: the TLSA records per MX host, and plainly whether DNSSEC
 * vouched for them. This is the only place that reports authentication; the
 * probe (engine/tls/dane) reports only whether the records match the certificate.
 */
export function judgeDane(domain: string, perHost: readonly { host: string; answer: DnsAnswer }[], validation?: ResolverValidation): Finding[] {
  const findings: Finding[] = [];
  for (const { host, answer } of perHost) {
    const records = tlsaRecords(answer);
    if (records.length === 0) continue;
    const lines = records.map((r) => `${answer.name} TLSA ${describeTlsa(r)}`);
    const status = answer.dnssec ?? dnssecStatus(answer, validation);
    if (status === 'validated') {
      findings.push(finding(F.DANE_TLSA, host, `${records.length} TLSA record(s) at ${answer.name}, authenticated by DNSSEC (the resolver set the AD bit).`, lines));
    } else if (status === 'insecure') {
      findings.push(finding(F.DANE_TLSA_UNAUTHENTICATED, host, `${records.length} TLSA record(s) at ${answer.name}, NOT authenticated: the validating resolver proved the zone unsigned (no AD bit), so these records prove nothing.`, [...lines, `resolver: ${validationWords(validation)}`]));
    } else {
      findings.push(finding(F.DANE_DNSSEC_UNKNOWN, host, `${records.length} TLSA record(s) at ${answer.name}; whether DNSSEC signs them is not known: ${validationWords(validation)}.`, [...lines, `${answer.name} TLSA: no AD bit${answer.recursionAvailable === false ? ', no RA bit' : ''} from ${answer.server}`]));
    }
  }
  if (findings.length === 0 && perHost.length > 0 && !perHost.some((p) => isFailure(p.answer))) {
    findings.push(finding(F.DANE_NONE, domain, `No TLSA records for the MX hosts of ${domain}.`, perHost.map((p) => `${p.answer.name} TLSA: ${p.answer.outcome}`)));
  }
  return findings;
}
