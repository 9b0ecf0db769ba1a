import { createHash, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { certificateNames } from './der';

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
  /** Anchors whose subject is `certificate`'s issuer (compared as DER bytes), for the issuer lookup. */
  anchorsIssuing(certificate: X509Certificate): readonly TrustAnchor[];
  /**
   * The slow second look: anchors whose subject reads like `certificate`'s
   * issuer as Node renders names (the same name in another string encoding).
   * Parses every public root, so it is asked only when nothing else issues
   * the certificate.
   */
  anchorsNamedAsIssuer(certificate: X509Certificate): readonly TrustAnchor[];
  isAnchor(certificate: X509Certificate): TrustAnchor | undefined;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM bundle; other blocks (keys) are ignored. Throws on a broken certificate block. */
export function parsePemBundle(pem: string): X509Certificate[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

/** Node's `fingerprint256` form (`AB:CD:…`) of DER bytes. */
const fingerprint256 = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');

/**
 * Node's bundled roots, indexed by subject and fingerprint from their DER
 * bytes. A root becomes an X509Certificate only when a chain reaches its
 * subject: parsing all ~140 roots up front cost a one-host probe more than
 * the probe itself.
 */
interface LazyAnchor {
  readonly der: Buffer;
  readonly fingerprint: string;
  anchor?: TrustAnchor | null;
}
let publicIndex: { readonly bySubject: Map<string, LazyAnchor[]>; readonly byFingerprint: Map<string, LazyAnchor> } | null = null;

function loadPublicIndex(): NonNullable<typeof publicIndex> {
  if (publicIndex === null) {
    const bySubject = new Map<string, LazyAnchor[]>();
    const byFingerprint = new Map<string, LazyAnchor>();
    for (const pem of rootCertificates) {
      try {
        const der = Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');
        const entry: LazyAnchor = { der, fingerprint: fingerprint256(der) };
        const { subject } = certificateNames(der);
        bySubject.set(subject, [...(bySubject.get(subject) ?? []), entry]);
        byFingerprint.set(entry.fingerprint, entry);
      } catch {
        // A root this reader cannot index: skip it, as a root OpenSSL cannot parse is skipped below.
      }
    }
    publicIndex = { bySubject, byFingerprint };
  }
  return publicIndex;
}

function materialise(entry: LazyAnchor): TrustAnchor | null {
  if (entry.anchor === undefined) {
    try {
      entry.anchor = { certificate: new X509Certificate(entry.der), source: 'public' };
    } catch {
      // A root Node ships but this OpenSSL build cannot parse: skip it.
      entry.anchor = null;
    }
  }
  return entry.anchor;
}

export function createTrustStore(extraPems: readonly string[] = [], options: { includePublic?: boolean; rehearsalPems?: readonly string[] } = {}): TrustStore {
  const publicAnchors = options.includePublic === false ? null : loadPublicIndex();
  // Later anchors win a fingerprint tie: a CA given both ways counts as the rehearsal one.
  const extra: TrustAnchor[] = [
    ...extraPems.flatMap((pem) => parsePemBundle(pem)).map((certificate) => ({ certificate, source: 'extra' as const })),
    ...(options.rehearsalPems ?? []).flatMap((pem) => parsePemBundle(pem)).map((certificate) => ({ certificate, source: 'rehearsal' as const })),
  ];
  const extraBySubject = new Map<string, TrustAnchor[]>();
  const extraByFingerprint = new Map<string, TrustAnchor>();
  for (const anchor of extra) {
    const { subject } = certificateNames(anchor.certificate.raw);
    extraBySubject.set(subject, [...(extraBySubject.get(subject) ?? []), anchor]);
    extraByFingerprint.set(anchor.certificate.fingerprint256, anchor);
  }
  const issuerKey = (certificate: X509Certificate): string | undefined => {
    try {
      return certificateNames(certificate.raw).issuer;
    } catch {
      return undefined;
    }
  };
  return {
    // Public anchors first, as before: a public root given again with --ca-file stays public.
    anchorsIssuing: (certificate) => {
      const key = issuerKey(certificate);
      if (key === undefined) return [];
      const publicMatches = (publicAnchors?.bySubject.get(key) ?? []).map(materialise).filter((a): a is TrustAnchor => a !== null);
      return [...publicMatches, ...(extraBySubject.get(key) ?? [])];
    },
    anchorsNamedAsIssuer: (certificate) => {
      const everyPublic = [...(publicAnchors?.byFingerprint.values() ?? [])].map(materialise).filter((a): a is TrustAnchor => a !== null);
      return [...everyPublic, ...extra].filter((a) => a.certificate.subject === certificate.issuer);
    },
    isAnchor: (certificate) => {
      const entry = publicAnchors?.byFingerprint.get(certificate.fingerprint256);
      return (entry ? materialise(entry) : null) ?? extraByFingerprint.get(certificate.fingerprint256);
    },
  };
}
