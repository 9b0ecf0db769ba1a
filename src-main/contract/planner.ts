import { z } from 'zod';
import { FindingSchema } from './findings';
import { ActorRefSchema } from './actors';
import { certificateNameRule, domainPatternRule, hostNameRule, publicIpv4RangeRule, publicIpv4Rule, smartHostRule } from './rules';
import { ruleSchema } from './rule-schema';

/**
 * The planner's data: an organisation profile in, a plan out.
 *
 * Names agreed with the UI and the issue's `--format json` interface (issue 4).
 * The profile is what people write by hand (examples/profile.schema.json is
 * generated from it), so every field carries a `.describe()` and a limit.
 * Every value is checked with the one rule for its kind (./rules.ts), the same
 * rule the wizard shows next to the field and the planner applies, so nothing
 * invalid ("mail fabrikam com" as a host, 203.0.113.300, a private address in
 * a public-IP field, a smart host with a port) reaches a plan or a script.
 * The planner still checks what it writes (validate.ts), for plans built from
 * data that did not pass through this schema.
 */
export const PLAN_SCHEMA_VERSION = 1;

const MAX_LIST = 200;
const text = (max: number) => z.string().trim().min(1).max(max);
/** A domain as connectors take it: contoso.com, or *.contoso.com for the domain and its subdomains. */
const DomainSchema = ruleSchema(domainPatternRule);
/** A full host name Office 365 delivers to, e.g. mail.contoso.com. */
const HostSchema = ruleSchema(hostNameRule);
/** A smart host: a full host name or a public IPv4 address or range, no port. */
const SmartHostSchema = ruleSchema(smartHostRule);
/** A public IPv4 address or a /24 to /32 range: what a connector's SenderIPAddresses takes. */
const IpRangeSchema = ruleSchema(publicIpv4RangeRule, 64);
/** One public IPv4 address (a device's). */
const PublicIpSchema = ruleSchema(publicIpv4Rule, 64);
/** The name on a certificate, e.g. mail.contoso.com or *.contoso.com. */
const CertificateNameSchema = ruleSchema(certificateNameRule);
const NameSchema = z.string().trim().min(1).max(100).regex(/^[^\r\n]+$/, 'one line of text');

export const ServerKindSchema = z
  .enum(['exchange-2010-or-later', 'exchange-2007-or-earlier', 'non-microsoft'])
  .describe('What the server runs: Exchange Server 2013 or 2010 (and later versions, "Exchange 2010 or later"), Exchange 2007 or earlier, or a non-Microsoft SMTP server (Table 2 of the article).');
export type ServerKind = z.infer<typeof ServerKindSchema>;

export const ExchangeVersionSchema = z
  .enum(['2010', '2013', '2016', '2019', 'subscription-edition'])
  .describe('Exchange Server 2010, 2013, 2016, 2019 or Subscription Edition (SE).');
export type ExchangeVersion = z.infer<typeof ExchangeVersionSchema>;

export const OutboundGatewaySchema = z
  .object({
    name: NameSchema.describe('The service, e.g. "Mail filter" or "Archive gateway". Used in the connector name.'),
    smartHosts: z.array(SmartHostSchema).min(1).max(MAX_LIST).describe('Where Office 365 hands all outbound Internet mail to (the service\'s host names).'),
    certificateCheck: z.enum(['any', 'ca-issued', 'ca-issued-with-name']).describe('How Office 365 checks the gateway\'s certificate: any (EncryptionOnly), CA-issued (CertificateValidation), CA-issued with a name (DomainValidation + TlsDomain).'),
    certificateName: CertificateNameSchema.optional().describe('TlsDomain for "ca-issued-with-name".'),
  })
  .describe('A filtering or archiving service that all outbound Internet mail goes through (an outbound connector for every domain, "*", by smart host).');
export type OutboundGateway = z.infer<typeof OutboundGatewaySchema>;

export const OwnServerSchema = z
  .object({
    name: NameSchema.describe('A short label, e.g. "EX2013" or "Postfix gateway". Used in connector names.'),
    kind: ServerKindSchema,
    hostNames: z.array(HostSchema).max(MAX_LIST).describe('Public host names Office 365 delivers to (the smart hosts of the connector from Office 365).'),
    publicIps: z.array(IpRangeSchema).max(MAX_LIST).describe('Public IPv4 addresses or CIDR ranges (/24 to /32) Office 365 sees the server send from.'),
    certificateName: CertificateNameSchema.optional().describe('The name on the certificate the server sends with (TlsSenderCertificateName, TlsDomain). Should be an accepted domain or covered by a wildcard of one.'),
    domains: z.array(DomainSchema).max(MAX_LIST).describe('Domains whose mailboxes live on this server; empty means all accepted domains.'),
    exchangeVersion: ExchangeVersionSchema.optional().describe('For Exchange 2010 or later: which version. Exchange Online throttles and then blocks mail from out-of-support or unpatched servers over the OnPremises connector. Leave out if unknown (the plan then asks).'),
  })
  .describe('One of your own (on-premises) mail servers.');
