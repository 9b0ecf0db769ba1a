import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allFindingSpecs, findingsDocText } from '../../scripts/gen-findings-doc';

/** The codes the issues name as the product's stable vocabulary. */
const REQUIRED = [
  'DNS_TIMEOUT', 'DNS_SERVFAIL', 'DOMAIN_NOT_FOUND', 'MX_MISSING', 'MX_NULL', 'MX_TARGET_NO_ADDRESS', 'MX_TARGET_CNAME',
  'MX_TARGET_IP_LITERAL', 'MX_OFFICE365', 'MX_OFFICE365_LEGACY', 'MX_MIXED', 'SPF_MISSING', 'SPF_MULTIPLE_RECORDS',
  'SPF_TOO_MANY_LOOKUPS', 'SPF_VOID_LOOKUPS', 'SPF_PASS_ALL', 'SPF_NO_OFFICE365_INCLUDE', 'DMARC_MISSING', 'DMARC_MALFORMED',
  'DMARC_POLICY_NONE', 'DKIM_OFFICE365_MISSING', 'MTA_STS_POLICY_UNREACHABLE', 'MTA_STS_INVALID', 'MTA_STS_MX_NOT_COVERED',
  'TLSRPT_MISSING', 'SMTP_CONNECT_REFUSED', 'SMTP_CONNECT_TIMEOUT', 'PORT25_BLOCKED', 'SMTP_BANNER_TIMEOUT',
  'SMTP_REPLY_TOO_LONG', 'SMTP_PROTOCOL_ERROR', 'SMTP_SERVICE_UNAVAILABLE', 'STARTTLS_NOT_OFFERED', 'STARTTLS_REJECTED',
  'TLS_REQUIRED', 'TLS_HANDSHAKE_FAILED', 'TLS_HANDSHAKE_TIMEOUT', 'TLS_VERSION_OLD', 'TLS_CERT_SELF_SIGNED',
  'TLS_CERT_UNTRUSTED', 'TLS_CHAIN_INCOMPLETE', 'TLS_CERT_EXPIRED', 'TLS_CERT_NOT_YET_VALID', 'TLS_CERT_HOSTNAME_MISMATCH',
  'TLS_CERT_WEAK_KEY', 'TLS_CERT_EXPIRING_SOON', 'DANE_TLSA_MATCH', 'DANE_TLSA_MISMATCH', 'SMTP_HOSTNAME_DIFFERS',
];

describe('finding catalogue', () => {
  const specs = allFindingSpecs();

  it('has every code the product promises, each once, each with an explanation and a fix', () => {
    const codes = specs.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of REQUIRED) expect(codes).toContain(code);
    for (const spec of specs) {
      expect(spec.explanation.length, spec.code).toBeGreaterThan(20);
      expect(spec.fix.length, spec.code).toBeGreaterThan(5);
    }
  });

  it('docs/findings.md is current (regenerate with npx tsx scripts/gen-findings-doc.ts)', () => {
    expect(readFileSync(new URL('../../docs/findings.md', import.meta.url), 'utf8')).toBe(findingsDocText());
  });
});
