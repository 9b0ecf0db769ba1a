import type { CheckReport } from '../../../src-main/contract/check';
import type { Plan } from '../../../src-main/contract/planner';
import type { ProbeReport } from '../../../src-main/contract/probe';

/** A hostile string: must always show up as these characters, never as an element. */
export const HOSTILE = '<img src=x onerror=alert(1)>';
export const HOSTILE_BANNER = '220 <b>evil</b><script>window.__pwned=1</script>';

/** What `plan:build` answers: the plan and main's id for it (exports name the id). */
export function builtPlan(plan: Plan = examplePlan(), planId = 'plan-1'): { planId: string; plan: Plan } {
  return { planId, plan };
}

export function examplePlan(overrides: Partial<Plan> = {}): Plan {
  return {
    schemaVersion: 1,
    profileName: 'Contoso',
    existingImported: false,
    decisions: [{ rule: 'Table 2: Exchange 2013 + Exchange Online, no hybrid', text: 'Connectors are needed both ways.' }],
    connectors: [
      {
        id: 'in-own',
        name: 'From EX2013 to Office 365',
        from: 'own-server',
        to: 'office365',
        serves: { kind: 'own-server', name: 'EX2013' },
        spec: { direction: 'inbound', type: 'OnPremises', senderDomains: ['*'], senderIpAddresses: [], senderCertificateName: 'mail.contoso.com', requireTls: true, restrictDomainsToIpAddresses: false, restrictDomainsToCertificate: false, treatMessagesAsInternal: false, cloudServicesMailEnabled: false },
        fromToText: "From: Your organization's email server, To: Office 365",
        cmdlet: 'New-InboundConnector',
        parameters: { ConnectorType: 'OnPremises' },
        reason: 'Some mailboxes are on your own server.',
        rule: 'Table 2 row 1',
        optional: false,
        createdBy: 'you',
        powershell: 'New-InboundConnector -Name "From EX2013 to Office 365" -ConnectorType OnPremises',
      },
      {
        id: 'out-own',
        name: 'From Office 365 to EX2013',
        from: 'office365',
        to: 'own-server',
        serves: { kind: 'own-server', name: 'EX2013' },
        spec: { direction: 'outbound', type: 'OnPremises', recipientDomains: ['onprem.contoso.com'], useMxRecord: false, smartHosts: ['mail.contoso.com'], tlsSettings: 'DomainValidation', tlsDomain: 'mail.contoso.com', routeAllMessagesViaOnPremises: false, cloudServicesMailEnabled: false },
        fromToText: "From: Office 365, To: Your organization's email server",
        cmdlet: 'New-OutboundConnector',
        parameters: { ConnectorType: 'OnPremises' },
        reason: 'Some mailboxes are on your own server.',
        rule: 'Table 2 row 1',
        optional: false,
        createdBy: 'you',
        powershell: 'New-OutboundConnector -Name "From Office 365 to EX2013" -ConnectorType OnPremises -SmartHosts mail.contoso.com',
      },
      {
        id: 'out-partner-contosobank',
        name: 'To ContosoBank (TLS)',
        from: 'office365',
        to: 'partner:ContosoBank',
        serves: { kind: 'partner', name: 'ContosoBank' },
        spec: { direction: 'outbound', type: 'Partner', recipientDomains: ['contosobank.com'], useMxRecord: true, smartHosts: [], tlsSettings: 'CertificateValidation', routeAllMessagesViaOnPremises: false, cloudServicesMailEnabled: false },
        fromToText: 'From: Office 365, To: Partner organization',
        cmdlet: 'New-OutboundConnector',
        parameters: { ConnectorType: 'Partner', TlsSettings: 'CertificateValidation' },
        reason: 'TLS required to ContosoBank.',
        rule: 'Table 1 partner row',
        optional: true,
        createdBy: 'you',
        powershell: 'New-OutboundConnector -Name "To ContosoBank (TLS)" -ConnectorType Partner -TlsSettings CertificateValidation',
      },
    ],
    flows: [
      { from: 'john', to: 'bob', path: ["John's server", 'Office 365'], connectors: ['in-own'], status: 'connector-missing', explanation: 'Mail from John reaches Bob through the inbound connector.', evidence: [] },
      { from: 'bob', to: 'john', path: ['Office 365', "John's server"], connectors: ['out-own'], status: 'connector-missing', explanation: 'Mail to John leaves Office 365 through the outbound connector.', evidence: [] },
      { from: 'bob', to: 'sun', path: ['Office 365', 'Internet'], connectors: [], status: 'no-connector-needed', explanation: 'Office 365 sends to the Internet by itself.', evidence: [] },
      { from: 'sun', to: 'bob', path: ['Internet', 'Office 365'], connectors: [], status: 'no-connector-needed', explanation: 'MX points to Office 365.', evidence: [] },
      {
        from: 'bob',
        to: 'partner:ContosoBank',
        path: ['Office 365', 'ContosoBank'],
        connectors: ['out-partner-contosobank'],
        status: 'tls-failing',
        explanation: 'TLS to ContosoBank fails.',
        fix: 'Ask ContosoBank to install a certificate from a public CA.',
        evidence: [`certificate subject: ${HOSTILE}`],
      },
      { from: 'device:Printer', to: 'sun', path: ['Printer', 'Office 365', 'Internet'], connectors: [], status: 'not-possible', explanation: 'Direct send cannot reach external recipients.', evidence: [] },
    ],
    gaps: [],
    findings: [],
    deviceRecommendations: [{ device: 'Printer', option: 'direct-send', reason: 'It cannot log in.', requirements: ['Internal recipients only'], feasible: true }],
    tlsRequirements: [{ target: 'own-server', setting: 'DomainValidation', connector: 'out-own' }, { target: 'partner:ContosoBank', setting: 'CertificateValidation', connector: 'out-partner-contosobank' }],
    acceptedDomainChanges: [],
    ...overrides,
  };
}

