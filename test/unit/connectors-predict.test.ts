import { describe, expect, it } from 'vitest';
import { predictInbound, predictOutbound, settingMatchesCertificateName, type ConnectorFacts } from '../../src-main/engine/connectors/index';
import type { CertificateVerdict } from '../../src-main/contract/probe';

const trusted: CertificateVerdict = {
  summary: 'trusted', chain: 'trusted', trustAnchor: 'CN=Public Root', trustAnchorSource: 'public', hostnameChecked: 'mail.contoso.com',
  hostnameMatches: true, expired: false, notYetValid: false, weakKey: false, sha1Signature: false, leafDaysLeft: 200,
};
const base: ConnectorFacts = {
  host: 'mail.contoso.com', reached: 'ok', starttlsOffered: true, tlsEstablished: true, tlsVersion: 'TLSv1.3', verdict: trusted,
  leafNames: ['mail.contoso.com', 'contoso.com'],
};
const by = (list: ReturnType<typeof predictOutbound>, setting: string) => list.find((p) => p.setting === setting);

describe('outbound connector predictions', () => {
  it('a good server passes all three TlsSettings', () => {
    const predictions = predictOutbound(base, { tlsDomain: 'mail.contoso.com' });
    expect(predictions.map((p) => `${p.setting}:${p.verdict}`)).toEqual(['EncryptionOnly:pass', 'CertificateValidation:pass', 'DomainValidation:pass']);
  });

  it('DomainValidation: SubjectMismatch names 4.4.317 and the fix', () => {
    const p = by(predictOutbound(base, { tlsDomain: 'smtp.fabrikam.com' }), 'DomainValidation');
    expect(p).toMatchObject({ verdict: 'fail', ndr: '450 4.4.317 (SubjectMismatch)' });
    expect(p?.fix).toContain('Set-OutboundConnector -TlsDomain mail.contoso.com');
  });

  it('TlsDomain wildcards as Exchange Online reads them', () => {
    expect(settingMatchesCertificateName('*.contoso.com', 'mail.contoso.com')).toBe(true);
    expect(settingMatchesCertificateName('*.contoso.com', 'a.b.contoso.com')).toBe(true);
    expect(settingMatchesCertificateName('*.contoso.com', '*.contoso.com')).toBe(true);
    expect(settingMatchesCertificateName('mail.contoso.com', '*.contoso.com')).toBe(true);
    expect(settingMatchesCertificateName('*.contoso.com', 'contoso.org')).toBe(false);
    expect(settingMatchesCertificateName('a.b.contoso.com', '*.contoso.com')).toBe(false);
  });

  it('CertificateValidation fails on a missing intermediate, a private CA or expiry, with 4.7.320', () => {
    const incomplete = by(predictOutbound({ ...base, verdict: { ...trusted, summary: 'missing-intermediate', chain: 'incomplete', missingIssuer: 'CN=Issuing CA' } }), 'CertificateValidation');
    expect(incomplete).toMatchObject({ verdict: 'fail', ndr: '450 4.7.320' });
    expect(incomplete?.reason).toMatch(/missing intermediate \(CN=Issuing CA\)/);
    const privateCa = by(predictOutbound({ ...base, verdict: { ...trusted, trustAnchorSource: 'extra' } }), 'CertificateValidation');
    expect(privateCa?.reason).toMatch(/trusted by your CA file only/);
    const expired = predictOutbound({ ...base, verdict: { ...trusted, summary: 'expired', expired: true } }, { tlsDomain: 'mail.contoso.com' });
    expect(by(expired, 'CertificateValidation')?.reason).toMatch(/Expired/);
    expect(by(expired, 'DomainValidation')?.verdict).toBe('fail');
    expect(by(expired, 'EncryptionOnly')?.verdict).toBe('pass');
  });

  it('no STARTTLS or TLS 1.0: every setting fails with 4.4.317', () => {
    for (const facts of [{ ...base, starttlsOffered: false, tlsEstablished: false, tlsVersion: null }, { ...base, tlsVersion: 'TLSv1' }]) {
      for (const p of predictOutbound(facts)) expect(p).toMatchObject({ verdict: 'fail', ndr: '450 4.4.317' });
    }
  });

  it('DANE: SmtpDaneMode only when TLSA records exist; unauthenticated is unknown', () => {
    expect(predictOutbound(base).some((p) => p.setting === 'SmtpDaneMode')).toBe(false);
    const mismatch = { usage: 3, selector: 1, matchingType: 1, data: '00', result: 'mismatch' as const, detail: '' };
    expect(by(predictOutbound({ ...base, dane: { authenticated: true, results: [mismatch] } }), 'SmtpDaneMode')).toMatchObject({ verdict: 'fail', ndr: '4.7.323 (tlsa-invalid)' });
    expect(by(predictOutbound({ ...base, dane: { authenticated: false, results: [mismatch] } }), 'SmtpDaneMode')?.verdict).toBe('unknown');
  });
});

