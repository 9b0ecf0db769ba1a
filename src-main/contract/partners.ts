import { z } from 'zod';

/**
 * The partner TLS onboarding workbench (issue 9): the partner list, the
 * answer per partner and the run's summary.
 *
 * `PartnerResultSchema` is a stable interface: it is the object of each line
 * of `mailflow-doctor partners --format jsonl` (and of `--format json`'s
 * `partners` array). Fields are only ever added; `schemaVersion` changes when
 * a field changes meaning.
 */
export const PARTNER_SCHEMA_VERSION = 1 as const;

export const PARTNER_LIMITS = {
  /** Partners in one list (one import, one run). */
  partners: 20_000,
  /** Bytes of an imported file or pasted text. */
  importBytes: 8 * 1024 * 1024,
  /** Characters of one imported line; longer lines are rejected, not parsed. */
  lineLength: 4_096,
  /** Rejections listed one by one; beyond, only counted. */
  rejectionsListed: 1_000,
  /** Characters of a name, contact or notes field. */
  fieldLength: 200,
  /** Checks kept per partner in the register. */
  historyPerPartner: 20,
  /** Partners connected to at once. */
  maxConcurrency: 64,
} as const;

export const PartnerDirectionSchema = z.enum(['inbound', 'outbound', 'both']);
export type PartnerDirection = z.infer<typeof PartnerDirectionSchema>;

/** One partner of the list, as imported (domain in ASCII, lower case). */
export const PartnerEntrySchema = z.object({
  domain: z.string().min(1).max(253),
  /** The domain as people write it (IDN in Unicode); same as `domain` when ASCII. */
  domainUnicode: z.string().max(253),
  name: z.string().max(PARTNER_LIMITS.fieldLength).optional(),
  /** The TlsDomain the bank wants to require (DomainValidation); optional. */
  tlsDomain: z.string().max(253).optional(),
  direction: PartnerDirectionSchema,
  contact: z.string().max(PARTNER_LIMITS.fieldLength).optional(),
  notes: z.string().max(PARTNER_LIMITS.fieldLength).optional(),
  /** Line of the import the partner came from (the first, when merged). */
  line: z.number().int().nonnegative(),
});
export type PartnerEntry = z.infer<typeof PartnerEntrySchema>;

export const ImportRejectionSchema = z.object({
  line: z.number().int().nonnegative(),
  /** The line as read, control characters made visible, shortened. Untrusted text. */
  text: z.string(),
  reason: z.string(),
});
export type ImportRejection = z.infer<typeof ImportRejectionSchema>;

export const PartnerImportSchema = z.object({
  format: z.enum(['csv', 'text', 'profile']),
  partners: z.array(PartnerEntrySchema),
  rejected: z.array(ImportRejectionSchema),
  /** Rejections beyond `PARTNER_LIMITS.rejectionsListed`, counted only. */
  rejectedNotListed: z.number().int().nonnegative(),
  /** Lines naming a domain already in the list (merged into the first). */
  duplicatesMerged: z.number().int().nonnegative(),
  /** Problems with the whole input (wrong delimiter, binary data). */
  warnings: z.array(z.string()),
});
export type PartnerImport = z.infer<typeof PartnerImportSchema>;

// ---------------------------------------------------------------- answers

/** One word per partner; the words in `PARTNER_STATUS_WORDS`. */
export const PartnerStatusSchema = z.enum(['ready', 'ready-with-warnings', 'not-ready', 'unreachable', 'no-mail']);
export type PartnerStatus = z.infer<typeof PartnerStatusSchema>;

export const PARTNER_STATUS_WORDS: Readonly<Record<PartnerStatus, string>> = {
  ready: 'Ready',
  'ready-with-warnings': 'Ready with warnings',
  'not-ready': 'Not ready',
  unreachable: 'Unreachable',
  'no-mail': 'No mail',
};

/** The ways a partner connector can be set, outbound and inbound. */
export const ReadinessSettingSchema = z.enum(['EncryptionOnly', 'CertificateValidation', 'DomainValidation', 'TlsSenderCertificateName', 'SenderIPAddresses']);
export type ReadinessSetting = z.infer<typeof ReadinessSettingSchema>;
export const READINESS_SETTINGS = ReadinessSettingSchema.options;

/** One MX address's own verdict for a setting (each host keeps its reason). */
export const HostVerdictSchema = z.object({
  host: z.string(),
  address: z.string(),
  verdict: z.enum(['pass', 'fail', 'unknown']),
  reason: z.string(),
});