export type OwnServer = z.infer<typeof OwnServerSchema>;

export const PartnerSchema = z
  .object({
    name: NameSchema.describe('The partner organisation, e.g. "ContosoBank". Used in actor ids `partner:<name>` and connector names.'),
    domains: z.array(DomainSchema).min(1).max(MAX_LIST).describe('The partner\'s mail domains, e.g. ["contosobank.com"].'),
    requireTlsInbound: z.boolean().describe('Mail FROM the partner must arrive over TLS (inbound Partner connector with RequireTls).'),
    requireTlsOutbound: z.boolean().describe('Mail TO the partner must leave over TLS (outbound Partner connector with TlsSettings).'),
    certificateCheck: z
      .enum(['any', 'ca-issued', 'ca-issued-with-name'])
      .describe('How Office 365 checks the partner\'s certificate when sending to it: any certificate (EncryptionOnly), CA-issued (CertificateValidation), CA-issued with a given name (DomainValidation + TlsDomain).'),
    certificateName: CertificateNameSchema.optional().describe('TlsDomain for "ca-issued-with-name": the name that must be on the partner\'s receiving certificate.'),
    senderCertificateName: CertificateNameSchema.optional().describe('The name on the certificate the partner sends with; when set, mail from the partner is restricted to it (RestrictDomainsToCertificate).'),
    ipRanges: z.array(IpRangeSchema).max(MAX_LIST).describe('IPv4 addresses or ranges the partner sends from; when set (and no sender certificate), mail from the partner is restricted to them.'),
    smartHosts: z.array(SmartHostSchema).max(MAX_LIST).describe('Where to deliver mail to the partner; empty means by the partner\'s MX records.'),
  })
  .describe('A business partner you exchange mail with under security restrictions (Table 1, partner row).');
export type Partner = z.infer<typeof PartnerSchema>;

export const DeviceSchema = z
  .object({
    name: NameSchema.describe('E.g. "Printer 3rd floor" or "Invoice app". Used in actor ids `device:<name>`.'),
    externalRecipients: z.boolean().describe('Must it send to people outside your organisation?'),
    staticPublicIp: PublicIpSchema.optional().describe('The static public IPv4 address it sends from, if it has one.'),
    certificateName: CertificateNameSchema.optional().describe('The name on a certificate it (or the server relaying for it) sends with, instead of a static IP.'),
    supportsTls12: z.boolean().describe('Can it use TLS 1.2 or later?'),
    supportsAuth: z.boolean().describe('Can it log in with a user name and password (SMTP AUTH)?'),
  })
  .describe('A printer, scanner or application that sends mail (it never receives).');
export type Device = z.infer<typeof DeviceSchema>;

export const ProfileSchema = z
  .object({
    $schema: z.string().max(2048).optional().describe('Optional pointer to profile.schema.json for editors.'),
    name: text(200).describe('The organisation or profile name.'),
    acceptedDomains: z.array(DomainSchema).max(MAX_LIST).describe('Accepted domains in Office 365. Set these up before any connector (the article\'s prerequisite).'),
    subscription: z.enum(['eop-standalone', 'exchange-online']).describe('Standalone Exchange Online Protection, or Exchange Online (Office 365 with Exchange Online).'),
    ownServers: z.array(OwnServerSchema).max(50).describe('Your own (on-premises) mail servers; empty if you have none.'),
    hybridWizardCompleted: z.boolean().describe('Has an Exchange hybrid deployment been completed with the Hybrid Configuration Wizard?'),
    mailboxes: z
      .enum(['all-cloud', 'split', 'all-own-servers'])
      .describe('Where the mailboxes are: all in Exchange Online, some in Exchange Online and some on your servers, or all on your servers (standalone EOP).'),
    mxPointsTo: z.enum(['office365', 'own-server']).describe('Where your MX records point. The article assumes Office 365 ("All Internet email is delivered via Office 365").'),
    partners: z.array(PartnerSchema).max(50),
    devices: z.array(DeviceSchema).max(100),
    centralizedTransport: z.boolean().optional().describe('Centralised mail transport (hybrid): Exchange Online sends all outbound Internet mail through your own server (RouteAllMessagesViaOnPremises on the connector to it). Default false.'),
    sharedDomains: z.array(DomainSchema).max(MAX_LIST).optional().describe('Accepted domains with mailboxes both in Exchange Online and on your own servers (shared address space): Office 365 must relay mail for unknown recipients in them to your server (accepted domain type InternalRelay).'),
    outboundGateway: OutboundGatewaySchema.optional(),
  })
  .strict()
  .superRefine((profile, ctx) => {
    // Names become actor ids (`partner:<name>`, `device:<name>`) and connector names: they must be unique.
    for (const key of ['ownServers', 'partners', 'devices'] as const) {
      const seen = new Set<string>();
      profile[key].forEach((item, index) => {
        const name = item.name.toLowerCase();
        if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [key, index, 'name'], message: `the name "${item.name}" is used twice; names must be unique` });
        seen.add(name);
      });
    }
  })
  .describe('An organisation profile for `mailflow-doctor plan`.');
