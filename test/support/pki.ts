/**
 * Test certificates, made fresh in each test run: certificate authorities,
 * intermediates, and leaf certificates with RSA or ECDSA keys, any validity
 * window, host names, RSA key size and signature hash.
 *
 * node-forge can only parse RSA keys, so forge is used just to lay out the
 * TBSCertificate (names, validity, extensions); the subject's public key is
 * spliced in from node:crypto as DER, and node:crypto signs. That way one code
 * path makes RSA and ECDSA certificates, signed by RSA or ECDSA issuers.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export type KeyType = 'rsa' | 'ec';
export type SignatureHash = 'sha256' | 'sha1';

export interface TestCert {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface TestCa extends TestCert {
  readonly commonName: string;
  readonly keyType: KeyType;
  /** Issuer then its issuers' certificates, for servers that send a full chain. */
  readonly chainPem: readonly string[];
  /** @internal the CA's private key, for signing. */
  readonly privateKey: KeyObject;
}

export interface CertOptions {
  readonly commonName: string;
  /** DNS names and IP addresses; defaults to the common name. */
  readonly altNames?: readonly string[];
  readonly keyType?: KeyType;
  readonly rsaBits?: number;
  readonly validFrom?: Date;
  readonly validTo?: Date;
  readonly hash?: SignatureHash;
  readonly profile?: ExtensionProfile;
}

const DAY = 24 * 60 * 60 * 1000;
const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha1: '1.2.840.10045.4.1',
} as const;

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly spkiDer: Buffer;
  readonly keyPem: string;
}

function makeKeyPair(keyType: KeyType, rsaBits = 2048): KeyPair {
  const { privateKey, publicKey } =
    keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: rsaBits })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    spkiDer: publicKey.export({ type: 'spki', format: 'der' }),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** forge needs some RSA public key to lay out the TBS; it is replaced before signing. */
let placeholderKey: forge.pki.PublicKey | undefined;
function placeholder(): forge.pki.PublicKey {
  if (!placeholderKey) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    placeholderKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  }
  return placeholderKey;
}

function signatureOid(issuerKeyType: KeyType, hash: SignatureHash): string {
  if (issuerKeyType === 'rsa') return hash === 'sha1' ? OID.sha1WithRSAEncryption : OID.sha256WithRSAEncryption;
  return hash === 'sha1' ? OID.ecdsaWithSha1 : OID.ecdsaWithSha256;
}

function altNameEntries(names: readonly string[]): { type: number; value?: string; ip?: string }[] {
  return names.map((name) => (/^[\d.]+$|:/.test(name) ? { type: 7, ip: name } : { type: 2, value: name }));
}

interface IssueParams {
  readonly subjectCn: string;
  readonly issuerCn: string;
  readonly subjectKey: KeyPair;
  readonly issuerKey: KeyObject;
  readonly issuerKeyType: KeyType;
  readonly isCa: boolean;
  readonly altNames: readonly string[];
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly hash: SignatureHash;
  readonly profile?: ExtensionProfile;
}

/**
 * Deliberate departures from a well-formed certificate, for crafted chains
 * that a path validator must refuse (compared with `openssl verify`).
 */
export interface ExtensionProfile {
  /** basicConstraints cA, whatever role the certificate plays (a CA:FALSE "intermediate"). */
  readonly basicConstraintsCa?: boolean;
  /** basicConstraints pathLenConstraint (CAs only). */
  readonly pathLength?: number;
  /** A CA without keyCertSign in its keyUsage. */
  readonly withoutKeyCertSign?: boolean;
  /** The leaf's extendedKeyUsage purposes (default serverAuth and clientAuth). */
  readonly extKeyUsage?: readonly ('serverAuth' | 'clientAuth' | 'emailProtection')[];
  /** nameConstraints: the DNS subtrees a CA may issue for. */
  readonly permittedDns?: readonly string[];
}

function nameConstraintsDer(permitted: readonly string[]): string {
  const { asn1 } = forge;
  const subtrees = permitted.map((name) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, name)]));
  return asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, subtrees)])).getBytes();
}

