import { z } from 'zod';
import { FindingSchema } from './findings';
import { DnssecStatusSchema } from './dns';

/**
 * One SMTP probe of one address of one host: stages, TLS, certificates,
 * transcript and Exchange Online connector predictions.
 *
 * The field names are the agreed interface (the `--json` shape in issue 3):
 * host, address, port, stages[], starttls, tls, certificates[], transcript[],
 * predictions[], findings[], elapsedMs. Everything else was added beside them.
 */
export const ProbeStageNameSchema = z.enum(['connect', 'banner', 'ehlo', 'helo', 'mail', 'rcpt', 'rset', 'starttls', 'tls', 'ehlo-tls', 'quit']);
export type ProbeStageName = z.infer<typeof ProbeStageNameSchema>;

export const ProbeModeSchema = z.enum(['starttls', 'implicit-tls']);
export type ProbeMode = z.infer<typeof ProbeModeSchema>;

export const ProbeStageSchema = z.object({
  name: ProbeStageNameSchema,
  status: z.enum(['ok', 'failed', 'skipped']),
  /** Milliseconds since the probe started. */
  startMs: z.number(),
  durationMs: z.number(),
  /** e.g. the reply line, or what went wrong. Untrusted text. */
  detail: z.string().optional(),
});
export type ProbeStage = z.infer<typeof ProbeStageSchema>;

export const CertificateInfoSchema = z.object({
  subject: z.string(),
  /** DNS names and IP addresses, as `DNS:name` / `IP:address`. */
  subjectAltNames: z.array(z.string()),
  issuer: z.string(),
  serialNumber: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  daysLeft: z.number(),
  /** 'RSA', 'ECDSA', 'Ed25519', 'Ed448' or what the key says. */
  keyType: z.string(),
  keyBits: z.number().optional(),
  /** For ECDSA: the curve, e.g. prime256v1. */
  curve: z.string().optional(),
  /** e.g. sha256WithRSAEncryption, ecdsa-with-SHA256, or the OID when unknown. */
  signatureAlgorithm: z.string(),
  fingerprintSha256: z.string(),
  spkiSha256: z.string(),
  selfIssued: z.boolean(),
  isCa: z.boolean(),
});
export type CertificateInfo = z.infer<typeof CertificateInfoSchema>;

export const TranscriptLineSchema = z.object({
  /** Milliseconds since the probe started. */
  t: z.number(),
  direction: z.enum(['sent', 'received', 'event']),
  /** Non-printable bytes escaped (\xNN); shown as text, never as HTML. */
  text: z.string(),
});
export type TranscriptLine = z.infer<typeof TranscriptLineSchema>;

export const TlsSettingSchema = z.enum(['EncryptionOnly', 'CertificateValidation', 'DomainValidation']);
export type TlsSetting = z.infer<typeof TlsSettingSchema>;

/**
 * What a prediction reason is about, in the order Exchange Online meets them:
 * the connection, STARTTLS and the handshake, the TLS version, then the
 * certificate (chain, validity dates, key, signature), then the name, then
 * what comes after TLS (accepted domains, DANE).
 */
export const PredictionReasonKindSchema = z.enum([
  'connection', 'starttls', 'tls-version', 'chain', 'expiry', 'key', 'signature', 'name', 'accepted-domain', 'dane', 'input',
]);
export type PredictionReasonKind = z.infer<typeof PredictionReasonKindSchema>;

/** One reason a prediction fails (or cannot be told), with its own fix: an admin fixes them all in one go. */
export const PredictionReasonSchema = z.object({
  kind: PredictionReasonKindSchema,
  /** Exchange Online's word for it when there is one: UntrustedRoot, Expired, SubjectMismatch, ... */
  code: z.string().optional(),
  /** One sentence, specific to this server. */
  text: z.string(),
  fix: z.string(),
});
export type PredictionReason = z.infer<typeof PredictionReasonSchema>;

