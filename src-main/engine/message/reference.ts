/**
 * The message trace's reference tables, in one place (issue 13): header
 * names, Exchange Online's anti-spam fields and compauth reason codes,
 * Exchange Server builds, and the NDR codes for connectors and TLS. The
 * analysis and the tests both read these; each table cites where it comes from.
 */

// ---------------------------------------------------------------- hosts

/**
 * Host name suffixes of Microsoft 365's own mail servers, as they appear in
 * Received: fields (Exchange Online mailbox servers `*.prod.outlook.com`, EOP
 * front ends `*.protection.outlook.com`, the newer `*.mx.microsoft`, and the
 * older `*.exchangelabs.com` / `*.outlook.office365.com`).
 * Source: Microsoft Learn, "Mail flow in EOP" / "Message Header Analyzer"
 * sample headers; exchange-online-connectors.md §3 for the MX forms.
 */
export const MICROSOFT_HOST_SUFFIXES: readonly string[] = [
  '.outlook.com',
  '.exchangelabs.com',
  '.outlook.office365.com',
  '.office365.com',
  '.mx.microsoft',
  '.mail.microsoft',
];

// ---------------------------------------------------------------- protocols

/**
 * The `with` protocol words (RFC 3848, "ESMTP and LMTP Transmission Types
 * Registration", and RFC 8314 §7.3 for the implicit-TLS forms): S = TLS, A = authenticated.
 */
export const WITH_PROTOCOLS: Readonly<Record<string, { readonly tls: boolean; readonly auth: boolean; readonly words: string }>> = {
  SMTP: { tls: false, auth: false, words: 'plain SMTP' },
  ESMTP: { tls: false, auth: false, words: 'ESMTP without TLS' },
  ESMTPA: { tls: false, auth: true, words: 'ESMTP with authentication, without TLS' },
  ESMTPS: { tls: true, auth: false, words: 'ESMTP over TLS' },
  ESMTPSA: { tls: true, auth: true, words: 'ESMTP over TLS with authentication' },
  SMTPS: { tls: true, auth: false, words: 'SMTP over TLS' },
  LMTP: { tls: false, auth: false, words: 'LMTP (local delivery)' },
  LMTPA: { tls: false, auth: true, words: 'LMTP with authentication' },
  LMTPS: { tls: true, auth: false, words: 'LMTP over TLS' },
  LMTPSA: { tls: true, auth: true, words: 'LMTP over TLS with authentication' },
  UTF8SMTP: { tls: false, auth: false, words: 'SMTPUTF8 without TLS' },
  UTF8SMTPA: { tls: false, auth: true, words: 'SMTPUTF8 with authentication, without TLS' },
  UTF8SMTPS: { tls: true, auth: false, words: 'SMTPUTF8 over TLS' },
  UTF8SMTPSA: { tls: true, auth: true, words: 'SMTPUTF8 over TLS with authentication' },
  UTF8LMTP: { tls: false, auth: false, words: 'LMTP (local delivery)' },
  UTF8LMTPS: { tls: true, auth: false, words: 'LMTP over TLS' },
};

/**
 * Microsoft's internal submission and transfer protocols in Received: fields
 * (`with mapi`, `with HTTP`, `with HTTPS`): inside one server or datacentre,
 * no SMTP hop to encrypt. Source: Message Header Analyzer samples.
 */
export const INTERNAL_PROTOCOLS: readonly string[] = ['MAPI', 'HTTP', 'HTTPS', 'LOCAL'];

// ---------------------------------------------------------------- authentication

/**
 * Authentication-Results method results in words. Source: RFC 8601 §2.7
 * (result values), RFC 8617 §4.4 (arc), Microsoft Learn "Anti-spam message
 * headers in Microsoft 365" (bestguesspass, compauth pass/fail/softpass/none).
 */