export type Profile = z.infer<typeof ProfileSchema>;

/**
 * Ids and codes are written into Markdown, HTML and PowerShell comments: a
 * plan read back from JSON may carry only these characters in them.
 */
export const SafeIdSchema = z.string().min(1).max(120).regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens only');
export const SafeCodeSchema = z.string().min(1).max(80).regex(/^[A-Z][A-Z0-9_]*$/, 'upper-case letters, digits and underscores only');

/** `office365`, `own-server`, `partner:<name>`, `device:<name>`. */
export const ConnectorEndSchema = z.string().describe('`office365`, `own-server`, `partner:<name>` or `device:<name>`.');
/** `john`, `bob`, `sun`, `partner:<name>`, `device:<name>`. */
export const ActorSchema = z.string().describe('`john` (a mailbox on your own server), `bob` (a mailbox in Exchange Online), `sun` (someone on the Internet), `partner:<name>`, `device:<name>`.');

export const ConnectorTypeSchema = z.enum(['OnPremises', 'Partner']);
export const TlsSettingsSchema = z.enum(['EncryptionOnly', 'CertificateValidation', 'DomainValidation']);
export type TlsSettings = z.infer<typeof TlsSettingsSchema>;

/**
 * A connector as a typed value: what it is for and how it checks mail.
 * The PowerShell parameters, the Markdown and the diagram's labels are all
 * written from this; nothing reads a connector back from its cmdlet
 * parameters or its name.
 */
export const InboundSpecSchema = z.object({
  direction: z.literal('inbound'),
  type: ConnectorTypeSchema,
  /** SenderDomains; `*` for every domain (own servers and relaying devices). */
  senderDomains: z.array(z.string().max(253)).max(100_000),
  /** SenderIPAddresses: IPv4 addresses or /24 to /32 ranges. */
  senderIpAddresses: z.array(z.string().max(64)).max(100_000),
  /** TlsSenderCertificateName: the name on the certificate the sender presents. */
  senderCertificateName: z.string().max(253).optional(),
  requireTls: z.boolean(),
  restrictDomainsToIpAddresses: z.boolean(),
  restrictDomainsToCertificate: z.boolean(),
  treatMessagesAsInternal: z.boolean(),
  cloudServicesMailEnabled: z.boolean(),
});
export const OutboundSpecSchema = z.object({
  direction: z.literal('outbound'),
  type: ConnectorTypeSchema,
  /** RecipientDomains; `*` only for an outbound gateway that takes all Internet mail. */
  recipientDomains: z.array(z.string().max(253)).max(100_000),
  /** UseMXRecord: deliver by the recipient domain's MX instead of to SmartHosts. */
  useMxRecord: z.boolean(),
  /** SmartHosts, when not delivering by MX. */
  smartHosts: z.array(z.string().max(253)).max(1000),
  /** TlsSettings; absent means opportunistic TLS (no certificate check, TLS not required). */
  tlsSettings: TlsSettingsSchema.optional(),
  /** TlsDomain: the name the receiving certificate must have (DomainValidation only). */
  tlsDomain: z.string().max(253).optional(),
  routeAllMessagesViaOnPremises: z.boolean(),
  cloudServicesMailEnabled: z.boolean(),
});
export const ConnectorSpecSchema = z.discriminatedUnion('direction', [InboundSpecSchema, OutboundSpecSchema]);
export type InboundSpec = z.infer<typeof InboundSpecSchema>;
export type OutboundSpec = z.infer<typeof OutboundSpecSchema>;
export type ConnectorSpec = z.infer<typeof ConnectorSpecSchema>;

