/**
 * Just enough DER to read a certificate's signature algorithm, which Node 20's
 * X509Certificate does not expose. Bounded by the input; throws on malformed
 * data (callers catch and report "unknown").
 */

interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

function readTlv(der: Uint8Array, offset: number): Tlv {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new Error('truncated DER');
  let position = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[position++];
      if (lengthByte === undefined) throw new Error('truncated DER');
      length = length * 256 + lengthByte;
    }
  }
  if (position + length > der.length) throw new Error('truncated DER');
  return { tag, start: position, end: position + length };
}

function decodeOid(bytes: Uint8Array): string {
  const first = bytes[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature } */
export function signatureAlgorithmOf(der: Uint8Array): string {
  try {
    const certificate = readTlv(der, 0);
    const tbs = readTlv(der, certificate.start);
    const algorithm = readTlv(der, tbs.end);
    const oid = readTlv(der, algorithm.start);
    if (oid.tag !== 0x06) return 'unknown';
    const dotted = decodeOid(der.subarray(oid.start, oid.end));
    return SIGNATURE_ALGORITHMS[dotted] ?? dotted;
  } catch {
    return 'unknown';
  }
}

export function isSha1Signature(algorithm: string): boolean {
  return /sha1|md5/i.test(algorithm);
}

/**
 * The issuer and subject Names of a certificate as their DER bytes (views into `der`),
 * read from the TBSCertificate without a full parse: the trust store matches
 * a certificate's issuer to an anchor's subject by them, and parses only the
 * anchors that match.
 */
export function certificateNames(der: Uint8Array): { readonly issuer: Uint8Array; readonly subject: Uint8Array } {
  const certificate = readTlv(der, 0);
  const tbs = readTlv(der, certificate.start);
  let at = tbs.start;
  if (der[at] === 0xa0) at = readTlv(der, at).end; // [0] version
  at = readTlv(der, at).end; // serialNumber
  at = readTlv(der, at).end; // signature algorithm
  const issuerStart = at;
  const issuer = readTlv(der, issuerStart);
  const validity = readTlv(der, issuer.end);
  const subjectStart = validity.end;
  const subject = readTlv(der, subjectStart);
  return { issuer: der.subarray(issuerStart, issuer.end), subject: der.subarray(subjectStart, subject.end) };
}

/** One X.509 v3 extension: its OID, whether it is critical, and the DER of its value (inside the OCTET STRING). */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** The children of a constructed TLV (SEQUENCE, [3] ...), in order. */
function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let offset = parent.start;
  while (offset < parent.end && out.length < 1000) {
    const child = readTlv(der, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** The certificate's extensions (TBSCertificate [3]); empty for a v1 certificate or malformed DER. */
export function certificateExtensions(der: Uint8Array): CertificateExtension[] {
  try {
    const certificate = readTlv(der, 0);
    const tbs = readTlv(der, certificate.start);
    const wrapper = childrenOf(der, tbs).find((t) => t.tag === 0xa3);
    if (!wrapper) return [];
    const list = readTlv(der, wrapper.start);
    return childrenOf(der, list).map((extension) => {
      const [oid, second, third] = childrenOf(der, extension);
      if (!oid || oid.tag !== 0x06) throw new Error('extension without OID');
      const critical = second?.tag === 0x01 && der[second.start] !== 0;
      const octets = second?.tag === 0x04 ? second : third;
      if (!octets || octets.tag !== 0x04) throw new Error('extension without value');
      return { oid: decodeOid(der.subarray(oid.start, oid.end)), critical, value: der.subarray(octets.start, octets.end) };
    });
  } catch {
    return [];
  }
}

export const EXTENSION_OIDS = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  nameConstraints: '2.5.29.30',
} as const;

/** basicConstraints: cA (default false) and pathLenConstraint; null when the extension is absent. */
export function basicConstraintsOf(der: Uint8Array): { readonly ca: boolean; readonly pathLength?: number } | null {
  const extension = certificateExtensions(der).find((e) => e.oid === EXTENSION_OIDS.basicConstraints);
  if (!extension) return null;
  try {
    const sequence = readTlv(extension.value, 0);
    let ca = false;
    let pathLength: number | undefined;
    for (const child of childrenOf(extension.value, sequence)) {
      if (child.tag === 0x01) ca = extension.value[child.start] !== 0;
      if (child.tag === 0x02) {
        pathLength = 0;
        for (let i = child.start; i < child.end; i++) pathLength = pathLength * 256 + (extension.value[i] ?? 0);
      }
    }
    return pathLength === undefined ? { ca } : { ca, pathLength };
  } catch {
    return null;
  }
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

/** The keyUsage bits set, by name; null when the extension is absent (any use allowed). */
export function keyUsageOf(der: Uint8Array): KeyUsageName[] | null {
  const extension = certificateExtensions(der).find((e) => e.oid === EXTENSION_OIDS.keyUsage);
  if (!extension) return null;
  try {
    const bits = readTlv(extension.value, 0);
    if (bits.tag !== 0x03) return [];
    const bytes = extension.value.subarray(bits.start + 1, bits.end);
    return KEY_USAGE_BITS.filter((_, i) => ((bytes[Math.floor(i / 8)] ?? 0) & (0x80 >> (i % 8))) !== 0);
  } catch {
    return [];
  }
}

export function hasExtension(der: Uint8Array, oid: string): boolean {
  return certificateExtensions(der).some((e) => e.oid === oid);
}

/** nameConstraints' dNSName subtrees (RFC 5280 §4.2.1.10); null when the extension is absent. Other name forms are ignored. */
export function dnsNameConstraintsOf(der: Uint8Array): { readonly permitted: string[]; readonly excluded: string[] } | null {
  const extension = certificateExtensions(der).find((e) => e.oid === EXTENSION_OIDS.nameConstraints);
  if (!extension) return null;
  const permitted: string[] = [];
  const excluded: string[] = [];
  try {
    const value = extension.value;
    for (const trees of childrenOf(value, readTlv(value, 0))) {
      const into = trees.tag === 0xa0 ? permitted : trees.tag === 0xa1 ? excluded : null;
      if (!into) continue;
      for (const subtree of childrenOf(value, trees)) {
        const base = childrenOf(value, subtree)[0];
        if (base?.tag === 0x82) into.push(String.fromCharCode(...value.subarray(base.start, base.end)).toLowerCase());
      }
    }
  } catch {
    // A malformed extension: the validator refuses it; nothing to explain with.
  }
  return { permitted, excluded };
}