export const AUTH_RESULT_WORDS: Readonly<Record<string, { readonly verdict: 'pass' | 'fail' | 'neutral'; readonly words: string }>> = {
  pass: { verdict: 'pass', words: 'passed' },
  fail: { verdict: 'fail', words: 'failed' },
  softfail: { verdict: 'fail', words: 'soft-failed (the domain says the sender is probably not allowed, ~all)' },
  neutral: { verdict: 'neutral', words: 'neutral (the domain makes no statement, ?all)' },
  none: { verdict: 'neutral', words: 'not available (no record or no signature)' },
  temperror: { verdict: 'neutral', words: 'could not be checked (temporary DNS error)' },
  permerror: { verdict: 'fail', words: 'could not be checked (the record is broken)' },
  policy: { verdict: 'fail', words: 'was not accepted by local policy' },
  bestguesspass: { verdict: 'pass', words: 'has no DMARC record, but would pass if there were one' },
  softpass: { verdict: 'pass', words: 'soft-passed (implicit authentication)' },
  hardfail: { verdict: 'fail', words: 'failed' },
};

export const AUTH_METHOD_NAMES: Readonly<Record<string, string>> = {
  spf: 'SPF',
  dkim: 'DKIM',
  dmarc: 'DMARC',
  compauth: 'Composite authentication (compauth)',
  arc: 'ARC',
  'dkim-atps': 'DKIM third-party signature',
  auth: 'SMTP AUTH',
  iprev: 'Reverse DNS (iprev)',
};

/**
 * compauth reason codes. Source: Microsoft Learn, "Anti-spam message headers
 * in Microsoft 365" (defender-office-365/message-headers-eop-mdo), section
 * "Composite authentication reason codes" (2025 revision).
 */
export const COMPAUTH_REASONS: Readonly<Record<string, string>> = {
  '000': 'DMARC failed and the sender’s DMARC policy is quarantine or reject (explicit authentication failure).',
  '001': 'Implicit authentication failed: the sending domain publishes no authentication records, or only weak ones (SPF ~all or ?all, DMARC p=none).',
  '002': 'An admin has explicitly blocked this sender/domain pair from sending spoofed mail.',
  '010': 'DMARC failed with policy quarantine or reject, and the sending domain is one of your own accepted domains (self-to-self spoofing).',
  '100': 'SPF or DKIM passed and the MAIL FROM and From domains are aligned.',
  '101': 'DKIM-signed by the domain in the From address.',
  '102': 'The MAIL FROM and From domains are aligned and SPF passed.',
  '103': 'The From domain aligns with the reverse DNS (PTR) of the sending IP.',
  '104': 'The reverse DNS (PTR) of the sending IP aligns with the From domain.',
  '108': 'DKIM failed because an earlier legitimate hop changed the body (for example your on-premises servers).',
  '109': 'The sender’s domain has no DMARC record, but the message would pass anyway.',
  '111': 'DMARC had an error, but the SPF or DKIM domain aligns with the From domain.',
  '112': 'A DNS timeout stopped the DMARC record from being read.',
  '115': 'Sent from a Microsoft 365 organisation where the From domain is an accepted domain.',
  '116': 'The MX of the From domain aligns with the PTR of the connecting IP.',
  '130': 'A trusted ARC sealer’s result overrode the DMARC failure.',
  '201': 'The PTR of the From domain aligns with the subnet of the connecting IP’s PTR.',
  '202': 'The From domain aligns with the domain of the connecting IP’s PTR.',
  '501': 'DMARC not enforced: a valid bounce between people who have written to each other before.',
  '502': 'DMARC not enforced: a valid bounce for a message sent from this organisation.',
  '601': 'The sending domain is one of your accepted domains and it did not authenticate (self-to-self or intra-org spoofing).',
  '905': 'DMARC not enforced because of complex routing (for example Internet mail routed through on-premises Exchange or another service before Microsoft 365).',
};