export function hostileProbe(overrides: Partial<ProbeReport> = {}): ProbeReport {
  return {
    host: 'mx.evil.test',
    address: '127.0.0.1',
    port: 25,
    mode: 'starttls',
    stages: [
      { name: 'connect', status: 'ok', startMs: 0, durationMs: 3 },
      { name: 'banner', status: 'ok', startMs: 3, durationMs: 10, detail: HOSTILE_BANNER },
      { name: 'ehlo', status: 'ok', startMs: 13, durationMs: 5 },
      { name: 'starttls', status: 'ok', startMs: 18, durationMs: 4 },
      { name: 'tls', status: 'failed', startMs: 22, durationMs: 30, detail: 'self-signed certificate' },
    ],
    starttls: true,
    tls: null,
    certificates: [
      {
        subject: `CN=${HOSTILE}`,
        subjectAltNames: [HOSTILE],
        issuer: `CN=${HOSTILE}`,
        serialNumber: '01',
        validFrom: '2026-01-01',
        validTo: '2027-01-01',
        daysLeft: 30,
        keyType: 'RSA',
        keyBits: 2048,
        signatureAlgorithm: 'sha256WithRSAEncryption',
        fingerprintSha256: 'AA:BB',
        spkiSha256: 'CC',
        selfIssued: true,
        isCa: false,
      },
    ],
    certificateVerdict: {
      summary: 'self-signed',
      chain: 'self-signed',
      hostnameChecked: 'mx.evil.test',
      hostnameMatches: false,
      expired: false,
      notYetValid: false,
      weakKey: false,
      sha1Signature: false,
      leafDaysLeft: 30,
    },
    banner: HOSTILE_BANNER,
    bannerHost: HOSTILE,
    ehloHost: 'mx.evil.test',
    capabilities: { raw: ['PIPELINING', 'STARTTLS', HOSTILE], starttls: true, size: 1000, eightBitMime: true, pipelining: true, smtpUtf8: false, chunking: false, requireTls: false, auth: [] },
    capabilitiesTls: null,
    rcptReply: null,
    dane: [],
    daneAuthenticated: null,
    transcriptTruncated: false,
    transcript: [
      { t: 1, direction: 'received', text: HOSTILE_BANNER },
      { t: 2, direction: 'sent', text: 'EHLO tester' },
    ],
    predictions: [{ direction: 'outbound', setting: 'CertificateValidation', verdict: 'fail', ndr: '450 4.4.317', reason: `Untrusted: ${HOSTILE}`, fix: 'Use a CA certificate.', reasons: [{ kind: 'chain', code: 'UntrustedRoot', text: `Untrusted: ${HOSTILE}`, fix: 'Use a CA certificate.' }, { kind: 'name', code: 'SubjectMismatch', text: 'The certificate does not name mx.evil.test.', fix: 'Get a certificate naming it.' }] }],
    findings: [
      { code: 'TLS_CERT_UNTRUSTED', severity: 'fail', area: 'certificate', subject: 'mx.evil.test', message: 'The certificate is not trusted.', explanation: 'Office 365 rejects it.', fix: 'Use a CA certificate.', evidence: [HOSTILE] },
    ],
    elapsedMs: 60,
    ...overrides,
  };
}

export function checkReport(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    schemaVersion: 1,
    domain: 'evil.test',
    domainUnicode: 'evil.test',
    startedAt: '2026-11-27T08:00:00.000Z',
    elapsedMs: 120,
    resolver: '127.0.0.1:5300',
    findings: [
      { code: 'SPF_MISSING', severity: 'warn', area: 'spf', subject: 'evil.test', message: 'No SPF record.', explanation: 'Receivers cannot tell.', fix: 'Publish one.', evidence: [`TXT "${HOSTILE}"`] },
      { code: 'MX_OK', severity: 'ok', area: 'mx', subject: 'evil.test', message: 'MX records found.', explanation: '', fix: '', evidence: [] },
    ],
    mx: [{ host: 'mx.evil.test', preference: 10, addresses: ['127.0.0.1'], tlsa: [], probes: [hostileProbe()] }],
    ...overrides,
  };
}
