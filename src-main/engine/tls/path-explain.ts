import type { X509Certificate } from 'node:crypto';
import type { PathError } from '../../contract/probe';
import { oneLineName } from './certificate-info';
import { basicConstraintsOf, dnsNameConstraintsOf, keyUsageOf } from './der';
import { certificateDnsNames } from './hostname';

/**
 * Turns the path validator's rule code into words: which certificate of the
 * path (leaf first, anchor last) breaks which rule. The validator decides;
 * this only points at the certificate, reading its extensions.
 */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** Verdicts the engine judges itself at its own clock, or names itself (weak keys, SHA-1): not path-rule errors. */
export const TIME_ERRORS: ReadonlySet<string> = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD']);
export const WEAK_CRYPTO_ERRORS: ReadonlySet<string> = new Set(['EE_KEY_TOO_SMALL', 'CA_KEY_TOO_SMALL', 'CA_MD_TOO_WEAK']);
/** No path to a trusted anchor: the chain walk says which (missing intermediate, untrusted root). */
export const NO_PATH_ERRORS: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

function extendedKeyUsage(certificate: X509Certificate): string[] | undefined {
  // Node calls the extendedKeyUsage OIDs `keyUsage`; undefined when the extension is absent (any purpose).
  const list = certificate.keyUsage as string[] | undefined;
  return Array.isArray(list) ? list : undefined;
}

const EKU_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.8': 'timeStamping', '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

/**
 * OpenSSL finds one broken issuer under several rules at once (a CA:FALSE
 * issuer is also "unsuitable purpose" and "no certificate signing") and
 * reports one of them; the certificate is explained by the most basic rule it
 * breaks, in this order, and the code is that rule's.
 */
const ISSUER_RULE_ERRORS: ReadonlySet<string> = new Set([
  // Node reports UNSPECIFIED for OpenSSL errors it has no name for (name constraints among them).
  'UNSPECIFIED', 'INVALID_CA', 'INVALID_NON_CA', 'INVALID_PURPOSE', 'KEYUSAGE_NO_CERTSIGN', 'PATH_LENGTH_EXCEEDED', 'PATHLEN_INVALID_FOR_NON_CA', 'KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA',
]);