function issue(p: IssueParams): string {
  const { asn1 } = forge;
  const cert = forge.pki.createCertificate();
  cert.publicKey = placeholder();
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = p.validFrom;
  cert.validity.notAfter = p.validTo;
  cert.setSubject([commonNameAttribute(p.subjectCn), { name: 'organizationName', value: 'Mailflow Doctor Tests' }]);
  cert.setIssuer([{ name: 'commonName', value: p.issuerCn }, { name: 'organizationName', value: 'Mailflow Doctor Tests' }]);
  const profile = p.profile ?? {};
  const extensions: object[] = [{ name: 'basicConstraints', cA: profile.basicConstraintsCa ?? p.isCa, critical: true, ...(profile.pathLength !== undefined ? { pathLenConstraint: profile.pathLength } : {}) }];
  if (p.isCa) {
    extensions.push(profile.withoutKeyCertSign
      ? { name: 'keyUsage', digitalSignature: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
    if (profile.permittedDns) extensions.push({ id: '2.5.29.30', critical: true, value: nameConstraintsDer(profile.permittedDns) });
  } else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
    const purposes = profile.extKeyUsage ?? ['serverAuth', 'clientAuth'];
    extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(purposes.map((purpose) => [purpose, true])) });
    if (p.altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames: altNameEntries(p.altNames) });
  }
  cert.setExtensions(extensions);
  const sigOid = signatureOid(p.issuerKeyType, p.hash);
  // forge reads these when it writes the TBS's signature AlgorithmIdentifier.
  (cert as unknown as { siginfo: { algorithmOid: string } }).siginfo.algorithmOid = sigOid;
  cert.signatureOid = sigOid;
  // getTBSCertificate exists in node-forge but is missing from its type definitions.
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, [3] extensions
  const tbsFields = tbs.value as forge.asn1.Asn1[];
  tbsFields[6] = asn1.fromDer(forge.util.createBuffer(p.subjectKey.spkiDer.toString('binary')));
  if (p.issuerKeyType === 'ec') {
    // ECDSA AlgorithmIdentifiers carry no NULL parameters (RFC 5758).
    const algId = tbsFields[2]!.value as forge.asn1.Asn1[];
    algId.splice(1);
  }
  const tbsDer = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign(p.hash, tbsDer, p.issuerKey);
  const sigAlg = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(sigOid).getBytes()),
    ...(p.issuerKeyType === 'rsa' ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')] : []),
  ]);
  const certAsn1 = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    sigAlg,
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature.toString('binary')}`),
  ]);
  const der = asn1.toDer(certAsn1).getBytes();
  const b64 = forge.util.encode64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** A CN attribute; non-ASCII names (hostile ones in the tests too) as a UTF8String (forge encodes the value itself). */
function commonNameAttribute(value: string): { name: string; value: string; valueTagClass?: number } {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(value) ? { name: 'commonName', value } : { name: 'commonName', value, valueTagClass: forge.asn1.Type.UTF8 };
}

function windowOf(options: { validFrom?: Date; validTo?: Date }): { validFrom: Date; validTo: Date } {
  const now = Date.now();
  return { validFrom: options.validFrom ?? new Date(now - DAY), validTo: options.validTo ?? new Date(now + 365 * DAY) };
}

/** A root CA, or an intermediate when `parent` is given. */
export function createCa(options: { commonName?: string; parent?: TestCa; validFrom?: Date; validTo?: Date; keyType?: KeyType; profile?: ExtensionProfile } = {}): TestCa {
  const keyType = options.keyType ?? 'rsa';
  const commonName = options.commonName ?? (options.parent ? 'Mailflow Doctor Test Intermediate' : 'Mailflow Doctor Test Root');
  const key = makeKeyPair(keyType);
  const parent = options.parent;
  const certPem = issue({
    subjectCn: commonName,
    issuerCn: parent?.commonName ?? commonName,
    subjectKey: key,
    issuerKey: parent?.privateKey ?? key.privateKey,
    issuerKeyType: parent?.keyType ?? keyType,
    isCa: true,
    altNames: [],
    ...windowOf(options),
    hash: 'sha256',
    ...(options.profile ? { profile: options.profile } : {}),
  });
  return { certPem, keyPem: key.keyPem, commonName, keyType, privateKey: key.privateKey, chainPem: [certPem, ...(parent?.chainPem ?? [])] };
}

/** A leaf (server) certificate issued by `ca`. */
export function issueCert(ca: TestCa, options: CertOptions): TestCert {
  const key = makeKeyPair(options.keyType ?? 'rsa', options.rsaBits);
  const certPem = issue({
    subjectCn: options.commonName,
    issuerCn: ca.commonName,
    subjectKey: key,
    issuerKey: ca.privateKey,
    issuerKeyType: ca.keyType,
    isCa: false,
    altNames: options.altNames ?? [options.commonName],
    ...windowOf(options),
    hash: options.hash ?? 'sha256',
    ...(options.profile ? { profile: options.profile } : {}),
  });
  return { certPem, keyPem: key.keyPem };
}

/** A self-signed leaf certificate (its own issuer, not a CA). */
export function selfSigned(options: CertOptions): TestCert {
  const keyType = options.keyType ?? 'rsa';
  const key = makeKeyPair(keyType, options.rsaBits);
  const certPem = issue({
    subjectCn: options.commonName,
    issuerCn: options.commonName,
    subjectKey: key,
    issuerKey: key.privateKey,
    issuerKeyType: keyType,
    isCa: false,
    altNames: options.altNames ?? [options.commonName],
    ...windowOf(options),
    hash: options.hash ?? 'sha256',
  });
  return { certPem, keyPem: key.keyPem };
}

/** PEM text of a leaf followed by the given chain, as a server would send it. */
export function fullChain(leaf: TestCert, ...chain: readonly string[]): string {
  return [leaf.certPem, ...chain].join('');
}
