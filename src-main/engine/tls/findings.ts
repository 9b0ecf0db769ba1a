import { defineFindings } from '../findings';

/** TLS handshake, certificate and DANE findings. */
export const TLS_FINDINGS = defineFindings({
  TLS_HANDSHAKE_FAILED: {
    area: 'tls', severity: 'fail',
    explanation: 'STARTTLS was accepted but the TLS handshake failed: no common protocol version or cipher, a broken certificate set-up, or something in between that interferes. Senders that require TLS cannot deliver (Exchange Online: 450 4.4.317).',
    fix: 'Check the server\'s TLS configuration (certificate and key loaded, TLS 1.2 or later enabled) and its logs at the time of the probe.',
  },
  TLS_HANDSHAKE_TIMEOUT: {
    area: 'tls', severity: 'fail',
    explanation: 'The server accepted STARTTLS (or the TLS port accepted the connection) but never finished the TLS handshake.',
    fix: 'Check the server\'s TLS service and any firewall or SMTP-inspecting appliance that may stall TLS.',
  },
  TLS_VERSION_OLD: {
    area: 'tls', severity: 'fail',
    explanation: 'The server negotiated TLS 1.0 or 1.1. Exchange Online and most senders require TLS 1.2 or later; these versions are retired.',
    fix: 'Enable TLS 1.2 (and 1.3) on the server and disable TLS 1.0 and 1.1.',
  },
  TLS_OK: {
    area: 'tls', severity: 'ok',
    explanation: 'The TLS handshake succeeded with a current protocol version.',
    fix: 'Nothing to do.',
  },
  TLS_CERT_TRUSTED: {
    area: 'certificate', severity: 'ok',
    explanation: 'The certificate chains to a trusted root, is valid today and names this host.',
    fix: 'Nothing to do.',
  },
  TLS_CERT_SELF_SIGNED: {
    area: 'certificate', severity: 'warn',
    explanation: 'The server presents a self-signed certificate. Opportunistic TLS still encrypts, but any sender that validates certificates (Exchange Online connectors with CertificateValidation or DomainValidation, DANE-less MTA-STS) refuses it.',
    fix: 'Install a certificate from a public certificate authority that names this host.',
  },
  TLS_CERT_UNTRUSTED: {
    area: 'certificate', severity: 'warn',
    explanation: 'The certificate chain ends at a root that is not trusted (a private or unknown CA). Senders that validate certificates refuse it.',
    fix: 'Use a certificate from a public certificate authority. For a private CA that only this tool should trust, add it as an extra CA file (--ca-file, or Settings in the app); Exchange Online will still not trust it.',
  },
  TLS_CERT_PRIVATE_CA: {
    area: 'certificate', severity: 'info',
    explanation: 'The chain validates only through a CA you added as an extra CA file (--ca-file, or Settings in the app). This tool trusts it; Exchange Online and other internet senders do not.',
    fix: 'For connectors with Exchange Online, use a certificate from a public certificate authority.',
  },
  TLS_CERT_CHAIN_INVALID: {
    area: 'certificate', severity: 'fail',
    explanation: 'The server\'s chain leads to a trusted root but breaks a rule of certificate path validation (RFC 5280): a certificate that is not a CA (basicConstraints CA:FALSE) or may not sign certificates (no keyCertSign) issued another, the certificate is not for TLS servers (extendedKeyUsage without serverAuth), a CA\'s path length or name constraints are exceeded, or a signature does not verify. Exchange Online, Postfix, Exim and browsers all refuse such a chain, so CertificateValidation fails.',
    fix: 'Get the certificate re-issued by the CA with the right extensions (a TLS server certificate with serverAuth, from a proper issuing CA) and install it with its real intermediate.',
  },
  TLS_CERT_REHEARSAL_CA: {
    area: 'certificate', severity: 'warn',
    explanation: 'Rehearsal: the chain ends at a CA you gave with --public-ca (or as a public CA file for rehearsal in Settings). The connector predictions treat that CA as if Exchange Online trusted it, to rehearse in a lab or before buying a certificate. Exchange Online does not really trust it.',
    fix: 'Before going live, install a certificate from a CA Exchange Online trusts (a public CA) and probe again without --public-ca.',
  },
  TLS_CHAIN_INCOMPLETE: {
    area: 'certificate', severity: 'warn',
    explanation: 'The server sent its certificate without the intermediate certificate that links it to a root: a missing intermediate. Browsers may fetch it; mail servers, including Exchange Online, do not, so they see an untrusted certificate.',
    fix: 'Configure the server to send the full chain: the certificate followed by the intermediate certificate(s) of the CA (Postfix: the chain file in smtpd_tls_chain_files; Exchange: import the intermediate into the computer\'s Intermediate store).',
  },
  TLS_CERT_EXPIRED: {
    area: 'certificate', severity: 'fail',
    explanation: 'A certificate of the chain has expired. Senders that validate certificates refuse it (Exchange Online: 450 4.7.320).',
    fix: 'Renew the certificate (and install the CA\'s current intermediate) and restart or reload the mail service.',
  },
  TLS_CERT_NOT_YET_VALID: {
    area: 'certificate', severity: 'fail',
    explanation: 'A certificate of the chain is not valid yet (its start date is in the future), or this computer\'s clock is wrong.',
    fix: 'Check the server\'s and this computer\'s clocks; reissue the certificate with a correct validity period.',
  },
  TLS_CERT_HOSTNAME_MISMATCH: {
    area: 'certificate', severity: 'warn',
    explanation: 'The certificate does not name the host that was connected to (checked as RFC 6125 says: subjectAltName DNS names; `*` covers exactly one left-most label).',
    fix: 'Get a certificate whose subjectAltName includes the MX host name, or point the MX record at a name the certificate covers.',
  },
  TLS_CERT_WEAK_KEY: {
    area: 'certificate', severity: 'fail',
    explanation: 'A certificate of the chain has an RSA key shorter than 2048 bits. Current TLS libraries refuse such keys (OpenSSL\'s default security level: "EE key too weak"), so senders that validate certificates (Exchange Online CertificateValidation) fail.',
    fix: 'Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256 key.',
  },
  TLS_CERT_SHA1: {
    area: 'certificate', severity: 'warn',
    explanation: 'A certificate of the chain is signed with SHA-1 (or MD5), which is broken and refused by current TLS libraries.',
    fix: 'Reissue the certificate with a SHA-256 signature.',
  },
  TLS_CERT_EXPIRING_SOON: {
    area: 'certificate', severity: 'warn',
    explanation: 'The certificate expires soon. When it does, senders that validate certificates will refuse to deliver.',
    fix: 'Renew the certificate now and install it on every server behind this name.',
  },
  DANE_TLSA_MATCH: {
    area: 'dane', severity: 'ok',
    explanation: 'A TLSA record of this MX matches the certificate the server presents (RFC 7672).',
    fix: 'Nothing to do; remember to publish the new TLSA record before changing the certificate or key.',
  },
  DANE_TLSA_MISMATCH: {
    area: 'dane', severity: 'fail',
    explanation: 'None of the usable TLSA records of this MX matches the certificate the server presents. DANE-validating senders (Exchange Online with SMTP DANE, Postfix, many providers) will not deliver (Exchange Online: 5.7.323 tlsa-invalid).',
    fix: 'Publish a TLSA record for the current certificate or key (e.g. `3 1 1 <SHA-256 of the public key>`), keep the old one until the change is done.',
  },
});
