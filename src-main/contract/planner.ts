import { z } from 'zod';
import { FindingSchema } from './findings';

/**
 * The planner's data: an organisation profile in, a plan out.
 *
 * SKELETON (owner: planner work, issue 4): names agreed with the UI and the
 * issue's `--format json` interface; refine (limits, refinements, docs), keep names.
 */
export const PLAN_SCHEMA_VERSION = 1;

export const ServerKindSchema = z.enum(['exchange-2010-or-later', 'exchange-2007-or-earlier', 'non-microsoft']);

export const OwnServerSchema = z.object({
  name: z.string(),
  kind: ServerKindSchema,
  hostNames: z.array(z.string()),
  /** Public IPv4 addresses or CIDR ranges (/24 to /32) Office 365 sees the server send from. */
  publicIps: z.array(z.string()),
  /** The name on the certificate the server sends with (TlsSenderCertificateName). */
  certificateName: z.string().optional(),
  /** Domains whose mailboxes live on this server. */
  domains: z.array(z.string()),
});

export const PartnerSchema = z.object({
  name: z.string(),
  domains: z.array(z.string()),
  requireTlsInbound: z.boolean(),
  requireTlsOutbound: z.boolean(),
  /** How Office 365 checks the partner's certificate when sending to it. */
  certificateCheck: z.enum(['any', 'ca-issued', 'ca-issued-with-name']),
  /** TlsDomain for 'ca-issued-with-name'. */
  certificateName: z.string().optional(),
  /** The name on the certificate the partner sends with. */
  senderCertificateName: z.string().optional(),
  ipRanges: z.array(z.string()),
  /** Smart hosts; empty means deliver by the partner's MX. */
  smartHosts: z.array(z.string()),
});

export const DeviceSchema = z.object({
  name: z.string(),
  externalRecipients: z.boolean(),
  staticPublicIp: z.string().optional(),
  supportsTls12: z.boolean(),
  supportsAuth: z.boolean(),
});

export const ProfileSchema = z.object({
  name: z.string(),
  acceptedDomains: z.array(z.string()),
  subscription: z.enum(['eop-standalone', 'exchange-online']),
  ownServers: z.array(OwnServerSchema),
  hybridWizardCompleted: z.boolean(),
  mailboxes: z.enum(['all-cloud', 'split', 'all-own-servers']),
  mxPointsTo: z.enum(['office365', 'own-server']),
  partners: z.array(PartnerSchema),
  devices: z.array(DeviceSchema),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** `office365`, `own-server`, `partner:<name>`, `device:<name>`. */
export const ConnectorEndSchema = z.string();
/** `john`, `bob`, `sun`, `partner:<name>`, `device:<name>`. */
export const ActorSchema = z.string();

export const PlannedConnectorSchema = z.object({
  id: z.string(),
  name: z.string(),
  from: ConnectorEndSchema,
  to: ConnectorEndSchema,
  /** The article's words, e.g. "From: Your organization's email server, To: Office 365". */
  fromToText: z.string(),
  cmdlet: z.enum(['New-InboundConnector', 'New-OutboundConnector']),
  parameters: z.record(z.string(), z.unknown()),
  reason: z.string(),
  /** The article's table row that required it. */
  rule: z.string(),
  optional: z.boolean(),
  powershell: z.string(),
});
export type PlannedConnector = z.infer<typeof PlannedConnectorSchema>;

export const FlowStatusSchema = z.enum(['covered', 'connector-missing', 'no-connector-needed', 'not-possible', 'tls-failing', 'not-checked']);
export type FlowStatus = z.infer<typeof FlowStatusSchema>;

export const FlowSchema = z.object({
  from: ActorSchema,
  to: ActorSchema,
  /** The hops, in words, e.g. ["John's server", "Office 365", "Internet"]. */
  path: z.array(z.string()),
  /** Ids of the planned connectors this flow needs (empty when none). */
  connectors: z.array(z.string()),
  status: FlowStatusSchema,
  explanation: z.string(),
  fix: z.string().optional(),
  evidence: z.array(z.string()),
});
export type Flow = z.infer<typeof FlowSchema>;

export const GapSchema = z.object({
  code: z.string(),
  severity: z.enum(['info', 'warn', 'fail']),
  /** The planned connector id or existing connector name it is about. */
  subject: z.string(),
  message: z.string(),
  fix: z.string(),
});
export type Gap = z.infer<typeof GapSchema>;

/** Diagnostic results fed to the planner as plain data (e.g. from the SMTP probe). */
export const TlsObservationSchema = z.object({
  /** `own-server`, `partner:<name>` or a host name. */
  target: z.string(),
  ok: z.boolean(),
  code: z.string().optional(),
  message: z.string(),
});

export const PlanSchema = z.object({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  profileName: z.string(),
  decisions: z.array(z.object({ rule: z.string(), text: z.string() })),
  connectors: z.array(PlannedConnectorSchema),
  flows: z.array(FlowSchema),
  gaps: z.array(GapSchema),
  findings: z.array(FindingSchema),
  deviceRecommendations: z.array(z.object({ device: z.string(), option: z.enum(['smtp-auth', 'direct-send', 'smtp-relay']), reason: z.string(), requirements: z.array(z.string()) })),
});
export type Plan = z.infer<typeof PlanSchema>;
