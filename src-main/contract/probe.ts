import { z } from 'zod';
import { FindingSchema } from './findings';

/**
 * One SMTP probe of one address of one host: stages, TLS, certificates,
 * transcript and Exchange Online connector predictions.
 *
 * SKELETON (owner: SMTP/TLS work, issue 3): field names here are the agreed
 * interface (they are the `--json` shape in the issue); flesh out, keep names.
 */
export const ProbeStageNameSchema = z.enum(['connect', 'banner', 'ehlo', 'starttls', 'tls', 'ehlo-tls', 'mail', 'rcpt', 'quit']);
export type ProbeStageName = z.infer<typeof ProbeStageNameSchema>;

export const ProbeStageSchema = z.object({
  name: ProbeStageNameSchema,
  status: z.enum(['ok', 'failed', 'skipped']),
  startMs: z.number(),
  durationMs: z.number(),
  detail: z.string().optional(),
});

export const CertificateInfoSchema = z.object({
  subject: z.string(),
  subjectAltNames: z.array(z.string()),
  issuer: z.string(),
  serialNumber: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  daysLeft: z.number(),
  keyType: z.string(),
  keyBits: z.number().optional(),
  signatureAlgorithm: z.string(),
  fingerprintSha256: z.string(),
  spkiSha256: z.string(),
});
export type CertificateInfo = z.infer<typeof CertificateInfoSchema>;

export const TranscriptLineSchema = z.object({
  /** Milliseconds since the probe started. */
  t: z.number(),
  direction: z.enum(['sent', 'received', 'event']),
  /** Non-printable bytes escaped (\xNN); shown as text, never as HTML. */
  text: z.string(),
});

export const TlsSettingSchema = z.enum(['EncryptionOnly', 'CertificateValidation', 'DomainValidation']);

export const ConnectorPredictionSchema = z.object({
  direction: z.enum(['outbound', 'inbound']),
  /** For outbound: the TlsSettings value; for inbound: 'TlsSenderCertificateName'. */
  setting: z.string(),
  verdict: z.enum(['pass', 'fail', 'unknown']),
  /** The NDR code the user would see, e.g. `450 4.4.317`. */
  ndr: z.string().optional(),
  reason: z.string(),
  fix: z.string(),
});
export type ConnectorPrediction = z.infer<typeof ConnectorPredictionSchema>;

export const ProbeReportSchema = z.object({
  host: z.string(),
  address: z.string(),
  port: z.number(),
  stages: z.array(ProbeStageSchema),
  starttls: z.boolean(),
  tls: z.object({ version: z.string(), cipher: z.string() }).nullable(),
  certificates: z.array(CertificateInfoSchema),
  transcript: z.array(TranscriptLineSchema),
  predictions: z.array(ConnectorPredictionSchema),
  findings: z.array(FindingSchema),
  elapsedMs: z.number(),
});
export type ProbeReport = z.infer<typeof ProbeReportSchema>;