export const SettingReadinessSchema = z.object({
  direction: z.enum(['outbound', 'inbound']),
  /** pass: a connector with this setting would work for every MX; not-applicable: the partner's direction does not use it. */
  verdict: z.enum(['pass', 'fail', 'unknown', 'not-applicable']),
  /** The value that would pass: TlsDomain, TlsSenderCertificateName, or the ranges joined by ", ". */
  value: z.string().optional(),
  /** SenderIPAddresses: the IPv4 ranges (/24 to /32). */
  values: z.array(z.string()).optional(),
  reason: z.string(),
  fix: z.string(),
  /** NDR Exchange Online would give (e.g. `450 4.7.320`). */
  ndr: z.string().optional(),
  hosts: z.array(HostVerdictSchema),
});
export type SettingReadiness = z.infer<typeof SettingReadinessSchema>;

export const PartnerCertificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  daysLeft: z.number(),
  /** SAN DNS names and CN of the leaf. */
  names: z.array(z.string()),
  /** trusted / self-signed / untrusted-root / missing-intermediate / expired ... */
  summary: z.string(),
  /** 'public' or 'extra' (a --ca-file CA), when the chain is trusted. */
  trustAnchorSource: z.string().optional(),
});
export type PartnerCertificate = z.infer<typeof PartnerCertificateSchema>;

/** The MX result a partner's answer used (shared between partners of the same host). */
export const PartnerMxResultSchema = z.object({
  host: z.string(),
  preference: z.number(),
  address: z.string(),
  port: z.number(),
  /** The server greeted (220). */
  reached: z.boolean(),
  /** The stage that failed first (connect, banner, ehlo, starttls, tls, ...), if any. */
  failedStage: z.string().optional(),
  /** What went wrong at that stage, in words (untrusted server text escaped). */
  failure: z.string().optional(),
  starttls: z.boolean(),
  tlsVersion: z.string().nullable(),
  certificate: PartnerCertificateSchema.nullable(),
  /** Certificates of the chain as sent (leaf first): subject, issuer, days left. */
  chain: z.array(z.object({ subject: z.string(), issuer: z.string(), validTo: z.string(), daysLeft: z.number() })),
  dane: z.enum(['none', 'match', 'mismatch', 'unauthenticated']),
  /** Connect timed out: counted for "port 25 is blocked from here". */
  connectTimedOut: z.boolean(),
});
export type PartnerMxResult = z.infer<typeof PartnerMxResultSchema>;

export const PartnerMessageSchema = z.object({
  subject: z.string(),
  markdown: z.string(),
  text: z.string(),
});
export type PartnerMessage = z.infer<typeof PartnerMessageSchema>;

export const PartnerResultSchema = z.object({
  schemaVersion: z.literal(PARTNER_SCHEMA_VERSION),
  domain: z.string(),
  domainUnicode: z.string(),
  name: z.string().optional(),
  direction: PartnerDirectionSchema,
  tlsDomain: z.string().optional(),
  contact: z.string().optional(),
  status: PartnerStatusSchema,
  /** `status` in words: Ready, Ready with warnings, Not ready, Unreachable, No mail. */
  statusWords: z.string(),
  /** One line: why this status. */
  summary: z.string(),
  /** Warnings behind "Ready with warnings" and problems behind "Not ready". */
  problems: z.array(z.string()),
  /** Days until the first certificate of any MX expires (negative: expired); null when none was read. */
  daysToExpiry: z.number().nullable(),
  checkedAt: z.string(),
  elapsedMs: z.number(),
  readiness: z.object({
    EncryptionOnly: SettingReadinessSchema,
    CertificateValidation: SettingReadinessSchema,
    DomainValidation: SettingReadinessSchema,
    TlsSenderCertificateName: SettingReadinessSchema,
    SenderIPAddresses: SettingReadinessSchema,
  }),
  /** DNS problems (MX lookup failed, host without address); words. */
  dns: z.array(z.string()),
  mx: z.array(PartnerMxResultSchema),
  /** For partners not ready (and ready with warnings): what to send them. */
  message: PartnerMessageSchema.nullable(),
});
export type PartnerResult = z.infer<typeof PartnerResultSchema>;

export const PartnerRunSummarySchema = z.object({
  total: z.number(),
  done: z.number(),
  counts: z.record(PartnerStatusSchema, z.number()),
  /** Partners whose first certificate expires within the window (days). */
  expiringSoon: z.number(),
  expiryWindowDays: z.number(),
  cancelled: z.boolean(),
  /** Set when the run stopped early because port 25 looks blocked from here. */
  stoppedBecause: z.string().optional(),
  /** SMTP connections made (one per MX host/address/port and run). */
  probes: z.number(),
  /** Partner answers that reused an MX result probed for another partner. */
  probesReused: z.number(),
  elapsedMs: z.number(),
});
export type PartnerRunSummary = z.infer<typeof PartnerRunSummarySchema>;

