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
 * The issuer and subject Names of a certificate as their DER bytes (hex),
 * read from the TBSCertificate without a full parse: the trust store matches
 * a certificate's issuer to an anchor's subject by them, and parses only the
 * anchors that match.
 */
export function certificateNames(der: Uint8Array): { readonly issuer: string; readonly subject: string } {
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
  const hex = (from: number, to: number): string => Array.from(der.subarray(from, to), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return { issuer: hex(issuerStart, issuer.end), subject: hex(subjectStart, subject.end) };
}
