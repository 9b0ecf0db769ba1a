import { z } from 'zod';
import { FindingSchema } from './findings';
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
  tlsa: z.array(DnsRecordSchema).default([]),
  probes: z.array(ProbeReportSchema).default([]),
});
export type MxEntry = z.infer<typeof MxEntrySchema>;

export const CheckReportSchema = z.object({
  schemaVersion: z.literal(CHECK_SCHEMA_VERSION),
  /** ASCII (punycode) form, as queried. */
  domain: z.string(),
  /** Unicode form as the user knows it (same as `domain` when ASCII). */
  domainUnicode: z.string(),
  startedAt: z.string(),
  elapsedMs: z.number(),
  resolver: z.string(),
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