/** The first digit of a compauth reason, when the exact code is not in COMPAUTH_REASONS (same source). */
export const COMPAUTH_REASON_CLASSES: Readonly<Record<string, string>> = {
  '1': 'passed explicit or implicit authentication',
  '2': 'soft-passed implicit authentication',
  '3': 'was not checked for composite authentication',
  '4': 'bypassed composite authentication',
  '6': 'failed implicit authentication',
  '7': 'passed implicit authentication (DMARC not enforced: a history of legitimate mail from this infrastructure)',
  '9': 'bypassed composite authentication',
};

// ---------------------------------------------------------------- Exchange Online headers

/**
 * Exchange Online's organisation and cross-tenant headers. Source: Microsoft
 * Learn "Anti-spam message headers", the Exchange Team blog post on how
 * Exchange Online attributes mail to a tenant (TC 749143, in
 * exchange-online-connectors.md §7), and "Configure mail flow using connectors".
 */
export const EXCHANGE_HEADERS = {
  authAs: 'x-ms-exchange-organization-authas',
  authSource: 'x-ms-exchange-organization-authsource',
  authMechanism: 'x-ms-exchange-organization-authmechanism',
  directionality: 'x-ms-exchange-organization-messagedirectionality',
  scl: 'x-ms-exchange-organization-scl',
  antispamReport: 'x-forefront-antispam-report',
  microsoftAntispam: 'x-microsoft-antispam',
  crossTenantPrefix: 'x-ms-exchange-crosstenant-',
} as const;

export const AUTH_AS_WORDS: Readonly<Record<string, string>> = {
  anonymous: 'Anonymous: the sender was not recognised as part of your organisation (no inbound connector of type OnPremises matched, no authenticated submission).',
  internal: 'Internal: authenticated as your organisation (an inbound connector of type OnPremises, a hybrid server, or a mailbox of your own).',
  partner: 'Partner: matched an inbound connector of type Partner (domain-secured mail).',
};

/** X-MS-Exchange-CrossTenant-FromEntityHeader values (same sources). */
export const FROM_ENTITY_WORDS: Readonly<Record<string, string>> = {
  internet: 'from the Internet',
  hybridonprem: 'from your on-premises (hybrid) servers, through an inbound connector',
  hosted: 'from a mailbox in Exchange Online',
};

/** SFV values of X-Forefront-Antispam-Report. Source: Microsoft Learn, "Anti-spam message headers in Microsoft 365". */
export const SFV_WORDS: Readonly<Record<string, string>> = {
  BLK: 'blocked: the sender is on the recipient’s Blocked Senders list (filtering skipped)',
  NSPM: 'not spam: spam filtering found the message clean',
  SFE: 'allowed: the sender is on the recipient’s Safe Senders list (filtering skipped)',
  SKA: 'allowed: the sender is on an allowed senders or domains list of an anti-spam policy (filtering skipped)',
  SKB: 'marked as spam: the sender is on a blocked senders or domains list of an anti-spam policy',
  SKI: 'filtering skipped: the source IP is on the connection filter’s IP Allow List',
  SKN: 'filtering skipped: a mail flow rule marked it as not spam',
  SKQ: 'released from quarantine',
  SKS: 'marked as spam before filtering (a mail flow rule set the SCL, or on-premises Exchange passed a spam decision)',
  SPM: 'spam: spam filtering marked the message as spam',
};

export const IPV_WORDS: Readonly<Record<string, string>> = {
  CAL: 'the source IP is on the IP Allow List (filtering skipped)',
  NLI: 'the source IP is on no IP reputation list',
};

export const DIR_WORDS: Readonly<Record<string, string>> = { INB: 'inbound', OUT: 'outbound', INT: 'internal' };