export const PlannedConnectorSchema = z.object({
  /** Stable id within a plan, e.g. `in-own-ex2013`, `out-partner-contosobank`. */
  id: SafeIdSchema,
  /** The -Name to give it (at most 64 characters). */
  name: z.string(),
  from: ConnectorEndSchema,
  to: ConnectorEndSchema,
  /** Whom it serves: the own server, partner or device it is for (labels come from this, never from the name). */
  serves: ActorRefSchema,
  /** What the connector is: direction, type, domains, addresses, certificate names, TLS. */
  spec: ConnectorSpecSchema,
  /** The article's words, e.g. "From: Your organization's email server, To: Office 365". */
  fromToText: z.string(),
  cmdlet: z.enum(['New-InboundConnector', 'New-OutboundConnector']),
  /** The spec as cmdlet parameters (without -Name): strings, booleans, string arrays. A rendering of `spec`. */
  parameters: z.record(z.string(), z.unknown()),
  reason: z.string(),
  /** The article's table row that required it. */
  rule: z.string(),
  optional: z.boolean(),
  /**
   * `you`: create it (the script does). `hybrid-wizard`: the Hybrid Configuration
   * Wizard made it; listed so flows and the gap analysis can find it; never created by the script.
   */
  createdBy: z.enum(['you', 'hybrid-wizard']),
  /** Name of the imported connector that matches it, when an import was given and one matched. */
  existing: z.string().optional(),
  /** Why the imported connector was taken as this one ("matched because …"). */
  matchedBecause: z.string().optional(),
  powershell: z.string(),
});
export type PlannedConnector = z.infer<typeof PlannedConnectorSchema>;

/**
 * - `covered`: the flow needs connectors, connectors were imported, and each
 *   needed one exists, is enabled and has no failing gap.
 * - `connector-missing`: the flow needs a connector you have not shown to exist:
 *   with no import, every flow that needs a connector you must create is here
 *   (planned, not yet present); with an import, one is absent, disabled or wrong.
 * - `no-connector-needed`: mail flows without any connector.
 * - `not-possible`: this flow cannot work with the chosen set-up (e.g. direct send to an external recipient).
 * - `tls-failing`: a diagnostic result (TlsObservation) says TLS to a hop of this flow fails.
 * - `not-checked`: connectors made by the Hybrid Configuration Wizard are needed and no import was given to verify them.
 */
export const FlowStatusSchema = z.enum(['covered', 'connector-missing', 'no-connector-needed', 'not-possible', 'tls-failing', 'not-checked']);
export type FlowStatus = z.infer<typeof FlowStatusSchema>;

export const FlowSchema = z.object({
  from: ActorSchema,
  to: ActorSchema,
  /** The hops, in words, e.g. ["John's server", "Office 365", "Internet"]. */
  path: z.array(z.string()),
  /** Ids of the planned connectors this flow needs (empty when none). */
  connectors: z.array(SafeIdSchema),
  status: FlowStatusSchema,
  explanation: z.string(),
  fix: z.string().optional(),
  evidence: z.array(z.string()),
});
export type Flow = z.infer<typeof FlowSchema>;

export const GapSchema = z.object({
  /** Stable upper-case code, e.g. `CONNECTOR_MISSING`. */
  code: SafeCodeSchema,
  severity: z.enum(['info', 'warn', 'fail']),
  /** The planned connector id or existing connector name it is about. */
  subject: z.string(),
  message: z.string(),
  fix: z.string(),
});
export type Gap = z.infer<typeof GapSchema>;

/** Diagnostic results fed to the planner as plain data (e.g. from the SMTP probe). */
export const TlsObservationSchema = z.object({
  /** `own-server`, `partner:<name>` or a host name (matched against own servers' and partners' host names). */
  target: z.string().max(300),
  ok: z.boolean(),
  code: z.string().max(100).optional(),
  message: z.string().max(2000),
});
export type TlsObservation = z.infer<typeof TlsObservationSchema>;

/**
 * A connector read from `Get-InboundConnector` / `Get-OutboundConnector | ConvertTo-Json`,
 * normalised: AddressSpace strings become plain domains (`smtp:*;1` → `*`),
 * enums become their names, dates ISO strings.
 */
