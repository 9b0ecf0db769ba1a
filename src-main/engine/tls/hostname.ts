import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { normalizeName, sameAddress, wildcardMatches } from '../dns/names';

/**
 * Host name checks as RFC 6125 has them: DNS names from the subjectAltName
 * (the CN only when there is no DNS name at all); `*` stands for exactly one
 * whole left-most label and never matches the parent domain itself.
 */

export { normalizeName, wildcardMatches };

/** Splits Node's `subjectAltName` text ("DNS:a, DNS:b, IP Address:1.2.3.4") into `DNS:`/`IP:` entries. */
export function parseSubjectAltName(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/,\s*(?=(?:DNS|IP Address|email|URI|DirName|othername|Registered ID):)/)
    .map((entry) => entry.trim().replace(/^IP Address:/, 'IP:').replace(/^DNS:"(.*)"$/, 'DNS:$1'))
    .filter((entry) => entry.length > 0);
}

/** The CN values of a subject in Node's multi-line form. */
export function commonNames(subject: string): string[] {
  return subject.split('\n').filter((line) => line.startsWith('CN=')).map((line) => line.slice(3));
}

/** The subjectAltName DNS names alone. */
function sanDnsNames(certificate: X509Certificate): string[] {
  return parseSubjectAltName(certificate.subjectAltName).filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4));
}

/** The DNS names a certificate is valid for, per RFC 6125 (CN only as fallback). */
export function certificateDnsNames(certificate: X509Certificate): string[] {
  const dns = sanDnsNames(certificate);
  return dns.length > 0 ? dns : commonNames(certificate.subject);
}

/** All names (SAN DNS names and CNs), as Exchange Online compares TlsDomain / TlsSenderCertificateName. */
export function certificateAllNames(certificate: X509Certificate): string[] {
  return [...new Set([...sanDnsNames(certificate), ...commonNames(certificate.subject)])];
}

export function certificateMatchesHost(certificate: X509Certificate, host: string): boolean {
  const target = normalizeName(host.replace(/^\[|\]$/g, ''));
  if (isIP(target)) {
    return parseSubjectAltName(certificate.subjectAltName).some((e) => e.startsWith('IP:') && sameAddress(e.slice(3), target));
  }
  return certificateDnsNames(certificate).some((name) => wildcardMatches(name, target));
}
