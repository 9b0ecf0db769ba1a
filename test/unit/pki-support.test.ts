import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, issueCert, selfSigned } from '../support/pki';

/** The test PKI must make certificates that node:crypto reads and verifies, or every TLS test lies. */
describe('test PKI', () => {
  const root = createCa();
  const intermediate = createCa({ parent: root });

  it('chains an RSA leaf through an intermediate to the root', () => {
    const leaf = issueCert(intermediate, { commonName: 'mx1.contoso.test', altNames: ['mx1.contoso.test', '127.0.0.1'] });
    const leafX = new X509Certificate(leaf.certPem);
    const interX = new X509Certificate(intermediate.certPem);
    const rootX = new X509Certificate(root.certPem);
    expect(leafX.verify(interX.publicKey)).toBe(true);
    expect(interX.verify(rootX.publicKey)).toBe(true);
    expect(leafX.checkIssued(interX)).toBe(true);
    expect(leafX.subjectAltName).toContain('DNS:mx1.contoso.test');
    expect(leafX.checkHost('mx1.contoso.test')).toBe('mx1.contoso.test');
    expect(interX.ca).toBe(true);
    expect(leafX.ca).toBe(false);
  });

  it('makes ECDSA leaves and ECDSA CAs', () => {
    const ecRoot = createCa({ keyType: 'ec', commonName: 'EC Root' });
    const leaf = issueCert(ecRoot, { commonName: 'ec.contoso.test', keyType: 'ec' });
    const leafX = new X509Certificate(leaf.certPem);
    expect(leafX.publicKey.asymmetricKeyType).toBe('ec');
    expect(leafX.verify(new X509Certificate(ecRoot.certPem).publicKey)).toBe(true);
    const ecUnderRsa = issueCert(root, { commonName: 'ec2.contoso.test', keyType: 'ec' });
    expect(new X509Certificate(ecUnderRsa.certPem).verify(new X509Certificate(root.certPem).publicKey)).toBe(true);
  });

  it('honours validity, key size, hash and self-signing', () => {
    const expired = issueCert(root, { commonName: 'old.test', validFrom: new Date('2020-01-01'), validTo: new Date('2021-01-01') });
    expect(new X509Certificate(expired.certPem).validTo).toContain('2021');
    const weak = issueCert(root, { commonName: 'weak.test', rsaBits: 1024, hash: 'sha1' });
    const weakX = new X509Certificate(weak.certPem);
    expect(weakX.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    const own = selfSigned({ commonName: 'self.test' });
    const ownX = new X509Certificate(own.certPem);
    expect(ownX.issuer).toBe(ownX.subject);
    expect(ownX.verify(ownX.publicKey)).toBe(true);
  });
});
