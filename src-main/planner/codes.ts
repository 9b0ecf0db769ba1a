/**
 * Every code the planner reports, as plan findings (about the profile) or as
 * gaps (about a planned or an existing connector), with its usual severity
 * and what it means. docs/findings.md lists them (scripts/gen-findings-doc.ts);
 * test/unit/planner-codes.test.ts fails when the planner uses a code that is
 * not here. The message and fix of each case are written where it is raised,
 * because they name the connector, server or partner concerned.
 */
export interface PlannerCodeSpec {
  readonly code: string;
  readonly kind: 'finding' | 'gap';
  readonly severity: 'info' | 'warn' | 'fail';
  readonly explanation: string;
}

const spec = (kind: PlannerCodeSpec['kind'], severity: PlannerCodeSpec['severity'], explanation: string) => ({ kind, severity, explanation });

const CODES = {
  // About the profile (plan findings)
  PLAN_NO_ACCEPTED_DOMAINS: spec('finding', 'warn', 'No accepted domains are set; the article sets them up before any connector.'),
  PLAN_EOP_HAS_NO_MAILBOXES: spec('finding', 'warn', 'Standalone EOP hosts no mailboxes, yet the profile puts mailboxes in the cloud.'),
  PLAN_MAILBOXES_WITHOUT_SERVER: spec('finding', 'fail', 'Mailboxes are said to be on your own servers, but no server is listed.'),
  PLAN_MX_NOT_OFFICE365: spec('finding', 'info', 'The MX points to your own server; the article assumes Office 365 receives all Internet mail.'),
  PLAN_HYBRID_NOT_AVAILABLE: spec('finding', 'warn', 'A hybrid deployment is marked for a server the Hybrid Configuration Wizard does not support (Exchange 2007, non-Microsoft, or standalone EOP); its connectors are planned.'),
  PLAN_CONSIDER_HYBRID: spec('finding', 'info', 'Exchange 2010 or later with Exchange Online and no hybrid: the article suggests considering a hybrid deployment.'),
  PLAN_CHECK_EXISTING_2007_HYBRID: spec('finding', 'info', 'Exchange 2007 with a hybrid configuration may already have connectors; import them to check.'),
  PLAN_CENTRALIZED_NEEDS_HYBRID: spec('finding', 'warn', 'Centralised mail transport needs mailboxes both in Exchange Online and on your own server.'),
  PLAN_EXCHANGE_VERSION_UNKNOWN: spec('finding', 'info', 'The own Exchange server\'s version is not given; the plan cannot warn about throttling of out-of-date servers.'),
  PLAN_EXCHANGE_OUT_OF_SUPPORT: spec('finding', 'warn', 'An out-of-support Exchange version: Exchange Online throttles (450 4.7.230) and then blocks (550 5.7.230) its mail over the OnPremises connector.'),
  PLAN_EXCHANGE_KEEP_UPDATED: spec('finding', 'info', 'Exchange Server Subscription Edition is current, but a server far behind on updates is throttled and blocked too.'),
  PLAN_PARTNER_CA_CERTIFICATE_RECOMMENDED: spec('finding', 'info', 'TLS with a partner accepts any certificate; the article recommends a CA-signed one.'),
  PLAN_DEVICE_CANNOT_RELAY: spec('finding', 'warn', 'A device must reach outsiders but has neither SMTP AUTH with TLS 1.2 nor a static IP or certificate for relay.'),
  // About a planned connector (the cmdlet would refuse it, or it needs attention)
  CONNECTOR_NAME_TOO_LONG: spec('gap', 'fail', 'Connector names have at most 64 characters.'),
  CONNECTOR_NO_DOMAINS: spec('gap', 'fail', 'The connector has no sender or recipient domains, so it would carry no mail.'),
  CONNECTOR_BAD_DOMAIN: spec('gap', 'fail', 'A domain the cmdlet refuses (a wildcard inside a name, or "*" where it is not allowed).'),
  CONNECTOR_BAD_IP: spec('gap', 'fail', 'An address connectors refuse: not IPv4, wider than /24, or not public.'),
  CONNECTOR_BAD_CERTIFICATE_NAME: spec('gap', 'fail', 'A certificate name the cmdlet refuses.'),
  CONNECTOR_BAD_SMART_HOST: spec('gap', 'fail', 'A smart host the cmdlet refuses: it takes a host name, IP address or range, never a port.'),
  CONNECTOR_BAD_PARAMETER: spec('gap', 'fail', 'A plan read back from a file names a parameter the cmdlet does not take, or a value it cannot take; the command is not written.'),
  CONNECTOR_NO_SMART_HOSTS: spec('gap', 'fail', 'UseMXRecord is off but no smart hosts are given.'),
  CONNECTOR_TLSDOMAIN_WITHOUT_DOMAIN_VALIDATION: spec('gap', 'fail', 'TlsDomain only means something with TlsSettings DomainValidation.'),
  CONNECTOR_DOMAIN_VALIDATION_WITHOUT_TLSDOMAIN: spec('gap', 'fail', 'DomainValidation needs a TlsDomain saying which name to expect.'),
  CONNECTOR_IPS_AND_CERTIFICATE: spec('gap', 'fail', 'One partner connector should not restrict by both IP addresses and a certificate.'),
  OWN_SERVER_NOT_IDENTIFIABLE: spec('gap', 'fail', 'An OnPremises inbound connector with neither SenderIPAddresses nor TlsSenderCertificateName identifies nothing; it is not written.'),
  OWN_SERVERS_SAME_ADDRESS_SPACE: spec('gap', 'fail', 'Two OnPremises outbound connectors for the same domains contradict each other; the plan keeps the first.'),
  OWN_SERVER_NO_CERTIFICATE_NAME: spec('gap', 'warn', 'Without a certificate name Office 365 checks the server certificate\'s chain but not its name.'),
  CERTIFICATE_NAME_NOT_ACCEPTED: spec('gap', 'warn', 'Mail is attributed by certificate only for a name in an accepted domain; otherwise relay fails (550 5.7.64 ATTR36).'),
  PARTNER_CERTIFICATE_NEEDS_TLS: spec('gap', 'warn', 'Mail restricted to a partner\'s certificate needs TLS, so the plan requires it.'),
  PARTNER_IPS_AND_CERTIFICATE: spec('gap', 'warn', 'The partner has IP ranges and a sender certificate; the plan restricts by the certificate.'),
  PARTNER_CERTIFICATE_NAME_MISSING: spec('gap', 'warn', '"CA-issued with a name" is asked for without the name; the plan checks the CA only.'),
  GATEWAY_CERTIFICATE_NAME_MISSING: spec('gap', 'warn', '"CA-issued with a name" is asked for the outbound gateway without the name; the plan checks the CA only.'),
  PARTNER_INBOUND_NEEDS_MX: spec('gap', 'warn', 'With the MX on your own server, a partner inbound connector in Office 365 cannot enforce anything.'),
  // Against imported connectors and accepted domains
  CONNECTOR_MISSING: spec('gap', 'fail', 'No imported connector serves the purpose of a planned one (same direction, type, and the same server, partner or device).'),
  CONNECTOR_DISABLED: spec('gap', 'fail', 'The connector that would carry the flow is disabled.'),
  CONNECTOR_TEST_MODE: spec('gap', 'fail', 'The connector is in test mode, so it does not carry the flow yet.'),
  CONNECTOR_RULE_SCOPED: spec('gap', 'warn', 'The connector carries only mail that mail flow rules route to it (IsTransportRuleScoped).'),
  CONNECTOR_NOT_IN_PLAN: spec('gap', 'info', 'An imported connector serves nothing the profile describes; it is not part of this plan and is left as it is (never proposed for removal).'),
  PARTNER_TLS_NOT_REQUIRED: spec('gap', 'fail', 'The partner connector does not require TLS where the plan does.'),
  PARTNER_TLS_WEAKER: spec('gap', 'fail', 'The partner connector checks the certificate less strictly than planned (e.g. EncryptionOnly where CertificateValidation is planned); its flows are not covered.'),
  TLS_WEAKER_THAN_PLANNED: spec('gap', 'fail', 'The connector to your server checks its certificate less strictly than planned.'),
  TLS_DOMAIN_MISSING: spec('gap', 'fail', 'DomainValidation without TlsDomain does not check the planned name.'),
  CERTIFICATE_NAME_MISMATCH: spec('gap', 'fail', 'The certificate name on the connector is not the one the server or partner uses (5.7.64 / 4.4.317).'),
  PARTNER_NOT_RESTRICTED: spec('gap', 'warn', 'The partner connector does not restrict the partner\'s mail to its certificate or IP ranges as planned.'),
  SMART_HOSTS_NOT_OWN_SERVERS: spec('gap', 'fail', 'The connector that delivers to your servers names smart hosts that are not your servers.'),
  CENTRALIZED_TRANSPORT_OFF: spec('gap', 'fail', 'Centralised mail transport is planned, but the connector to your server does not route all mail through it.'),
  CENTRALIZED_TRANSPORT_FOUND: spec('gap', 'warn', 'An imported connector routes all Exchange Online mail through your server although the profile says centralised transport is off.'),
  ONPREMISES_OUTBOUND_SAME_DOMAINS: spec('gap', 'warn', 'Two imported OnPremises outbound connectors serve exactly the same domains; Office 365 uses only one of them.'),
  DUPLICATE_PARTNER_CONNECTORS: spec('gap', 'warn', 'Two partner connectors of one direction cover the same domains.'),
  ALLOW_BY_DOMAIN_NEXT_TO_RESTRICT: spec('gap', 'warn', 'A connector allowing a domain sits next to one restricting it by IP or certificate; the restricting one wins.'),
  HYBRID_CONNECTOR_EDITED: spec('gap', 'warn', 'A Hybrid Configuration Wizard connector differs from what the wizard sets.'),
  IMPORT_ASSUMPTION: spec('gap', 'info', 'The importer read a value by an assumed mapping (Windows PowerShell 5.1 writes enums as numbers); check it.'),
  SHARED_DOMAIN_NOT_ACCEPTED: spec('gap', 'fail', 'A shared domain is not one of the accepted domains.'),
  ACCEPTED_DOMAIN_MISSING: spec('gap', 'fail', 'A shared domain is not in the imported accepted domains.'),
  ACCEPTED_DOMAIN_NOT_INTERNAL_RELAY: spec('gap', 'fail', 'A shared domain is not InternalRelay, so Office 365 rejects mail for the mailboxes on your own server.'),
} as const;

export type PlannerCode = keyof typeof CODES;

export const PLANNER_CODES: readonly PlannerCodeSpec[] = (Object.keys(CODES) as PlannerCode[]).map((code) => ({ code, ...CODES[code] }));