// ---------------------------------------------------------------- the register (watching)

/** One past check of a partner, as the register keeps it (small: the full answer is kept for the last check only). */
export const PartnerCheckSchema = z.object({
  checkedAt: z.string(),
  status: PartnerStatusSchema,
  daysToExpiry: z.number().nullable(),
  summary: z.string().max(300),
  /** `host validTo` of each MX's leaf certificate: a change means the certificate was renewed or replaced. */
  certificates: z.array(z.string().max(400)).max(20),
});
export type PartnerCheck = z.infer<typeof PartnerCheckSchema>;

export const PartnerChangeSchema = z.object({
  kind: z.enum(['first-check', 'newly-failing', 'fixed', 'certificate-renewed', 'status-changed', 'unchanged']),
  words: z.string(),
  /** For newly failing: since when. */
  since: z.string().optional(),
});
export type PartnerChange = z.infer<typeof PartnerChangeSchema>;

export const PartnerRecordSchema = z.object({
  entry: PartnerEntrySchema,
  /** Newest first, at most `PARTNER_LIMITS.historyPerPartner`. */
  history: z.array(PartnerCheckSchema).max(PARTNER_LIMITS.historyPerPartner),
  /** The last full answer (without its message, which is recomposed from it). */
  last: PartnerResultSchema.nullable(),
  /** What changed at the last check. */
  change: PartnerChangeSchema.optional(),
  /** When the partner last passed (Ready or Ready with warnings). */
  lastPassedAt: z.string().optional(),
  /** Since when it fails (the first failing check of the current run of failures). */
  failingSince: z.string().optional(),
});
export type PartnerRecord = z.infer<typeof PartnerRecordSchema>;

// ---------------------------------------------------------------- the app's channels (see api.ts)

/** A partner as the Partners screen lists it: the register's entry with its last check. */
export const PartnerRowSchema = z.object({
  domain: z.string(),
  domainUnicode: z.string(),
  name: z.string().optional(),
  direction: PartnerDirectionSchema,
  tlsDomain: z.string().optional(),
  contact: z.string().optional(),
  status: PartnerStatusSchema.optional(),
  statusWords: z.string().optional(),
  summary: z.string().optional(),
  daysToExpiry: z.number().nullable(),
  checkedAt: z.string().optional(),
  change: PartnerChangeSchema.optional(),
  lastPassedAt: z.string().optional(),
  failingSince: z.string().optional(),
});
export type PartnerRow = z.infer<typeof PartnerRowSchema>;

const DomainListSchema = z.array(z.string().trim().min(1).max(253)).max(5_000);

export const PartnersImportInputSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('text'), fileName: z.string().max(512).optional(), text: z.string().max(PARTNER_LIMITS.importBytes, `the list is larger than ${PARTNER_LIMITS.importBytes / 1024 / 1024} MB`) }),
  z.object({ source: z.literal('profile'), profileName: z.string().trim().min(1).max(200) }),
]);
export const PartnersImportResultSchema = z.object({
  added: z.number(),
  updated: z.number(),
  rejected: z.array(ImportRejectionSchema),
  rejectedNotListed: z.number(),
  duplicatesMerged: z.number(),
  warnings: z.array(z.string()),
});
export type PartnersImportResult = z.infer<typeof PartnersImportResultSchema>;

export const PartnersListResultSchema = z.object({
  rows: z.array(PartnerRowSchema),
  /** Partners whose first certificate expires within the window (or has expired), soonest first. */
  expiring: z.array(PartnerRowSchema),
  expiryWindowDays: z.number(),
});

export const PartnersRunInputSchema = z.object({
  jobId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** all: every partner of the register; failing: those not ready at their last check; selected: `domains`. */
  scope: z.enum(['all', 'failing', 'selected']),
  domains: DomainListSchema.default([]),
});

/** Streamed during `partners:run`: one per partner answered. */
export const PartnerRunEventSchema = z.object({
  jobId: z.string(),
  done: z.number(),
  total: z.number(),
  notReady: z.number(),
  row: PartnerRowSchema,
});
export type PartnerRunEvent = z.infer<typeof PartnerRunEventSchema>;

export const PartnerExportFormatSchema = z.enum(['html', 'ps1', 'csv', 'jsonl', 'md']);
export type PartnerExportFormat = z.infer<typeof PartnerExportFormatSchema>;
export const PartnersExportInputSchema = z.object({ format: PartnerExportFormatSchema, domains: DomainListSchema.optional() });
export const PartnersGetResultSchema = z.object({ record: PartnerRecordSchema, message: PartnerMessageSchema.nullable() });
export { DomainListSchema as PartnerDomainListSchema };
