import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';

/**
 * Host name checks as RFC 6125 has them: DNS names from the subjectAltName
 * (the CN only when there is no DNS name at all); `*` stands for exactly one
 * whole left-most label and never matches the parent domain itself.
 */

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function wildcardMatches(pattern: string, host: string): boolean {
  const p = normalizeName(pattern);
  const h = normalizeName(host);
  if (!p || !h) return false;
  if (!p.includes('*')) return p === h;
  if (!p.startsWith('*.') || p.indexOf('*', 1) !== -1) return false;
  const suffix = p.slice(1); // ".contoso.com"
  if (suffix.split('.').length < 3) return false; // no "*.com"
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

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

/** The DNS names a certificate is valid for, per RFC 6125 (CN only as fallback). */
export function certificateDnsNames(certificate: X509Certificate): string[] {
  const dns = parseSubjectAltName(certificate.subjectAltName).filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4));
  return dns.length > 0 ? dns : commonNames(certificate.subject);
}

/** All names (SAN DNS names and CNs), as Exchange Online compares TlsDomain / TlsSenderCertificateName. */
export function certificateAllNames(certificate: X509Certificate): string[] {
  const dns = parseSubjectAltName(certificate.subjectAltName).filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4));
  return [...new Set([...dns, ...commonNames(certificate.subject)])];
}

export function certificateMatchesHost(certificate: X509Certificate, host: string): boolean {
  const target = normalizeName(host.replace(/^\[|\]$/g, ''));
  if (isIP(target)) {
    return parseSubjectAltName(certificate.subjectAltName).some((e) => e.startsWith('IP:') && sameIp(e.slice(3), target));
  }
  return certificateDnsNames(certificate).some((name) => wildcardMatches(name, target));
}

function sameIp(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || expandIpv6(a) === expandIpv6(b);
}

function expandIpv6(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = ip.includes('::') ? 8 - h.length - t.length : 0;
  return [...h, ...Array<string>(missing).fill('0'), ...t].map((g) => g.padStart(4, '0')).join(':');
}
