import { z } from 'zod';
import { FindingSchema, SeveritySchema } from './findings';
import { DnsRecordSchema } from './dns';
import { ProbeReportSchema } from './probe';

/**
 * The report of `mailflow-doctor check <domain>`: a stable interface (`--json`).
 *
 * SKELETON (owner: DNS/check work, issue 2): the top-level names are agreed
 * (issue text); extend, keep names. `probes` is filled by the SMTP work (issue 3).
 */
export const CHECK_SCHEMA_VERSION = 1;

export const MxEntrySchema = z.object({
  host: z.string(),
  preference: z.number(),
  addresses: z.array(z.string()),
  /** Set when `addresses` is empty because the lookup failed (e.g. a timeout), not because there is no address. */
  addressError: z.string().optional(),
  tlsa: z.array(DnsRecordSchema).default([]),
  probes: z.array(ProbeReportSchema).default([]),
});
export type MxEntry = z.infer<typeof MxEntrySchema>;

/** One TlsSettings value across the domain's MX hosts, walked in preference order. */
export const SettingVerdictSchema = z.object({
  verdict: z.enum(['pass', 'fail', 'unknown']),
  /** The first MX (host) in preference order that passes: where Exchange Online would deliver with this setting. */
  via: z.string().nullable(),
  /** Every probed address in preference order with its prediction for this setting. */
  hosts: z.array(z.object({ host: z.string(), address: z.string(), verdict: z.enum(['pass', 'fail', 'unknown']) })),
  /** The verdict in words. */
  text: z.string(),
});
export type SettingVerdict = z.infer<typeof SettingVerdictSchema>;

/** What happened at one MX address as a sending MTA walks the MX list. */
export const MxWalkStepSchema = z.object({
  host: z.string(),
  preference: z.number(),
  /** null when the host has no address (or was not probed). */
  address: z.string().nullable(),
  outcome: z.enum(['accepted', 'refused', 'timeout', 'unreachable', 'closed', 'rejected', 'no-greeting', 'no-address', 'not-probed']),
  /** In words, e.g. "refused the connection (ECONNREFUSED)". */
  detail: z.string(),
});
export type MxWalkStep = z.infer<typeof MxWalkStepSchema>;

/**
 * One delivery verdict per domain (issue 8), the first thing a report says:
 * will mail from Exchange Online be delivered, through which MX, encrypted or
 * not, would each TlsSettings pass, is validated TLS possible at all. Part of
 * the stable `--json` interface; `worst` drives the CLI's exit code, the app's
 * banner and History's severity.
 */
export const DeliveryVerdictSchema = z.object({
  /**
   * delivered: an MX accepts the SMTP session (the first one in preference order that does);
   * not-delivered: none does (mail queues, then bounces); accepts-no-mail: null MX, no MX and
   * no address, or no such domain; unknown: not probed, or every MX timed out from here.
   */
  delivery: z.enum(['delivered', 'not-delivered', 'accepts-no-mail', 'unknown']),
  via: z.object({ host: z.string(), address: z.string(), preference: z.number() }).nullable(),
  /** Every MX address in the order a sending MTA tries them, until one accepts. */
  mxWalk: z.array(MxWalkStepSchema),
  /** Whether the session through `via` is encrypted (TLS 1.2 or later). */
  encrypted: z.enum(['yes', 'no', 'unknown']),
  tlsSettings: z.object({
    EncryptionOnly: SettingVerdictSchema,
    CertificateValidation: SettingVerdictSchema,
    DomainValidation: SettingVerdictSchema,
  }),
  /** false: no MX can pass CertificateValidation; null: not known (nothing probed over TLS). */
  validatedTlsPossible: z.boolean().nullable(),
  /** The worst of the verdict and the findings. */
  worst: SeveritySchema,
  /** The verdict in words, headline first. */
  summary: z.array(z.string()),
});
export type DeliveryVerdict = z.infer<typeof DeliveryVerdictSchema>;

export const CheckReportSchema = z.object({
  schemaVersion: z.literal(CHECK_SCHEMA_VERSION),
  /** ASCII (punycode) form, as queried. */
  domain: z.string(),
  /** Unicode form as the user knows it (same as `domain` when ASCII). */
  domainUnicode: z.string(),
  startedAt: z.string(),
  elapsedMs: z.number(),
  resolver: z.string(),
  /** Absent only in reports saved before issue 8; every new report has it. */
  verdict: DeliveryVerdictSchema.optional(),
  /** Worst first. */
  findings: z.array(FindingSchema),
  mx: z.array(MxEntrySchema),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;

/** Live progress of a check or probe, for the UI and the CLI's spinner. */
export const ProgressEventSchema = z.object({
  jobId: z.string(),
  /** e.g. 'dns:MX', 'spf', 'smtp:mx1.contoso.com/192.0.2.1:banner'. */
  step: z.string(),
  status: z.enum(['started', 'done', 'failed']),
  detail: z.string().optional(),
  atMs: z.number(),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;
