import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { CertificateVerdict } from '../../contract/probe';
import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { buildChain, type ChainResult } from './chain';
import { daysLeft, keyFacts, oneLineName } from './certificate-info';
import { isSha1Signature, signatureAlgorithmOf } from './der';
import { certificateDnsNames, certificateMatchesHost } from './hostname';
import type { TrustStore } from './trust-store';
import { TLS_FINDINGS as F } from './findings';
import type { PathValidationResult } from './path-validator';
import { explainPathError, NO_PATH_ERRORS, TIME_ERRORS, WEAK_CRYPTO_ERRORS } from './path-explain';
import type { ChainStatus, PathError } from '../../contract/probe';

/**
 * Certificate verdicts for one presented chain: each problem a finding, and
 * one summary word for tables (the worst problem wins).
 */
export interface AssessInput {
  readonly presented: readonly X509Certificate[];
  /** The name the server should prove (the MX host), or an IP address. */
  readonly host: string;
  readonly store: TrustStore;
  readonly nowMs: number;
  readonly subject: string;
  /** The path validator's verdict (OpenSSL during the handshake); without it, the chain walk's. */
  readonly path?: PathValidationResult;
  /** Who validated, for the verdict (e.g. "OpenSSL 3.0.19 (Node's TLS)"). */
  readonly validatorName?: string;
}

/**
 * The chain status: the validator decides whether the path is valid; the walk
 * explains why not (missing intermediate vs untrusted root) and finds the
 * anchor. Validity dates are judged at the engine's clock, not the validator's
 * (tests and what-if dates), and weak keys / SHA-1 are named by this module.
 */
function chainStatusOf(walk: ChainResult, path: PathValidationResult | undefined, explainPath: readonly X509Certificate[]): { status: ChainStatus; pathError?: PathError } {
  if (!path) return { status: walk.status };
  if (path.valid) return { status: 'trusted' };
  const code = path.error;
  if (TIME_ERRORS.has(code) || WEAK_CRYPTO_ERRORS.has(code)) return { status: walk.status };
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT') return { status: walk.status === 'trusted' ? 'trusted' : 'self-signed' };
  if (NO_PATH_ERRORS.has(code)) return { status: walk.status === 'trusted' ? 'untrusted-root' : walk.status };
  return { status: 'invalid', pathError: explainPathError(code, explainPath, walk.missingIssuer) };
}

export interface Assessment {
  readonly verdict: CertificateVerdict;
  readonly findings: Finding[];
  /** DNS names on the leaf (for messages and connector predictions). */
  readonly leafNames: readonly string[];
}

