import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { certificateNames } from '../../src-main/engine/tls/der';
import { createTrustStore } from '../../src-main/engine/tls/trust-store';
import { createCa, issueCert } from '../support/pki';

/**
 * The trust store indexes Node's public roots by the DER bytes of their
 * subject and parses a root only when a chain reaches it: the answers must be
 * those of parsing every root up front.
 */
describe('the trust store', () => {
  it('reads issuer and subject names from DER as X509Certificate sees them', () => {
    const ca = createCa({ commonName: 'Names Root' });
    const leaf = new X509Certificate(issueCert(ca, { commonName: 'mx.names.test' }).certPem);
    const root = new X509Certificate(ca.certPem);
    expect(certificateNames(leaf.raw).issuer).toEqual(certificateNames(root.raw).subject);
    expect(certificateNames(leaf.raw).subject).not.toEqual(certificateNames(leaf.raw).issuer);
  });

  it('finds every public root by fingerprint and as its own issuer, as public anchors', () => {
    const store = createTrustStore();
    for (const pem of rootCertificates.slice(0, 25)) {
      const root = new X509Certificate(pem);
      expect(store.isAnchor(root)?.source).toBe('public');
      expect(store.anchorsIssuing(root).some((a) => a.certificate.fingerprint256 === root.fingerprint256 && a.source === 'public')).toBe(true);
    }
  });

  it('keeps --ca-file anchors apart from public ones, and public roots out when includePublic is false', () => {
    const ca = createCa({ commonName: 'Extra Root' });
    const leaf = new X509Certificate(issueCert(ca, { commonName: 'mx.extra.test' }).certPem);
    const store = createTrustStore([ca.certPem]);
    expect(store.anchorsIssuing(leaf).map((a) => [a.certificate.subject, a.source])).toEqual([[new X509Certificate(ca.certPem).subject, 'extra']]);
    const publicRoot = new X509Certificate(rootCertificates[0]!);
    expect(createTrustStore([], { includePublic: false }).isAnchor(publicRoot)).toBeUndefined();
    expect(createTrustStore([], { includePublic: false }).anchorsIssuing(publicRoot)).toEqual([]);
  });
});