const ExistingCommon = {
  name: z.string(),
  enabled: z.boolean(),
  connectorType: z.enum(['Partner', 'OnPremises']),
  /** `Default`, `HybridWizard`, `Migrated`, `AdminUI` or another value as exported. */
  connectorSource: z.string(),
  comment: z.string(),
  cloudServicesMailEnabled: z.boolean(),
  whenCreatedUtc: z.string().optional(),
  whenChangedUtc: z.string().optional(),
  /** The file it came from and its index there, for messages. */
  source: z.string(),
  /** What the importer had to assume (e.g. an enum given as a number). */
  importNotes: z.array(z.string()),
};
export const ExistingInboundSchema = z.object({
  direction: z.literal('inbound'),
  ...ExistingCommon,
  senderDomains: z.array(z.string()),
  senderIpAddresses: z.array(z.string()),
  requireTls: z.boolean(),
  restrictDomainsToIpAddresses: z.boolean(),
  restrictDomainsToCertificate: z.boolean(),
  tlsSenderCertificateName: z.string().optional(),
  treatMessagesAsInternal: z.boolean(),
});
export const ExistingOutboundSchema = z.object({
  direction: z.literal('outbound'),
  ...ExistingCommon,
  recipientDomains: z.array(z.string()),
  smartHosts: z.array(z.string()),
  useMxRecord: z.boolean(),
  tlsSettings: TlsSettingsSchema.optional(),
  tlsDomain: z.string().optional(),
  isTransportRuleScoped: z.boolean(),
  routeAllMessagesViaOnPremises: z.boolean(),
  allAcceptedDomains: z.boolean(),
  testMode: z.boolean(),
});
export const ExistingConnectorSchema = z.discriminatedUnion('direction', [ExistingInboundSchema, ExistingOutboundSchema]);
export type ExistingInbound = z.infer<typeof ExistingInboundSchema>;
export type ExistingOutbound = z.infer<typeof ExistingOutboundSchema>;
export type ExistingConnector = z.infer<typeof ExistingConnectorSchema>;

/** One accepted domain from `Get-AcceptedDomain | ConvertTo-Json`, normalised. */
export const ExistingAcceptedDomainSchema = z.object({
  domainName: z.string(),
  /** `Authoritative`, `InternalRelay` or `ExternalRelay`. */
  domainType: z.string(),
  source: z.string(),
  importNotes: z.array(z.string()),
});
export type ExistingAcceptedDomain = z.infer<typeof ExistingAcceptedDomainSchema>;

/** An accepted-domain setting the plan needs (shared address space: InternalRelay). */
export const AcceptedDomainChangeSchema = z.object({
  domain: z.string(),
  domainType: z.literal('InternalRelay'),
  reason: z.string(),
  /** The domain's type in the imported accepted-domain export, when one was given. */
  current: z.string().optional(),
  powershell: z.string(),
});
export type AcceptedDomainChange = z.infer<typeof AcceptedDomainChangeSchema>;

export const DecisionSchema = z.object({
  /** The table row, e.g. "Table 2, row: Exchange 2013/2010 + Exchange Online, no hybrid". */
  rule: z.string(),
  text: z.string(),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const DeviceRecommendationSchema = z.object({
  device: z.string(),
  option: z.enum(['smtp-auth', 'direct-send', 'smtp-relay']),
  reason: z.string(),
  requirements: z.array(z.string()),
  /** False when a requirement is not met by the answers (e.g. relay with no static IP or certificate). */
  feasible: z.boolean(),
});
export type DeviceRecommendation = z.infer<typeof DeviceRecommendationSchema>;

export const TlsRequirementSchema = z.object({
  /** `own-server` or `partner:<name>`. */
  target: z.string(),
  setting: TlsSettingsSchema,
  /** The planned connector that sets it. */
  connector: SafeIdSchema,
});
export type TlsRequirement = z.infer<typeof TlsRequirementSchema>;

export const PlanSchema = z.object({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  profileName: z.string(),
  /** True when existing connectors were imported and compared (decides `covered` vs `connector-missing`). */
  existingImported: z.boolean(),
  decisions: z.array(DecisionSchema),
  connectors: z.array(PlannedConnectorSchema),
  flows: z.array(FlowSchema),
  gaps: z.array(GapSchema),
  findings: z.array(FindingSchema),
  deviceRecommendations: z.array(DeviceRecommendationSchema),
  /**
   * The TLS Office 365 will insist on towards each target it delivers to
   * (from the planned outbound connector): what a probe of that target is
   * judged against. Targets without an entry get opportunistic TLS.
   */
  tlsRequirements: z.array(TlsRequirementSchema).default([]),
  /** Accepted domains whose type must change (shared address space → InternalRelay). */
  acceptedDomainChanges: z.array(AcceptedDomainChangeSchema).default([]),
});
export type Plan = z.infer<typeof PlanSchema>;