export function assessCertificates(input: AssessInput): Assessment | null {
  const { presented, host, store, nowMs, subject } = input;
  const [leaf] = presented;
  if (!leaf) return null;
  const walk = buildChain(presented, store);
  // The path as validated: presented certificates, then the anchor when the server did not send it.
  const anchorCertificate = walk.anchor && !walk.path.includes(walk.anchor.certificate) && walk.path[walk.path.length - 1]?.fingerprint256 !== walk.anchor.certificate.fingerprint256
    ? walk.anchor.certificate : undefined;
  const fullPath = anchorCertificate ? [...walk.path, anchorCertificate] : [...walk.path];
  const judged = chainStatusOf(walk, input.path, fullPath);
  const chain = { ...walk, status: judged.status };
  const findings: Finding[] = [];
  const leafDays = daysLeft(leaf, nowMs);
  const leafNames = certificateDnsNames(leaf);
  const leafLabel = oneLineName(leaf.subject) || '(empty subject)';

  let expired = false;
  let notYetValid = false;
  let weakKey = false;
  let weakKeyBits: number | undefined;
  let sha1 = false;
  // Every certificate's dates count, the anchor's too (OpenSSL and Exchange Online check them all).
  for (const [index, cert] of fullPath.entries()) {
    const role = index === 0 ? 'certificate' : cert === anchorCertificate ? 'root certificate (trust anchor)' : 'intermediate certificate';
    const name = oneLineName(cert.subject);
    if (Date.parse(cert.validTo) < nowMs) {
      expired = true;
      findings.push(finding(F.TLS_CERT_EXPIRED, subject, `The server's ${role} ${name} expired on ${new Date(Date.parse(cert.validTo)).toISOString().slice(0, 10)}.`, [`notAfter: ${cert.validTo}`]));
    }
    if (Date.parse(cert.validFrom) > nowMs) {
      notYetValid = true;
      findings.push(finding(F.TLS_CERT_NOT_YET_VALID, subject, `The server's ${role} ${name} is not valid before ${new Date(Date.parse(cert.validFrom)).toISOString().slice(0, 10)}.`, [`notBefore: ${cert.validFrom}`]));
    }
    if (cert === anchorCertificate) continue; // the anchor's key and signature are trusted as configured
    const key = keyFacts(cert);
    if (key.keyType === 'RSA' && key.keyBits !== undefined && key.keyBits < 2048) {
      weakKey = true;
      weakKeyBits = Math.min(weakKeyBits ?? key.keyBits, key.keyBits);
      findings.push(finding(F.TLS_CERT_WEAK_KEY, subject, `The ${role} ${name} has a ${key.keyBits}-bit RSA key (at least 2048 needed).`, [`key: RSA ${key.keyBits} bits`]));
    }
    const algorithm = signatureAlgorithmOf(cert.raw);
    const isRoot = index > 0 && cert.subject === cert.issuer;
    if (!isRoot && isSha1Signature(algorithm)) {
      sha1 = true;
      findings.push(finding(F.TLS_CERT_SHA1, subject, `The ${role} ${name} is signed with ${algorithm}.`, [`signature: ${algorithm}`]));
    }
  }

  const chainEvidence = chain.path.map((c, i) => `${i === 0 ? 'leaf' : `#${i}`}: ${oneLineName(c.subject)} (issuer ${oneLineName(c.issuer)})`);
  switch (chain.status) {
    case 'self-signed':
      findings.push(finding(F.TLS_CERT_SELF_SIGNED, subject, `The certificate ${leafLabel} is self-signed.`, chainEvidence));
      break;
    case 'untrusted-root':
      findings.push(finding(F.TLS_CERT_UNTRUSTED, subject, `The chain ends at an untrusted root: ${oneLineName(chain.missingIssuer ?? chain.path[chain.path.length - 1]?.subject ?? '')}.`, chainEvidence));
      break;
    case 'incomplete':
      findings.push(finding(F.TLS_CHAIN_INCOMPLETE, subject, `Missing intermediate: the server did not send the certificate of ${oneLineName(chain.missingIssuer ?? '')}, the issuer of ${oneLineName(chain.path[chain.path.length - 1]?.subject ?? '')}.`, chainEvidence));
      break;
    case 'invalid':
      if (judged.pathError) {
        findings.push(finding(F.TLS_CERT_CHAIN_INVALID, subject, `Certificate path validation fails at ${judged.pathError.depth === 0 ? 'the server certificate' : `certificate #${judged.pathError.depth}`} ${judged.pathError.certificate}: ${judged.pathError.rule}`, [...chainEvidence, `validator: ${input.validatorName ?? 'path validator'}: ${judged.pathError.code}`]));
      }
      break;
    case 'trusted':
      if (chain.anchor?.source === 'rehearsal') {
        findings.push(finding(F.TLS_CERT_REHEARSAL_CA, subject, `Rehearsal: the chain is trusted through ${oneLineName(chain.anchor.certificate.subject)}, a CA given with --public-ca; predictions treat it as if Exchange Online trusted it, which it does not.`, chainEvidence));
      }
      if (chain.anchor?.source === 'extra') {
        findings.push(finding(F.TLS_CERT_PRIVATE_CA, subject, `The chain is trusted only through the CA you gave: ${oneLineName(chain.anchor.certificate.subject)}.`, chainEvidence));
      }
      break;
  }

  // Probing an IP address checks no name: nobody validates a mail server by its IP (and Exchange Online checks TlsDomain).
  const ipLiteral = isIP(host.replace(/^\[|\]$/g, '')) !== 0;
  const hostnameMatches = ipLiteral || certificateMatchesHost(leaf, host);
  if (!hostnameMatches) {
    findings.push(finding(F.TLS_CERT_HOSTNAME_MISMATCH, subject, `The certificate does not name ${host}; it names ${leafNames.slice(0, 5).join(', ') || 'nothing usable'}${leafNames.length > 5 ? ` and ${leafNames.length - 5} more` : ''}.`, [`subject: ${leafLabel}`, `subjectAltName: ${leaf.subjectAltName ?? '(none)'}`]));
  }

  if (!expired && leafDays <= 30) {
    findings.push(finding(F.TLS_CERT_EXPIRING_SOON, subject, `The certificate expires in ${leafDays} day${leafDays === 1 ? '' : 's'} (${new Date(Date.parse(leaf.validTo)).toISOString().slice(0, 10)}).`, [`notAfter: ${leaf.validTo}`], { severity: leafDays <= 7 ? 'fail' : 'warn' }));
  }

  const summary: CertificateVerdict['summary'] = expired ? 'expired'
    : notYetValid ? 'not-yet-valid'
      : chain.status === 'invalid' ? 'invalid-chain'
      : chain.status === 'self-signed' ? 'self-signed'
        : chain.status === 'untrusted-root' ? 'untrusted-root'
          : chain.status === 'incomplete' ? 'missing-intermediate'
            : !hostnameMatches ? 'hostname-mismatch'
              : weakKey ? 'weak-key'
                : sha1 ? 'sha1'
                  : leafDays <= 30 ? 'expiring'
                    : 'trusted';
  if (summary === 'trusted') {
    findings.push(finding(F.TLS_CERT_TRUSTED, subject, `Certificate ${chain.anchor?.source === 'extra' ? 'trusted by your CA file only' : 'trusted'} (chain to ${oneLineName(chain.anchor?.certificate.subject ?? '')}), ${ipLiteral ? 'name not checked (probed by IP address)' : `names ${host}`}, ${leafDays} days left.`, chainEvidence));
  }

  return {
    leafNames,
    findings,
    verdict: {
      summary,
      chain: chain.status,
      ...(chain.anchor ? { trustAnchor: oneLineName(chain.anchor.certificate.subject), trustAnchorSource: chain.anchor.source } : {}),
      ...(chain.missingIssuer ? { missingIssuer: oneLineName(chain.missingIssuer) } : {}),
      hostnameChecked: host,
      hostnameMatches,
      expired,
      notYetValid,
      weakKey,
      ...(weakKeyBits !== undefined ? { weakKeyBits } : {}),
      sha1Signature: sha1,
      leafDaysLeft: leafDays,
      ...(judged.pathError ? { pathError: judged.pathError } : {}),
      ...(input.validatorName ? { pathValidator: input.validatorName } : {}),
    },
  };
}
