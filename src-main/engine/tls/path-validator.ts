import { createSecureContext, rootCertificates, type ConnectionOptions, type SecureContext } from 'node:tls';

/**
 * Certificate path validation (RFC 5280) by a maintained validator, not by
 * our own code: injected into the probe the way the socket factory is, so
 * the validator can change without touching the probe.
 *
 * The validator sees the chain as DER bytes, leaf first, exactly as the
 * server sent it. A validator that works during the TLS handshake (OpenSSL,
 * through Node's TLS) gives the probe the handshake options that make it
 * verify, and reads the handshake's verdict back.
 */
export interface PathValidationInput {
  /** The certificates the server presented, DER, leaf first. */
  readonly presented: readonly Uint8Array[];
  /**
   * What the TLS library said after verifying the chain during the handshake
   * (Node's `socket.authorizationError`: OpenSSL's error name such as
   * INVALID_CA), null when it verified; undefined when the handshake did not verify.
   */
  readonly handshakeError?: string | null;
}

export type PathValidationResult =
  | { readonly valid: true }
  /** `error`: OpenSSL's name of the failed rule (X509_V_ERR_… without the prefix), e.g. INVALID_CA, INVALID_PURPOSE. */
  | { readonly valid: false; readonly error: string };

export interface PathValidator {
  /** Who validates, for reports ("OpenSSL 3.0.19 (Node's TLS)"). */
  readonly name: string;
  /** Extra options for the TLS handshake so it verifies the server's chain against this validator's anchors. */
  handshakeOptions(): Pick<ConnectionOptions, 'secureContext'>;
  validate(input: PathValidationInput): PathValidationResult;
}

/** Handshake settings every probe uses: see everything, judge afterwards (old servers and weak keys must still be seen). */
export const PROBE_TLS_SETTINGS = { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } as const;

/**
 * OpenSSL through Node's TLS: the handshake verifies the chain against the
 * anchors given (Node's root store plus the user's CA files), with the TLS
 * server purpose (OpenSSL's client sets purpose sslserver), and the verdict is
 * OpenSSL's: basicConstraints, keyUsage, extendedKeyUsage, path length, name
 * constraints, signatures, validity. The secure context (parsing every root)
 * is made once, on first use, and shared by every probe of the session.
 *
 * Validity is judged by OpenSSL at the real time; the engine also judges it at
 * its injected clock (tests, what-if dates). Weak keys and SHA-1 are not
 * refused here (the probe runs at security level 0 to see old servers); the
 * certificate verdict names them itself.
 */
export function openSslPathValidator(anchorPems: readonly string[], options: { readonly includePublic?: boolean } = {}): PathValidator {
  let context: SecureContext | undefined;
  return {
    name: `OpenSSL ${process.versions.openssl} (Node's TLS)`,
    handshakeOptions() {
      context ??= trustingContext(anchorPems, options.includePublic !== false);
      return { secureContext: context };
    },
    validate({ handshakeError }) {
      if (handshakeError === undefined) return { valid: false, error: 'NOT_VERIFIED' };
      return handshakeError === null ? { valid: true } : { valid: false, error: handshakeError };
    },
  };
}

/**
 * A secure context that trusts `anchorPems`, and Node's bundled roots when
 * `withPublicRoots`. Adding the anchors to the default context reuses the
 * roots OpenSSL has already parsed (about 2 ms); passing every root again as
 * `ca` makes OpenSSL parse ~140 PEM certificates per process (about 20 ms,
 * a tenth of a one-host probe's start-up). Falls back to `ca` when the
 * context does not expose `addCACert`.
 */
function trustingContext(anchorPems: readonly string[], withPublicRoots: boolean): SecureContext {
  if (withPublicRoots) {
    const context = createSecureContext({ ...PROBE_TLS_SETTINGS });
    const native = (context as { context?: { addCACert?: (pem: string) => void } }).context;
    if (typeof native?.addCACert === 'function') {
      for (const pem of anchorPems) native.addCACert(pem);
      return context;
    }
  }
  return createSecureContext({ ...PROBE_TLS_SETTINGS, ca: [...(withPublicRoots ? rootCertificates : []), ...anchorPems] });
}
