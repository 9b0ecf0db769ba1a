import { describe, expect, it } from 'vitest';
import { parseSubjectAltName, wildcardMatches } from '../../src-main/engine/tls/hostname';
import { signatureAlgorithmOf } from '../../src-main/engine/tls/der';
import { X509Certificate } from 'node:crypto';
import { createCa, issueCert } from '../support/pki';

describe('RFC 6125 host names', () => {
  it.each([
    ['mx.contoso.com', 'mx.contoso.com', true],
    ['MX.Contoso.COM.', 'mx.contoso.com', true],
    ['*.contoso.com', 'mx.contoso.com', true],
    ['*.contoso.com', 'contoso.com', false],
    ['*.contoso.com', 'a.mx.contoso.com', false],
    ['m*.contoso.com', 'mx.contoso.com', false],
    ['*.com', 'contoso.com', false],
    ['mx.*.com', 'mx.contoso.com', false],
  ])('%s vs %s -> %s', (pattern, host, expected) => {
    expect(wildcardMatches(pattern, host)).toBe(expected);
  });

  it('parses Node subjectAltName text', () => {
    expect(parseSubjectAltName('DNS:a.example, DNS:*.b.example, IP Address:127.0.0.1')).toEqual(['DNS:a.example', 'DNS:*.b.example', 'IP:127.0.0.1']);
    expect(parseSubjectAltName(undefined)).toEqual([]);
  });

  it('reads the signature algorithm from DER, and survives garbage', () => {
    const ca = createCa({ keyType: 'ec' });
    const cert = issueCert(ca, { commonName: 'x.test', hash: 'sha1' });
    expect(signatureAlgorithmOf(new X509Certificate(cert.certPem).raw)).toBe('ecdsa-with-SHA1');
    expect(signatureAlgorithmOf(Buffer.from([0x30, 0x82, 0xff]))).toBe('unknown');
  });
});