export const ConnectorPredictionSchema = z.object({
  direction: z.enum(['outbound', 'inbound']),
  /** Outbound: the TlsSettings value (or 'SmtpDaneMode'); inbound: 'TlsSenderCertificateName'. */
  setting: z.string(),
  verdict: z.enum(['pass', 'fail', 'unknown']),
  /** The NDR code the user would see, e.g. `450 4.4.317`. */
  ndr: z.string().optional(),
  /** Every reason in one text (the reasons' texts joined), or why it passes. */
  reason: z.string(),
  /** Every fix in one text (the reasons' fixes joined), or "Nothing to do.". */
  fix: z.string(),
  /**
   * Every reason that would fail this setting (or leave it unknown), in the
   * order Exchange Online would hit them, each with its fix. Empty on a pass.
   */
  reasons: z.array(PredictionReasonSchema).default([]),
});
export type ConnectorPrediction = z.infer<typeof ConnectorPredictionSchema>;

/**
 * The chain as built from the presented certificates plus the trust store.
 * 'invalid': a path to a trusted anchor exists but breaks a rule of path
 * validation (basicConstraints, keyUsage, extendedKeyUsage, path length,
 * name constraints, a signature): see `pathError`.
 */
export const ChainStatusSchema = z.enum(['trusted', 'self-signed', 'untrusted-root', 'incomplete', 'invalid']);
export type ChainStatus = z.infer<typeof ChainStatusSchema>;

/** One word for tables; the worst problem wins. */
export const CertificateSummarySchema = z.enum([
  'trusted', 'self-signed', 'untrusted-root', 'missing-intermediate', 'expired', 'not-yet-valid', 'hostname-mismatch', 'weak-key', 'sha1', 'expiring',
  'invalid-chain',
]);

/** Which certificate of the path broke which rule, as the path validator (OpenSSL) found it. */
export const PathErrorSchema = z.object({
  /** The validator's name for the rule: OpenSSL's X509_V_ERR_… without the prefix, e.g. INVALID_CA, INVALID_PURPOSE, PATH_LENGTH_EXCEEDED. */
  code: z.string(),
  /** Subject (one line) of the certificate that breaks it. */
  certificate: z.string(),
  /** Its place in the path: 0 the leaf, 1 its issuer, ... (the anchor last). */
  depth: z.number(),
  /** The rule, in words. */
  rule: z.string(),
});
export type PathError = z.infer<typeof PathErrorSchema>;

export const CertificateVerdictSchema = z.object({
  summary: CertificateSummarySchema,
  chain: ChainStatusSchema,
  /** Subject of the trust anchor the chain ended at, when trusted. */
  trustAnchor: z.string().optional(),
  /** 'public': Node's root store (what Exchange Online also trusts); 'extra': a --ca-file CA. */
  /** 'rehearsal': a --public-ca CA, treated as if Exchange Online trusted it. */
  trustAnchorSource: z.enum(['public', 'extra', 'rehearsal']).optional(),
  /** Issuer named by the last certificate when the chain is incomplete. */
  missingIssuer: z.string().optional(),
  hostnameChecked: z.string(),
  hostnameMatches: z.boolean(),
  expired: z.boolean(),
  notYetValid: z.boolean(),
  weakKey: z.boolean(),
  /** The shortest RSA key of the chain when it is under 2048 bits. */
  weakKeyBits: z.number().optional(),
  sha1Signature: z.boolean(),
  leafDaysLeft: z.number(),
  /** Set when chain is 'invalid'. */
  pathError: PathErrorSchema.optional(),
  /** Who validated the path, e.g. "OpenSSL 3.0.19 (Node's TLS)". */
  pathValidator: z.string().optional(),
});
export type CertificateVerdict = z.infer<typeof CertificateVerdictSchema>;

export const DaneResultSchema = z.object({
  usage: z.number(),
  selector: z.number(),
  matchingType: z.number(),
  data: z.string(),
  result: z.enum(['match', 'mismatch', 'ignored', 'unsupported']),
  detail: z.string(),
});
export type DaneResult = z.infer<typeof DaneResultSchema>;