export function explainPathError(code: string, path: readonly X509Certificate[], missingIssuer?: string): PathError {
  if (path.length === 1 && missingIssuer !== undefined) {
    // The validator found the issuer among what the server sent (else it would say the issuer is
    // missing), but Node hands over only certificates that may sign the one below: this one may not.
    const issuer = oneLineName(missingIssuer);
    return {
      code: code === 'UNSPECIFIED' ? 'INVALID_CA' : code, depth: 1, certificate: issuer,
      rule: `the intermediate ${issuer} that the server sent issued ${oneLineName(path[0]!.subject)} but may not issue certificates: it is not a CA, or its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.9, §4.2.1.3).`,
    };
  }
  const role = (depth: number): string => (depth === 0 ? 'the server certificate' : depth === path.length - 1 ? 'the root' : 'the intermediate');
  const at = (depth: number, rule: string, ruleCode = code): PathError => ({ code: ruleCode, depth, certificate: oneLineName(path[depth]?.subject ?? '') || '(empty subject)', rule });
  if (ISSUER_RULE_ERRORS.has(code)) {
    for (let depth = 1; depth < path.length; depth++) {
      const constraints = basicConstraintsOf(path[depth]!.raw);
      if (!constraints?.ca) {
        return at(depth, `${role(depth)} ${oneLineName(path[depth]!.subject)} issued ${oneLineName(path[depth - 1]!.subject)} but is not a CA (${constraints ? 'basicConstraints CA:FALSE' : 'no basicConstraints'}); only a CA may issue certificates (RFC 5280 §4.2.1.9).`, 'INVALID_CA');
      }
    }
    for (let depth = 1; depth < path.length; depth++) {
      const usage = keyUsageOf(path[depth]!.raw);
      if (usage && !usage.includes('keyCertSign')) {
        return at(depth, `${role(depth)} ${oneLineName(path[depth]!.subject)} issued ${oneLineName(path[depth - 1]!.subject)} but its keyUsage (${usage.join(', ') || 'empty'}) lacks keyCertSign, so it may not sign certificates (RFC 5280 §4.2.1.3).`, 'KEYUSAGE_NO_CERTSIGN');
      }
    }
    for (let depth = 0; depth < path.length; depth++) {
      const purposes = extendedKeyUsage(path[depth]!);
      if (purposes && !purposes.includes(SERVER_AUTH) && !purposes.includes(ANY_EXTENDED_KEY_USAGE)) {
        const names = purposes.map((oid) => EKU_NAMES[oid] ?? oid).join(', ') || 'nothing';
        return at(depth, `${role(depth)} ${oneLineName(path[depth]!.subject)} is not for TLS servers: its extendedKeyUsage allows ${names} only, serverAuth is needed (RFC 5280 §4.2.1.12).`, 'INVALID_PURPOSE');
      }
    }
    for (let depth = 2; depth < path.length; depth++) {
      const limit = basicConstraintsOf(path[depth]!.raw)?.pathLength;
      // Intermediate CAs below this one (the leaf does not count; self-issued CAs do not either).
      const below = path.slice(1, depth).filter((c) => c.subject !== c.issuer).length;
      if (limit !== undefined && below > limit) {
        return at(depth, `${role(depth)} ${oneLineName(path[depth]!.subject)} allows ${limit} intermediate CA${limit === 1 ? '' : 's'} below it (pathLenConstraint ${limit}), but the path has ${below} (RFC 5280 §4.2.1.9).`, 'PATH_LENGTH_EXCEEDED');
      }
    }
  }
  switch (code) {
    case 'UNSPECIFIED':
    case 'PERMITTED_VIOLATION':
    case 'EXCLUDED_VIOLATION':
    case 'SUBTREE_MINMAX':
    case 'UNSUPPORTED_NAME_SYNTAX':
    case 'UNSUPPORTED_CONSTRAINT_TYPE': {
      const violation = nameConstraintViolation(path);
      if (violation) return violation;
      break;
    }
    case 'CERT_SIGNATURE_FAILURE':
    case 'CRL_SIGNATURE_FAILURE': {
      for (let depth = 0; depth + 1 < path.length; depth++) {
        let verifies = false;
        try { verifies = path[depth]!.verify(path[depth + 1]!.publicKey); } catch { verifies = false; }
        if (!verifies) return at(depth, `the signature on ${role(depth)} ${oneLineName(path[depth]!.subject)} does not verify with the key of its issuer ${oneLineName(path[depth + 1]!.subject)}.`);
      }
      break;
    }
  }
  return at(0, `the path validator refused the chain of ${oneLineName(path[0]?.subject ?? '')} (${code}).`);
}

function withinSubtree(name: string, base: string): boolean {
  const trimmed = base.replace(/^\./, '');
  return name === trimmed || name.endsWith(`.${trimmed}`);
}

/** The first name of a certificate below a constraining CA that lies outside its dNSName subtrees (OpenSSL reports it at that certificate's depth). */
function nameConstraintViolation(path: readonly X509Certificate[]): PathError | null {
  for (let ca = 1; ca < path.length; ca++) {
    const constraints = dnsNameConstraintsOf(path[ca]!.raw);
    if (!constraints) continue;
    for (let depth = ca - 1; depth >= 0; depth--) {
      for (const name of certificateDnsNames(path[depth]!).map((n) => n.toLowerCase())) {
        const excludedBy = constraints.excluded.find((base) => withinSubtree(name, base));
        const outside = constraints.permitted.length > 0 && !constraints.permitted.some((base) => withinSubtree(name, base));
        if (!excludedBy && !outside) continue;
        const caName = oneLineName(path[ca]!.subject);
        return {
          code: excludedBy ? 'EXCLUDED_VIOLATION' : 'PERMITTED_VIOLATION',
          depth,
          certificate: oneLineName(path[depth]!.subject) || '(empty subject)',
          rule: excludedBy
            ? `the name ${name} is excluded by the name constraints of ${caName} (excluded: ${excludedBy}) (RFC 5280 §4.2.1.10).`
            : `the name ${name} is outside the name constraints of ${caName}, which may only issue for ${constraints.permitted.join(', ')} (RFC 5280 §4.2.1.10).`,
        };
      }
    }
  }
  return null;
}