export const CAT_WORDS: Readonly<Record<string, string>> = {
  AMP: 'anti-malware', BIMP: 'brand impersonation', BULK: 'bulk mail', DIMP: 'domain impersonation', FTBP: 'common attachments filter',
  GIMP: 'mailbox intelligence impersonation', HPHSH: 'high-confidence phishing', HPHISH: 'high-confidence phishing', HSPM: 'high-confidence spam',
  INTOS: 'intra-organisation phishing', MALW: 'malware', OSPM: 'outbound spam', PHSH: 'phishing', SAP: 'Safe Attachments', SPM: 'spam',
  SPOOF: 'spoofing', UIMP: 'user impersonation', NONE: 'none',
};

/** Spam confidence level bands. Source: Microsoft Learn, "Spam confidence level (SCL) in EOP". */
export function sclWords(scl: number): string {
  if (scl === -1) return 'SCL -1: not scanned for spam (a trusted sender, your own organisation, or an allow list): delivered to the Inbox';
  if (scl <= 1) return `SCL ${scl}: not spam: delivered to the Inbox`;
  if (scl <= 4) return `SCL ${scl}: not spam (unusual value)`;
  if (scl <= 6) return `SCL ${scl}: spam: the spam action of the policy (by default the Junk Email folder)`;
  if (scl <= 9) return `SCL ${scl}: high-confidence spam: the high-confidence spam action (by default the Junk Email folder or quarantine)`;
  return `SCL ${scl}: not a documented value`;
}

/** Bulk complaint level bands. Source: Microsoft Learn, "Bulk complaint level (BCL) in EOP" (default threshold 7). */
export function bclWords(bcl: number): string {
  if (bcl === 0) return 'BCL 0: not from a bulk sender';
  if (bcl <= 3) return `BCL ${bcl}: from a bulk sender that generates few complaints`;
  if (bcl <= 7) return `BCL ${bcl}: from a bulk sender that generates a mixed number of complaints`;
  return `BCL ${bcl}: from a bulk sender that generates many complaints`;
}

// ---------------------------------------------------------------- Exchange Server builds

export interface ExchangeBuildRow {
  /** `15.2` for 2019 / SE, `15.1` for 2016, `15.0` for 2013, `14.3` for 2010 SP3. */
  readonly majorMinor: string;
  /** The third part of the build of this cumulative update (security updates only change the fourth). */
  readonly build: number;
  readonly product: string;
  readonly update: string;
}

/**
 * Exchange Server builds by cumulative update. Source: Microsoft Learn,
 * "Exchange Server build numbers and release dates"
 * (exchange/new-features/build-numbers-and-release-dates). Support status as
 * of late 2026: exchange-online-connectors.md §8 (2010/2013/2016/2019 out of
 * support; Exchange Server Subscription Edition current).
 */