export const CapabilitiesSchema = z.object({
  /** Every EHLO keyword line after the greeting line, as sent (untrusted text). */
  raw: z.array(z.string()),
  starttls: z.boolean(),
  size: z.number().nullable(),
  eightBitMime: z.boolean(),
  pipelining: z.boolean(),
  smtpUtf8: z.boolean(),
  chunking: z.boolean(),
  requireTls: z.boolean(),
  auth: z.array(z.string()),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const SmtpReplySummarySchema = z.object({ code: z.number(), text: z.string() });

/**
 * Why the probe stopped early, from the stage that actually failed: a 421 to
 * EHLO is a reply at 'ehlo', not "no STARTTLS"; a silent server is a timeout
 * at 'banner', not "connection closed". Predictions read their reason from it.
 */
export const ProbeFailureSchema = z.object({
  stage: ProbeStageNameSchema,
  /**
   * refused/timeout/unreachable/reset/closed: the network; reply: the server
   * answered with a code that ends the conversation (see `reply`); protocol:
   * something that is not SMTP; too-long: a reply beyond the reader's limits;
   * tls: the handshake failed; cancelled; error: anything else.
   */
  kind: z.enum(['refused', 'timeout', 'unreachable', 'reset', 'closed', 'reply', 'protocol', 'too-long', 'tls', 'cancelled', 'error']),
  reply: SmtpReplySummarySchema.optional(),
  /** What happened, in words (the finding's message). */
  detail: z.string(),
});
export type ProbeFailure = z.infer<typeof ProbeFailureSchema>;

export const AddressProbeReportSchema = z.object({
  host: z.string(),
  address: z.string(),
  port: z.number(),
  mode: ProbeModeSchema,
  stages: z.array(ProbeStageSchema),
  /** The server offered STARTTLS (in implicit-TLS mode: false, TLS came first). */
  starttls: z.boolean(),
  tls: z.object({ version: z.string(), cipher: z.string() }).nullable(),
  /** The chain as presented by the server, leaf first. */
  certificates: z.array(CertificateInfoSchema),
  certificateVerdict: CertificateVerdictSchema.nullable(),
  /** The first line of the 220 greeting. */
  banner: z.string().nullable(),
  /** The name the server gave in its banner / EHLO reply. */
  bannerHost: z.string().nullable(),
  ehloHost: z.string().nullable(),
  /** Before TLS (or, with implicit TLS, over it). */
  capabilities: CapabilitiesSchema.nullable(),
  /** After STARTTLS. */
  capabilitiesTls: CapabilitiesSchema.nullable(),
  /** The reply to RCPT TO when --rcpt was given. */
  rcptReply: SmtpReplySummarySchema.nullable(),
  dane: z.array(DaneResultSchema),
  /** Whether the TLSA records came with the resolver's DNSSEC AD bit; null when there were none. */
  daneAuthenticated: z.boolean().nullable(),
  /** The TLSA records' DNSSEC state: validated, proven insecure, or unknown (the resolver does not validate). Absent without TLSA records. */
  daneDnssec: DnssecStatusSchema.optional(),
  transcript: z.array(TranscriptLineSchema),
  transcriptTruncated: z.boolean(),
  predictions: z.array(ConnectorPredictionSchema),
  findings: z.array(FindingSchema),
  elapsedMs: z.number(),
  /**
   * Present when CA certificates were given with --public-ca (Settings: public
   * CA files for rehearsal): predictions treat them as if Exchange Online
   * trusted them, so this report is a rehearsal, not a prediction for real.
   */
  rehearsal: z.object({ publicCas: z.array(z.string()) }).optional(),
  /**
   * Does the server refuse mail before STARTTLS? From MAIL FROM / RCPT TO over
   * plain text (never DATA): with --mandatory-tls on the probe's own
   * connection; in the app, on a second connection made by default.
   */
  requiredTls: z.object({
    outcome: z.enum(['required', 'not-required', 'unknown']),
    /** The reply that decided it, as text. */
    detail: z.string(),
  }).optional(),
  /** Set when the probe stopped before its end: the stage that failed and how. */
  failure: ProbeFailureSchema.optional(),
});

export const ProbeReportSchema = AddressProbeReportSchema.extend({
  /**
   * The app's probe of a host name probes every address (at most a few, see
   * the engine's bounds): this report is the first address's, the others are
   * here, in the order probed. Absent when the host had one address.
   */
  otherAddresses: z.array(AddressProbeReportSchema).optional(),
});
export type ProbeReport = z.infer<typeof ProbeReportSchema>;
