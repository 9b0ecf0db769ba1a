import { PARTNER_SCHEMA_VERSION, PARTNER_STATUS_WORDS, type PartnerMxResult, type PartnerResult, type PartnerStatus, type SettingReadiness } from '../../src-main/contract/partners';

/**
 * Partner answers made by hand for unit tests of the outputs (message, .ps1,
 * CSV/JSONL/HTML, the register): one per failure class, with fixed dates so
 * snapshots are stable.
 */
const pass = (direction: 'outbound' | 'inbound', value?: string): SettingReadiness => ({ direction, verdict: 'pass', reason: 'Passes on every MX.', fix: 'Nothing to do.', hosts: [], ...(value ? { value } : {}) });
const na = (): SettingReadiness => ({ direction: 'inbound', verdict: 'not-applicable', reason: 'The partner is outbound only.', fix: 'Nothing to do.', hosts: [] });

export function mxResult(overrides: Partial<PartnerMxResult> = {}): PartnerMxResult {
  return {
    host: 'mx1.bank.example', preference: 10, address: '192.0.2.10', port: 25, reached: true, starttls: true, tlsVersion: 'TLSv1.3',
    certificate: { subject: 'CN=mx1.bank.example', issuer: 'CN=Example Issuing CA, O=Example Trust', validFrom: '2026-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z', daysLeft: 200, names: ['mx1.bank.example'], summary: 'trusted', trustAnchorSource: 'public' },
    chain: [], dane: 'none', connectTimedOut: false,
    ...overrides,
  };
}

export function partnerResult(status: PartnerStatus, overrides: Partial<PartnerResult> = {}): PartnerResult {
  return {
    schemaVersion: PARTNER_SCHEMA_VERSION,
    domain: 'bank.example', domainUnicode: 'bank.example', name: 'Example Bank', direction: 'outbound',
    status, statusWords: PARTNER_STATUS_WORDS[status], summary: `${PARTNER_STATUS_WORDS[status]}.`, problems: [],
    daysToExpiry: 200, checkedAt: '2026-11-30T09:00:00.000Z', elapsedMs: 120,
    readiness: {
      EncryptionOnly: pass('outbound'), CertificateValidation: pass('outbound'), DomainValidation: pass('outbound', 'mx1.bank.example'),
      TlsSenderCertificateName: na(), SenderIPAddresses: na(),
    },
    dns: [], mx: [mxResult()], message: null,
    ...overrides,
  };
}

/** The failure classes a partner message is written for. */
export function failureClasses(): Record<string, PartnerResult> {
  const fail = (reason: string, fix: string, ndr: string, host = 'mx1.bank.example', address = '192.0.2.10'): SettingReadiness =>
    ({ direction: 'outbound', verdict: 'fail', reason: `${host} (${address}): ${reason}`, fix, ndr, hosts: [{ host, address, verdict: 'fail', reason }] });
  const base = partnerResult('ready');
  const selfSigned = 'Certificate validation would fail: UntrustedRoot: the certificate is self-signed.';
  return {
    'self-signed': partnerResult('not-ready', {
      summary: `CertificateValidation: mx1.bank.example (192.0.2.10): ${selfSigned}`,
      problems: [`CertificateValidation: mx1.bank.example (192.0.2.10): ${selfSigned}`],
      readiness: { ...base.readiness, CertificateValidation: fail(selfSigned, 'Install a valid certificate from a public certificate authority, with its full chain.', '450 4.7.320'), DomainValidation: { ...fail(selfSigned, 'Install a valid certificate from a public certificate authority, with its full chain.', '450 4.7.320'), reason: `DomainValidation needs CertificateValidation to pass first. ${selfSigned}` } },
      mx: [mxResult({ certificate: { ...mxResult().certificate!, issuer: 'CN=mx1.bank.example', summary: 'self-signed' } })],
    }),
    expired: partnerResult('not-ready', {
      summary: 'CertificateValidation: mx1.bank.example (192.0.2.10): Certificate validation would fail: Expired: a certificate of the chain has expired.',
      daysToExpiry: -3,
      readiness: { ...base.readiness, CertificateValidation: fail('Certificate validation would fail: Expired: a certificate of the chain has expired.', 'Install a valid certificate from a public certificate authority, with its full chain.', '450 4.7.320') },
      mx: [mxResult({ certificate: { ...mxResult().certificate!, validTo: '2026-11-27T00:00:00.000Z', daysLeft: -3, summary: 'expired' } })],
    }),
    'no STARTTLS': partnerResult('not-ready', {
      summary: 'EncryptionOnly: mx1.bank.example (192.0.2.10): The server does not offer STARTTLS; a connector that requires TLS fails (TLS required but not offered).',
      daysToExpiry: null,
      readiness: { ...base.readiness, EncryptionOnly: fail('The server does not offer STARTTLS; a connector that requires TLS fails (TLS required but not offered).', 'Enable STARTTLS with a working certificate and TLS 1.2 or later on the server.', '450 4.4.317') },
      mx: [mxResult({ starttls: false, tlsVersion: null, certificate: null })],
    }),
    'wrong name': partnerResult('not-ready', {
      tlsDomain: 'secure.bank.example',
      summary: 'DomainValidation (TlsDomain secure.bank.example): mx1.bank.example (192.0.2.10): TlsDomain secure.bank.example matches no subjectAltName or CN of the certificate (mx1.bank.example).',
      readiness: { ...base.readiness, DomainValidation: { ...fail('TlsDomain secure.bank.example matches no subjectAltName or CN of the certificate (mx1.bank.example).', 'Set the connector\'s TlsDomain to a name on the certificate (Set-OutboundConnector -TlsDomain mx1.bank.example), or get a certificate that includes secure.bank.example.', '450 4.4.317 (SubjectMismatch)'), value: 'secure.bank.example' } },
    }),
    unreachable: partnerResult('unreachable', {
      summary: 'No MX of bank.example could be reached from here: mx1.bank.example (192.0.2.10): Connection refused by 192.0.2.10 port 25.',
      daysToExpiry: null,
      readiness: { ...base.readiness, EncryptionOnly: { ...pass('outbound'), verdict: 'unknown' }, CertificateValidation: { ...pass('outbound'), verdict: 'unknown' }, DomainValidation: { ...pass('outbound'), verdict: 'unknown' } },
      mx: [mxResult({ reached: false, failedStage: 'connect', failure: 'Connection refused by 192.0.2.10 port 25.', starttls: false, tlsVersion: null, certificate: null })],
    }),
    'no mail': partnerResult('no-mail', { summary: 'bank.example publishes a null MX: it accepts no mail.', daysToExpiry: null, mx: [] }),
    'expiring soon': partnerResult('ready-with-warnings', {
      daysToExpiry: 9,
      summary: 'CertificateValidation would pass on every MX. But: A certificate expires in 9 day(s): CN=mx1.bank.example on mx1.bank.example (valid to 2026-12-09T00:00:00.000Z).',
      problems: ['A certificate expires in 9 day(s): CN=mx1.bank.example on mx1.bank.example (valid to 2026-12-09T00:00:00.000Z).'],
      mx: [mxResult({ certificate: { ...mxResult().certificate!, validTo: '2026-12-09T00:00:00.000Z', daysLeft: 9 } })],
    }),
  };
}