describe('inbound connector predictions (TlsSenderCertificateName)', () => {
  it('passes when the name is on the certificate and within an accepted domain', () => {
    expect(predictInbound(base, { tlsSenderCertificateName: '*.contoso.com', acceptedDomains: ['contoso.com'] })[0]?.verdict).toBe('pass');
  });

  it('fails with ATTR36 / 5.7.51 when the certificate does not carry the name', () => {
    const p = predictInbound(base, { tlsSenderCertificateName: 'smtp.fabrikam.com' })[0];
    expect(p?.verdict).toBe('fail');
    expect(p?.ndr).toMatch(/550 5\.7\.64 .*ATTR36.*5\.7\.51/);
  });

  it('fails when the name is not an accepted domain', () => {
    const p = predictInbound({ ...base, leafNames: ['mail.contoso.net'] }, { tlsSenderCertificateName: 'mail.contoso.net', acceptedDomains: ['contoso.com'] })[0];
    expect(p).toMatchObject({ verdict: 'fail' });
    expect(p?.reason).toMatch(/not one of the accepted domains/);
  });

  it('says nothing without a TlsSenderCertificateName', () => {
    expect(predictInbound(base, {})).toEqual([]);
  });
});

describe('every reason, in Exchange Online\'s order (issue 8)', () => {
  it('TLS version, chain, expiry, key, signature, then the name: each with its own fix', () => {
    const broken: CertificateVerdict = { ...trusted, summary: 'expired', chain: 'self-signed', expired: true, weakKey: true, weakKeyBits: 1024, sha1Signature: true, leafDaysLeft: -3 };
    const predictions = predictOutbound({ ...base, tlsVersion: 'TLSv1.1', verdict: broken }, { tlsDomain: 'smtp.fabrikam.com' });
    expect(by(predictions, 'EncryptionOnly')?.reasons.map((r) => r.kind)).toEqual(['tls-version']);
    expect(by(predictions, 'CertificateValidation')?.reasons.map((r) => r.kind)).toEqual(['tls-version', 'chain', 'expiry', 'key', 'signature']);
    const domain = by(predictions, 'DomainValidation');
    expect(domain?.reasons.map((r) => r.code ?? r.kind)).toEqual(['tls-version', 'UntrustedRoot', 'Expired', 'WeakKey', 'WeakSignature', 'SubjectMismatch']);
    expect(domain?.ndr).toBe('450 4.4.317');
    expect(domain?.reason).toContain('expired 3 days ago');
    expect(domain?.reason).toContain('1024-bit RSA key');
    expect(new Set(domain?.reasons.map((r) => r.fix)).size).toBe(6);
  });

  it('a good chain with the wrong TlsDomain fails DomainValidation on the name alone (SubjectMismatch)', () => {
    const domain = by(predictOutbound(base, { tlsDomain: 'smtp.fabrikam.com' }), 'DomainValidation');
    expect(domain?.reasons.map((r) => r.kind)).toEqual(['name']);
    expect(domain?.ndr).toBe('450 4.4.317 (SubjectMismatch)');
  });

  it('inbound: an untrusted chain and a wrong name are both reported', () => {
    const [inbound] = predictInbound({ ...base, verdict: { ...trusted, chain: 'incomplete', summary: 'missing-intermediate', missingIssuer: 'CN=Issuing CA' } }, { tlsSenderCertificateName: 'relay.fabrikam.com' });
    expect(inbound?.reasons.map((r) => r.kind)).toEqual(['chain', 'name']);
    expect(inbound?.reasons[0]?.fix).toMatch(/intermediate/);
  });
});
