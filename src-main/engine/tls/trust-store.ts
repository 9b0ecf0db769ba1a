import { X509Certificate } from 'node:crypto';
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

/**
 * Node's bundled roots, indexed by the DER bytes of their subject. A root
 * becomes an X509Certificate only when a chain reaches its subject: parsing
 * all ~140 roots up front cost a one-host probe more than the probe itself.
 * The index is built at every start, so it does the least it can: one base64
 * decode and one walk of the DER header per root (no hashing; "is this
 * certificate an anchor?" compares its bytes with the roots of its subject).
 */
interface LazyAnchor {
  readonly der: Buffer;
  anchor?: TrustAnchor | null;
}
let publicIndex: ReadonlyMap<string, LazyAnchor[]> | null = null;

/** A map key for a Name's DER bytes (Buffer's hex encoder: the index is built at every start). */
const nameKey = (name: Uint8Array): string => Buffer.from(name.buffer, name.byteOffset, name.byteLength).toString('hex');

/** The keys of a certificate's issuer and subject, or undefined when its DER cannot be read. */
function nameKeysOf(der: Uint8Array): { readonly issuer: string; readonly subject: string } | undefined {
  try {
    const { issuer, subject } = certificateNames(der);
    return { issuer: nameKey(issuer), subject: nameKey(subject) };
  } catch {
    return undefined;
  }
}

function loadPublicIndex(): ReadonlyMap<string, LazyAnchor[]> {
  if (publicIndex === null) {
    const bySubject = new Map<string, LazyAnchor[]>();
    for (const pem of rootCertificates) {
      try {
        // The base64 body between the BEGIN and END lines; the decoder skips the line breaks.
        const der = Buffer.from(pem.slice(pem.indexOf('\n'), pem.indexOf('-----END')), 'base64');
        const subject = nameKey(certificateNames(der).subject);
        const entries = bySubject.get(subject);
        if (entries) entries.push({ der });
        else bySubject.set(subject, [{ der }]);
      } catch {
        // A root this reader cannot index: skip it, as a root OpenSSL cannot parse is skipped below.
      }
    }
    publicIndex = bySubject;
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
    const subject = nameKey(certificateNames(anchor.certificate.raw).subject);
    extraBySubject.set(subject, [...(extraBySubject.get(subject) ?? []), anchor]);
    extraByFingerprint.set(anchor.certificate.fingerprint256, anchor);
  }
  return {
    // Public anchors first, as before: a public root given again with --ca-file stays public.
    anchorsIssuing: (certificate) => {
      const key = nameKeysOf(certificate.raw)?.issuer;
      if (key === undefined) return [];
      const publicMatches = (publicAnchors?.get(key) ?? []).map(materialise).filter((a): a is TrustAnchor => a !== null);
      return [...publicMatches, ...(extraBySubject.get(key) ?? [])];
    },
    anchorsNamedAsIssuer: (certificate) => {
      const everyPublic = [...(publicAnchors?.values() ?? [])].flat().map(materialise).filter((a): a is TrustAnchor => a !== null);
      return [...everyPublic, ...extra].filter((a) => a.certificate.subject === certificate.issuer);
    },
    isAnchor: (certificate) => {
      const key = nameKeysOf(certificate.raw)?.subject;
      const raw = certificate.raw;
      const entry = key === undefined ? undefined : publicAnchors?.get(key)?.find((candidate) => candidate.der.equals(raw));
      return (entry ? materialise(entry) : null) ?? extraByFingerprint.get(certificate.fingerprint256);
    },
  };
}
