import { normalizeName, wildcardMatches } from '../tls/hostname';

/**
 * Name matching as Exchange Online applies TlsDomain (outbound,
 * DomainValidation) and TlsSenderCertificateName (inbound).
 *
 * [inference from the cmdlet docs: "wildcards are supported to specify all
 * subdomains"] A setting `*.contoso.com` accepts a certificate name equal to
 * `*.contoso.com` or any name below contoso.com; a plain setting
 * `mail.contoso.com` accepts that exact name or a certificate wildcard
 * `*.contoso.com` covering it (RFC 6125, one label).
 */
export function settingMatchesCertificateName(setting: string, certificateName: string): boolean {
  const s = normalizeName(setting);
  const c = normalizeName(certificateName);
  if (!s || !c) return false;
  if (s === c) return true;
  if (s.startsWith('*.')) {
    // "All subdomains of parent": any name below it, or a certificate wildcard for a subdomain of it.
    const parent = s.slice(2);
    const base = c.startsWith('*.') ? c.slice(2) : c;
    return c.startsWith('*.') ? base.endsWith(`.${parent}`) : c.endsWith(`.${parent}`);
  }
  return wildcardMatches(c, s);
}

/** An accepted domain covers a name when the name is that domain or below it (`*.domain` covers it too). */
export function coveredByAcceptedDomain(name: string, acceptedDomains: readonly string[]): string | undefined {
  const n = normalizeName(name).replace(/^\*\./, '');
  return acceptedDomains.find((d) => {
    const domain = normalizeName(d).replace(/^\*\./, '');
    return n === domain || n.endsWith(`.${domain}`);
  });
}
