import { createHash, type X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../contract/probe';
import { visibleText } from '../../contract/text';
import { signatureAlgorithmOf } from './der';
import { parseSubjectAltName } from './hostname';

const DAY_MS = 86_400_000;

/** "CN=a\nO=b" (Node's form) as "CN=a, O=b" for one-line display; control and bidi characters made visible. */
export function oneLineName(name: string): string {
  return visibleText(name.split('\n').filter(Boolean).join(', '));
}

export function daysLeft(certificate: X509Certificate, nowMs: number): number {
  return Math.floor((Date.parse(certificate.validTo) - nowMs) / DAY_MS);
}

export function keyFacts(certificate: X509Certificate): { keyType: string; keyBits?: number; curve?: string } {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { keyType: 'RSA', ...(details.modulusLength ? { keyBits: details.modulusLength } : {}) };
    case 'ec': {
      const curve = details.namedCurve;
      const bits = curve ? Number(/(\d{3})/.exec(curve)?.[1]) : NaN;
      return { keyType: 'ECDSA', ...(Number.isFinite(bits) ? { keyBits: bits } : {}), ...(curve ? { curve } : {}) };
    }
    case 'ed25519':
      return { keyType: 'Ed25519', keyBits: 256 };
    case 'ed448':
      return { keyType: 'Ed448', keyBits: 456 };
    default:
      return { keyType: key.asymmetricKeyType ?? 'unknown' };
  }
}

export function spkiDer(certificate: X509Certificate): Buffer {
  return certificate.publicKey.export({ type: 'spki', format: 'der' });
}

export function isSelfIssued(certificate: X509Certificate): boolean {
  // checkIssued() also demands CA key usage, which a self-signed leaf lacks: compare names, then the signature.
  if (certificate.subject !== certificate.issuer) return false;
  try {
    return certificate.verify(certificate.publicKey);
  } catch {
    return false;
  }
}

export function describeCertificate(certificate: X509Certificate, nowMs: number): CertificateInfo {
  return {
    subject: oneLineName(certificate.subject),
    subjectAltNames: parseSubjectAltName(certificate.subjectAltName).map(visibleText),
    issuer: oneLineName(certificate.issuer),
    serialNumber: certificate.serialNumber,
    validFrom: new Date(Date.parse(certificate.validFrom)).toISOString(),
    validTo: new Date(Date.parse(certificate.validTo)).toISOString(),
    daysLeft: daysLeft(certificate, nowMs),
    ...keyFacts(certificate),
    signatureAlgorithm: signatureAlgorithmOf(certificate.raw),
    fingerprintSha256: certificate.fingerprint256,
    spkiSha256: createHash('sha256').update(spkiDer(certificate)).digest('hex'),
    selfIssued: isSelfIssued(certificate),
    isCa: certificate.ca,
  };
}