export const EXCHANGE_BUILDS: readonly ExchangeBuildRow[] = [
  { majorMinor: '15.2', build: 2562, product: 'Exchange Server Subscription Edition (SE)', update: 'RTM' },
  { majorMinor: '15.2', build: 1748, product: 'Exchange Server 2019', update: 'CU15' },
  { majorMinor: '15.2', build: 1544, product: 'Exchange Server 2019', update: 'CU14' },
  { majorMinor: '15.2', build: 1258, product: 'Exchange Server 2019', update: 'CU13' },
  { majorMinor: '15.2', build: 1118, product: 'Exchange Server 2019', update: 'CU12' },
  { majorMinor: '15.2', build: 986, product: 'Exchange Server 2019', update: 'CU11' },
  { majorMinor: '15.2', build: 922, product: 'Exchange Server 2019', update: 'CU10' },
  { majorMinor: '15.2', build: 858, product: 'Exchange Server 2019', update: 'CU9' },
  { majorMinor: '15.2', build: 792, product: 'Exchange Server 2019', update: 'CU8' },
  { majorMinor: '15.2', build: 721, product: 'Exchange Server 2019', update: 'CU7' },
  { majorMinor: '15.2', build: 659, product: 'Exchange Server 2019', update: 'CU6' },
  { majorMinor: '15.2', build: 595, product: 'Exchange Server 2019', update: 'CU5' },
  { majorMinor: '15.2', build: 529, product: 'Exchange Server 2019', update: 'CU4' },
  { majorMinor: '15.2', build: 464, product: 'Exchange Server 2019', update: 'CU3' },
  { majorMinor: '15.2', build: 397, product: 'Exchange Server 2019', update: 'CU2' },
  { majorMinor: '15.2', build: 330, product: 'Exchange Server 2019', update: 'CU1' },
  { majorMinor: '15.2', build: 221, product: 'Exchange Server 2019', update: 'RTM' },
  { majorMinor: '15.1', build: 2507, product: 'Exchange Server 2016', update: 'CU23' },
  { majorMinor: '15.1', build: 2375, product: 'Exchange Server 2016', update: 'CU22' },
  { majorMinor: '15.1', build: 2308, product: 'Exchange Server 2016', update: 'CU21' },
  { majorMinor: '15.1', build: 2242, product: 'Exchange Server 2016', update: 'CU20' },
  { majorMinor: '15.1', build: 2176, product: 'Exchange Server 2016', update: 'CU19' },
  { majorMinor: '15.1', build: 225, product: 'Exchange Server 2016', update: 'RTM to CU18' },
  { majorMinor: '15.0', build: 1497, product: 'Exchange Server 2013', update: 'CU23' },
  { majorMinor: '15.0', build: 516, product: 'Exchange Server 2013', update: 'RTM to CU22' },
  { majorMinor: '14.3', build: 123, product: 'Exchange Server 2010', update: 'SP3' },
];

/** The first build of Exchange Server SE; every 15.2 build below it is Exchange 2019 (same source). */
export const EXCHANGE_SE_FIRST_BUILD = 2562;

// ---------------------------------------------------------------- NDR codes

export type ProbeTarget = 'remote' | 'own-server' | 'none';

export interface NdrCodeRow {
  /** The enhanced status code, or a range `4.7.500-699`. */
  readonly code: string;
  /** Words that must appear in the reply for this row (e.g. `ATTR36`), when a code is shared. */
  readonly match?: RegExp;
  readonly title: string;
  readonly meaning: string;
  readonly involves: string;
  readonly fix: string;
  /** Which host a probe would confirm the cause on. */
  readonly probe: ProbeTarget;
  readonly source: string;
}

const SA = 'Microsoft Learn, "Email non-delivery reports and SMTP errors in Exchange Online" and the linked fix articles';
/** The fact sheet's §5 and §8 (exchange-online-connectors.md) carry these, with Microsoft's articles as their source. */
const REF5 = 'Microsoft Learn, Exchange Online mail flow troubleshooting (NDR and connector articles in SupportArticles-docs)';
const REF8 = 'Exchange Team Blog: transport-based enforcement for out-of-date Exchange servers (March 2023)';

/**
 * NDR and SMTP status codes that point at connectors and TLS. Sources: the
 * fact sheet's §5 and §8 (which cite Microsoft Learn SupportArticles-docs and
 * the Exchange Team blog), RFC 3463 for the generic codes.
 */
