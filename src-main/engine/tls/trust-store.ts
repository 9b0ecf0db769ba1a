import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

/**
 * The trust anchors certificates are checked against: Node's bundled root
 * store (the public CAs, which is also roughly what Exchange Online trusts)
 * plus extra PEM CAs the user gives (--ca-file) for private CAs. The source of
 * each anchor is kept: a private CA satisfies this tool, not Exchange Online.
 */
export interface TrustAnchor {
  readonly certificate: X509Certificate;
  /**
   * 'public': Node's root store; 'extra': a private CA (--ca-file), trusted by
   * this tool only; 'rehearsal': a CA given with --public-ca, which
   * predictions treat as if Exchange Online trusted it (a lab, or before a
   * certificate purchase).
   */
  readonly source: 'public' | 'extra' | 'rehearsal';
}

export interface TrustStore {
  /** Anchors indexed by subject (Node's multi-line form), for issuer lookup. */
  anchorsBySubject(subject: string): readonly TrustAnchor[];
  isAnchor(certificate: X509Certificate): TrustAnchor | undefined;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM bundle; other blocks (keys) are ignored. Throws on a broken certificate block. */
export function parsePemBundle(pem: string): X509Certificate[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

let publicAnchors: TrustAnchor[] | null = null;

function loadPublicAnchors(): TrustAnchor[] {
  if (publicAnchors === null) {
    publicAnchors = [];
    for (const pem of rootCertificates) {
      try {
        publicAnchors.push({ certificate: new X509Certificate(pem), source: 'public' });
      } catch {
        // A root Node ships but this OpenSSL build cannot parse: skip it.
      }
    }
  }
  return publicAnchors;
}

export function createTrustStore(extraPems: readonly string[] = [], options: { includePublic?: boolean; rehearsalPems?: readonly string[] } = {}): TrustStore {
  const anchors: TrustAnchor[] = [
    ...(options.includePublic === false ? [] : loadPublicAnchors()),
    // Later anchors win a fingerprint tie: a CA given both ways counts as the rehearsal one.
    ...extraPems.flatMap((pem) => parsePemBundle(pem)).map((certificate) => ({ certificate, source: 'extra' as const })),
    ...(options.rehearsalPems ?? []).flatMap((pem) => parsePemBundle(pem)).map((certificate) => ({ certificate, source: 'rehearsal' as const })),
  ];
  const bySubject = new Map<string, TrustAnchor[]>();
  const byFingerprint = new Map<string, TrustAnchor>();
  for (const anchor of anchors) {
    const list = bySubject.get(anchor.certificate.subject) ?? [];
    list.push(anchor);
    bySubject.set(anchor.certificate.subject, list);
    byFingerprint.set(anchor.certificate.fingerprint256, anchor);
  }
  return {
    anchorsBySubject: (subject) => bySubject.get(subject) ?? [],
    isAnchor: (certificate) => byFingerprint.get(certificate.fingerprint256),
  };
}