export const NDR_CODES: readonly NdrCodeRow[] = [
  { code: '4.4.312', title: 'DNS lookup of the smart host failed', meaning: 'Exchange Online could not resolve the smart host of an outbound connector.', involves: 'Outbound connector (SmartHosts)', fix: 'Correct the smart host name in the outbound connector, or publish its DNS record.', probe: 'remote', source: REF5 },
  { code: '4.4.315', title: 'Connection timed out', meaning: 'The destination server did not answer: it is down, or the connector points at the wrong smart host.', involves: 'Outbound connector (SmartHosts), firewall in front of the server', fix: 'Check that the server is up and that port 25 is reachable from Exchange Online’s addresses; correct the smart host.', probe: 'remote', source: REF5 },
  { code: '4.4.316', title: 'Connection refused', meaning: 'The destination refused the connection: a firewall blocks Exchange Online’s addresses, or the server was retired.', involves: 'Outbound connector (SmartHosts), firewall', fix: 'Allow port 25 from Exchange Online’s IP ranges, or point the connector at the server that now receives the mail.', probe: 'remote', source: REF5 },
  { code: '4.4.317', title: 'TLS required but not offered, or certificate name mismatch', meaning: 'The outbound connector requires TLS (or a certificate name) and the destination did not offer STARTTLS, or its certificate did not match (SubjectMismatch); on-premises may also answer "451 5.7.3 STARTTLS is required".', involves: 'Outbound connector TlsSettings / TlsDomain', fix: 'Enable STARTTLS with a CA-issued certificate on the destination, and make TlsDomain match a name on it.', probe: 'remote', source: REF5 },
  { code: '4.4.318', title: 'Connection closed abruptly', meaning: 'The destination (often a firewall doing SMTP inspection) dropped the connection mid-session.', involves: 'Firewall in front of the destination', fix: 'Turn off SMTP inspection / ESMTP fix-up on the firewall in front of the server.', probe: 'remote', source: REF5 },
  { code: '4.7.320', title: 'Certificate validation failed', meaning: 'The destination’s certificate failed validation: expired, untrusted, or its subject does not match.', involves: 'Outbound connector TlsSettings (CertificateValidation / DomainValidation)', fix: 'Renew or replace the destination’s certificate with a CA-issued one whose names cover the host (and TlsDomain).', probe: 'remote', source: REF5 },
  { code: '4.7.321', title: 'DANE: STARTTLS not offered', meaning: 'The destination publishes TLSA records (DANE) but did not offer STARTTLS.', involves: 'Outbound connector SmtpDaneMode; the destination’s DANE records', fix: 'Enable STARTTLS on the destination, or remove its TLSA records.', probe: 'remote', source: REF5 },
  { code: '4.7.322', title: 'DANE: certificate expired', meaning: 'The destination’s certificate has expired.', involves: 'The destination’s certificate and TLSA records', fix: 'Renew the certificate and update the TLSA records.', probe: 'remote', source: REF5 },
  { code: '4.7.323', title: 'DANE: TLSA records invalid', meaning: 'No TLSA record matches the destination’s certificate.', involves: 'The destination’s TLSA records', fix: 'Publish TLSA records that match the certificate now in use (roll over records before certificates).', probe: 'remote', source: REF5 },
  { code: '4.7.324', title: 'DANE: DNSSEC invalid', meaning: 'The destination’s DNSSEC chain did not validate.', involves: 'The destination’s DNSSEC', fix: 'Fix the DNSSEC signatures or DS records of the destination’s zone.', probe: 'remote', source: REF5 },
  { code: '4.7.325', title: 'DANE: host name mismatch', meaning: 'The destination’s certificate does not match its MX host name.', involves: 'The destination’s certificate', fix: 'Use a certificate whose names cover the MX host.', probe: 'remote', source: REF5 },
  { code: '4.7.5', title: 'On-premises certificate problem', meaning: 'Exchange on-premises could not use the certificate of its send connector: not found, or its root is not trusted.', involves: 'On-premises send connector TlsCertificateName', fix: 'Install the certificate named on the send connector (with its chain) on every source server.', probe: 'own-server', source: REF5 },
  { code: '4.4.62', match: /ATTR35|ATTR\s*35/i, title: 'Wrong endpoint (ATTR35)', meaning: 'Mail was sent to a legacy or IP-address endpoint of Office 365, or relayed without an inbound connector.', involves: 'Your server’s smart host; the inbound connector from your server', fix: 'Send to <domain>.mail.protection.outlook.com (the MX), and create an inbound connector of type OnPremises for your server.', probe: 'none', source: REF5 },
  { code: '5.7.64', title: 'Relay Access Denied (TenantAttribution, ATTR36)', meaning: 'Exchange Online could not attribute the message to your organisation: the inbound connector’s certificate name or IP addresses no longer match the server that sent it, so relay to the Internet is refused.', involves: 'Inbound connector of type OnPremises (TlsSenderCertificateName or SenderIPAddresses)', fix: 'Make the connector’s TlsSenderCertificateName match the certificate your server sends with (an accepted domain), or add the server’s current public IP to SenderIPAddresses.', probe: 'own-server', source: REF5 },
  { code: '5.7.51', title: 'TenantInboundAttribution', meaning: 'A partner inbound connector restricted to certain IPs or a certificate matched the sender’s domain, but the sending server did not match.', involves: 'Inbound connector of type Partner (RestrictDomainsToIPAddresses / RestrictDomainsToCertificate)', fix: 'Add the partner’s current sending IPs or certificate name to the connector, or ask the partner to send from the agreed servers.', probe: 'none', source: REF5 },
  { code: '5.4.1', title: 'Recipient address rejected: Access denied', meaning: 'Directory-Based Edge Blocking: the recipient does not exist in Exchange Online (or the domain is not set up for it).', involves: 'Accepted domain type (Authoritative / InternalRelay) and the recipient’s mailbox or mail user', fix: 'Create the recipient, or set the accepted domain to Internal Relay when some mailboxes are on your own server.', probe: 'none', source: REF5 },
  { code: '5.7.708', title: 'Traffic not accepted from this IP', meaning: 'Exchange Online refuses mail from the sending IP (poor reputation, or a new tenant sending from it).', involves: 'The sending IP; an inbound connector of type OnPremises for your own servers', fix: 'Send from a clean IP with correct reverse DNS; relay your own server’s mail through an OnPremises inbound connector; ask Microsoft support to delist.', probe: 'none', source: SA },
  { code: '5.7.750', title: 'Client blocked from sending from unregistered domains', meaning: 'Your tenant sent a large amount of mail from domains that are not accepted domains in it.', involves: 'Accepted domains; OnPremises inbound connector relaying other domains', fix: 'Add and verify every sending domain as an accepted domain in Microsoft 365, then ask support to unblock.', probe: 'none', source: SA },
  { code: '4.7.230', title: 'Out-of-date Exchange server throttled', meaning: 'The on-premises Exchange server relaying through an OnPremises inbound connector is out of support or far behind on updates; Exchange Online throttles it (and will later block it).', involves: 'Inbound connector of type OnPremises; the Exchange server’s version', fix: 'Update the server to a supported build (Exchange Server SE with its latest update). See EAC Reports > Mail flow > Out-of-date connecting on-premises Exchange servers; pause with New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 90 (at most 90 days a year).', probe: 'own-server', source: REF8 },
  { code: '5.7.230', title: 'Out-of-date Exchange server blocked', meaning: 'Exchange Online now blocks mail from this on-premises Exchange server over the OnPremises inbound connector because it is out of support or far behind on updates.', involves: 'Inbound connector of type OnPremises; the Exchange server’s version', fix: 'Update the server to a supported build (Exchange Server SE with its latest update); a temporary pause: New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 90.', probe: 'own-server', source: REF8 },
  { code: '5.7.68', title: 'Direct send rejected', meaning: 'RejectDirectSend is on: an anonymous message whose envelope sender is in your accepted domains matched no inbound connector.', involves: 'Set-OrganizationConfig -RejectDirectSend; a Partner inbound connector for the device or service', fix: 'Give the device or service a Partner inbound connector (by certificate or static IP), or use SMTP AUTH / SMTP relay.', probe: 'none', source: REF5 },
  { code: '4.7.500-699', title: 'Throttled (IP reputation or graylisting)', meaning: 'Exchange Online is throttling mail from the sending IP (AS codes).', involves: 'The sending IP; an inbound connector for your own server', fix: 'Create an inbound connector of type OnPremises for your server so its mail is attributed to you; otherwise retry later.', probe: 'none', source: REF5 },
  { code: '5.7.606-649', title: 'Sending IP banned', meaning: 'The sending IP is on Microsoft’s block list.', involves: 'The sending IP', fix: 'Use the delist portal (sender.office.com) and fix what made the IP send spam.', probe: 'none', source: REF5 },
  { code: '5.7.511', title: 'Sending IP banned', meaning: 'The sending IP is banned by Microsoft.', involves: 'The sending IP', fix: 'Ask for delisting with the NDR attached; fix what made the IP send spam.', probe: 'none', source: REF5 },
  { code: '5.7.57', title: 'SMTP AUTH: client not authenticated', meaning: 'A device or app sent to smtp.office365.com without logging in.', involves: 'SMTP AUTH client submission (port 587)', fix: 'Configure the device to authenticate, or use direct send / SMTP relay through a connector.', probe: 'none', source: REF5 },
  { code: '5.7.3', match: /535|authentication unsuccessful|bad credentials/i, title: 'SMTP AUTH: authentication unsuccessful', meaning: 'The device’s user name or password was refused (or SMTP AUTH is off for the mailbox).', involves: 'SMTP AUTH for the mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled)', fix: 'Check the credentials and that SMTP AUTH is enabled for the mailbox; plan for OAuth as basic authentication is retired.', probe: 'none', source: REF5 },
  { code: '5.7.3', match: /STARTTLS/i, title: 'STARTTLS is required', meaning: 'The receiving on-premises server requires TLS and the sender did not start it.', involves: 'Outbound connector to your server (TlsSettings); the receive connector on your server', fix: 'Make sure the connector uses TLS and your server offers STARTTLS with a valid certificate.', probe: 'remote', source: REF5 },
  { code: '5.7.60', title: 'SMTP AUTH: sender not allowed', meaning: 'The From address differs from the mailbox the device logged in as, and that mailbox has no Send As permission.', involves: 'SMTP AUTH mailbox permissions', fix: 'Send from the logged-in address, or grant Send As.', probe: 'none', source: REF5 },
  { code: '4.7.66', title: 'TLS 1.0/1.1 rejected', meaning: 'The device tried TLS 1.0 or 1.1 for SMTP AUTH; Exchange Online requires TLS 1.2 or later.', involves: 'SMTP AUTH client submission', fix: 'Update the device to TLS 1.2, or relay through a server that supports it.', probe: 'none', source: REF5 },
  { code: '5.4.6', title: 'Routing loop detected', meaning: 'The message went round between servers (often Exchange Online and on-premises both thinking the other holds the mailbox).', involves: 'Outbound connector to your server; accepted domain type; MX records', fix: 'Check that the recipient exists in exactly one place and that accepted domains and connectors route to it.', probe: 'none', source: SA },
  { code: '5.4.14', title: 'Routing loop detected', meaning: 'The message went round between servers (hop count exceeded).', involves: 'Outbound connector to your server; accepted domain type; MX records', fix: 'Check that the recipient exists in exactly one place and that accepted domains and connectors route to it.', probe: 'none', source: SA },
  { code: '5.7.54', title: 'Unable to relay recipient in non-accepted domain', meaning: 'A server tried to relay through Exchange Online for a domain it does not own, without a matching connector.', involves: 'Inbound connector of type OnPremises (relay)', fix: 'Create an inbound connector for your server (by certificate or IP) so relay is allowed, or add the domain as accepted.', probe: 'none', source: SA },
  { code: '5.1.10', title: 'Recipient not found', meaning: 'The recipient address does not exist in the destination organisation.', involves: 'The recipient address', fix: 'Check the address; in hybrid, check that the recipient is synchronised.', probe: 'none', source: SA },
  { code: '4.4.7', title: 'Message expired', meaning: 'The message stayed in the queue too long: the destination kept failing.', involves: 'The route to the destination', fix: 'Look at the earlier temporary errors; probe the destination.', probe: 'remote', source: 'RFC 3463 §3.5' },
];
