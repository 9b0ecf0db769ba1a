import { z } from 'zod';

/**
 * Message trace (issue 13): what `message:analyze` and `mailflow-doctor message`
 * say about one message or non-delivery report, from its headers alone.
 *
 * Everything here is derived from text someone pasted or dropped: every string
 * is untrusted and must be shown as text (the CLI escapes control characters,
 * the UI renders it as text nodes). Lists are capped by the engine
 * (see MESSAGE_LIMITS) so a hostile file cannot make the answer huge.
 */
export const MESSAGE_LIMITS = {
  /** Largest input taken, as bytes (a whole .eml or .msg with attachments). */
  inputBytes: 10 * 1024 * 1024,
  /** Header fields read from one message; the rest are ignored with a note. */
  headers: 2000,
  /** Longest header field kept (unfolded); longer ones are cut with a note. */
  headerChars: 16 * 1024,
  /** Received: fields turned into hops. */
  hops: 100,
  fileNameLength: 512,
} as const;

/** The base64 text of MESSAGE_LIMITS.inputBytes bytes, with a little room for line breaks. */
const MAX_BASE64_CHARS = Math.ceil(MESSAGE_LIMITS.inputBytes / 3) * 4 + 4096;

export const MessageInputSchema = z
  .object({
    /** Pasted text: raw headers, a whole message, or the text of a non-delivery report. */
    text: z.string().max(MESSAGE_LIMITS.inputBytes, 'the pasted text is larger than 10 MB; paste the headers only').optional(),
    /** A dropped file's bytes, base64 (an .eml or an Outlook .msg). */
    base64: z.string().max(MAX_BASE64_CHARS, 'the file is larger than 10 MB; save the message without its attachments, or paste its headers').optional(),
    fileName: z.string().trim().max(MESSAGE_LIMITS.fileNameLength).optional(),
  })
  .refine((input) => (input.text === undefined) !== (input.base64 === undefined), { message: 'give either the pasted text or a file, not both and not neither', path: ['text'] });
export type MessageInput = z.infer<typeof MessageInputSchema>;

export const MessageSeveritySchema = z.enum(['ok', 'info', 'warn', 'fail']);
export type MessageSeverity = z.infer<typeof MessageSeveritySchema>;

/** A note about the input itself (a header cut short, a date that does not parse, a part ignored). */
export const MessageNoteSchema = z.object({ severity: MessageSeveritySchema, message: z.string() });
export type MessageNote = z.infer<typeof MessageNoteSchema>;

/** How one hop was carried: encrypted (and how), in clear, or not known from the header. */
export const HopEncryptionSchema = z.object({
  state: z.enum(['tls', 'none', 'unknown', 'internal']),
  /** In words: "TLS 1.2 (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)", "no TLS (ESMTP)". */
  text: z.string(),
  /** TLS version when the header names it: `TLS1_2`, `TLSv1.3`. */
  version: z.string().optional(),
  cipher: z.string().optional(),
});
export type HopEncryption = z.infer<typeof HopEncryptionSchema>;

export const HopSchema = z.object({
  /** 1 = the first hop (the sender's side); Received: fields are read bottom-up. */
  index: z.number().int(),
  /** The host that handed the message over: its HELO name, with the reverse name and address when given. */
  from: z.string().optional(),
  fromIp: z.string().optional(),
  by: z.string().optional(),
  /** The protocol word: ESMTP, ESMTPS, ESMTPSA, SMTP, LMTP, mapi, "Microsoft SMTP Server". */
  with: z.string().optional(),
  id: z.string().optional(),
  for: z.string().optional(),
  /** ISO time from the field's date, when it parses. */
  time: z.string().optional(),
  /** Seconds since the previous hop; absent for the first hop or when a time is missing. */
  delaySeconds: z.number().optional(),
  /** True when this hop's time is earlier than the previous one's: clocks disagree (the delay is then 0). */
  clockSkew: z.boolean(),
  /** How far this hop's clock is behind the previous one's, in seconds, when `clockSkew`. */
  skewSeconds: z.number().optional(),
  encryption: HopEncryptionSchema,
  /** Where the receiving host is: inside Microsoft's datacentres, the organisation's own server, or elsewhere. */
  zone: z.enum(['microsoft', 'own-server', 'other']),
  /** Exchange's build from `id 15.2.1258.12`, when the receiving server is Exchange. */
  exchangeBuild: z.string().optional(),
  /** The raw field, unfolded, for the details view. */
  raw: z.string(),
});
export type Hop = z.infer<typeof HopSchema>;

/** Consecutive hops in one place, e.g. "Microsoft 365 datacentre (4 hops)". */
export const HopGroupSchema = z.object({ zone: HopSchema.shape.zone, label: z.string(), first: z.number().int(), last: z.number().int() });
export type HopGroup = z.infer<typeof HopGroupSchema>;

export const AuthMethodSchema = z.object({
  /** spf, dkim, dmarc, compauth, arc, … */
  method: z.string(),
  result: z.string(),
  /** pass / fail / neutral in one word, for colour. */
  verdict: z.enum(['pass', 'fail', 'neutral']),
  /** The result in a sentence. */
  text: z.string(),
  /** Property pairs as given: smtp.mailfrom, header.d, header.s, header.from, reason, action. */
  properties: z.record(z.string(), z.string()),
});
export type AuthMethod = z.infer<typeof AuthMethodSchema>;

export const AuthHeaderSchema = z.object({
  /** Authentication-Results, ARC-Authentication-Results, Received-SPF. */
  header: z.string(),
  /** The server that stamped it (authserv-id). */
  by: z.string().optional(),
  /** ARC instance (i=1, 2, …) for ARC-Authentication-Results. */
  instance: z.number().int().optional(),
  methods: z.array(AuthMethodSchema),
});
export type AuthHeader = z.infer<typeof AuthHeaderSchema>;

export const AuthenticationSchema = z.object({
  headers: z.array(AuthHeaderSchema),
  /** One line per method, from the newest Authentication-Results (the receiving organisation's). */
  summary: z.array(z.string()),
  /** DKIM signatures present (DKIM-Signature d= and s=), whether or not verified. */
  signatures: z.array(z.object({ domain: z.string(), selector: z.string() })),
});
export type Authentication = z.infer<typeof AuthenticationSchema>;

export const ExchangeOnlineSchema = z.object({
  /** Any X-MS-Exchange-* or X-Forefront-* header was found. */
  present: z.boolean(),
  authAs: z.string().optional(),
  authSource: z.string().optional(),
  directionality: z.string().optional(),
  crossTenant: z.record(z.string(), z.string()),
  scl: z.number().optional(),
  /** Fields of X-Forefront-Antispam-Report (CIP, CTRY, SFV, SCL, IPV, CAT, DIR, H, PTR, …). */
  antispam: z.record(z.string(), z.string()),
  bcl: z.number().optional(),
  /** How Exchange Online took the message in, in words. */
  attribution: z.object({
    kind: z.enum(['own-server-connector', 'partner-connector', 'anonymous', 'internal', 'unknown']),
    text: z.string(),
  }),
  /** Internal (the organisation's own mail) or external, as Exchange Online treated it. */
  treatedAs: z.enum(['internal', 'external', 'unknown']),
  /** The spam verdict in words, one line each (SFV, SCL, CAT, IPV, BCL). */
  verdict: z.array(z.string()),
  /** The antispam fields explained, one line each. */
  explained: z.array(z.object({ field: z.string(), value: z.string(), text: z.string() })),
});
export type ExchangeOnline = z.infer<typeof ExchangeOnlineSchema>;

export const ExchangeServerSchema = z.object({
  /** The server that stamped the build (the `by` host of its Received: field). */
  host: z.string(),
  build: z.string(),
  /** "Exchange Server 2019 CU13", "Exchange Online (Microsoft 365)". */
  product: z.string(),
  status: z.enum(['current', 'out-of-date', 'out-of-support', 'service', 'unknown']),
  text: z.string(),
  /** The hop index it was seen on. */
  hop: z.number().int(),
});
export type ExchangeServer = z.infer<typeof ExchangeServerSchema>;

export const NdrExplanationSchema = z.object({
  code: z.string(),
  title: z.string(),
  meaning: z.string(),
  /** The connector or setting involved, in words. */
  involves: z.string(),
  fix: z.string(),
  /** Where the table row comes from. */
  source: z.string(),
});
export type NdrExplanation = z.infer<typeof NdrExplanationSchema>;

export const NdrSchema = z.object({
  format: z.enum(['rfc3464', 'exchange-text']),
  /** The server that wrote the report (Reporting-MTA, "Generating server", "DSN generated by"). */
  generatingServer: z.string().optional(),
  /** The server whose reply caused it (Remote-MTA, "Remote server"), when named. */
  remoteServer: z.string().optional(),
  recipients: z.array(z.object({ address: z.string(), status: z.string().optional(), action: z.string().optional(), diagnostic: z.string().optional() })),
  /** The enhanced status code the explanation is about (e.g. 5.7.64), or absent when none was found. */
  status: z.string().optional(),
  /** The remote server's reply, as quoted in the report. */
  reply: z.string().optional(),
  explanation: NdrExplanationSchema.optional(),
  /** The host to probe to confirm the cause (the smart host, the partner's MX), when one is known. */
  probe: z.object({ kind: z.enum(['host', 'domain']), target: z.string(), why: z.string() }).optional(),
});
export type Ndr = z.infer<typeof NdrSchema>;

/** One place on the John/Bob/Sun diagram the message passed. */
export const PathStepSchema = z.object({
  /** `john`, `bob`, `sun`, `partner:<name>`, `device:<name>`, or `own-server` / `office365` for the systems in between. */
  actor: z.string(),
  label: z.string(),
  /** Hop indexes attributed to this step. */
  hops: z.array(z.number().int()),
});

export const MessageFlagSchema = z.object({
  severity: MessageSeveritySchema,
  /** Stable upper-case code: ARRIVED_ANONYMOUSLY, HOP_WITHOUT_TLS, EXCHANGE_OUT_OF_SUPPORT, … */
  code: z.string(),
  message: z.string(),
  fix: z.string().optional(),
});
export type MessageFlag = z.infer<typeof MessageFlagSchema>;

export const MessagePathSchema = z.object({
  from: z.string(),
  to: z.string(),
  steps: z.array(PathStepSchema),
  /** The planned flow (`from`→`to`) it matches, when a plan was given. */
  flow: z.object({ from: z.string(), to: z.string(), status: z.string() }).optional(),
  /** The connector the headers say it used, in words. */
  connectorUsed: z.string().optional(),
  /** The planned connector(s) it should have used, by name. */
  connectorExpected: z.array(z.string()),
  /** How the actors were recognised (which IP, domain or header). */
  evidence: z.array(z.string()),
});
export type MessagePath = z.infer<typeof MessagePathSchema>;

export const MessageAnalysisSchema = z.object({
  source: z.object({
    kind: z.enum(['eml', 'msg', 'headers', 'ndr-text']),
    fileName: z.string().optional(),
    bytes: z.number().int(),
  }),
  subject: z.string().optional(),
  from: z.string().optional(),
  to: z.array(z.string()),
  date: z.string().optional(),
  messageId: z.string().optional(),
  notes: z.array(MessageNoteSchema),
  hops: z.array(HopSchema),
  hopGroups: z.array(HopGroupSchema),
  /** First to last hop, seconds (skewed steps count as 0). */
  totalSeconds: z.number().optional(),
  authentication: AuthenticationSchema,
  exchange: ExchangeOnlineSchema,
  exchangeServers: z.array(ExchangeServerSchema),
  ndr: NdrSchema.optional(),
  /** The message on the diagram, when a profile was given and the ends were recognised. */
  path: MessagePathSchema.optional(),
  /** Where reality differs from the plan, and other problems worth a look. */
  flags: z.array(MessageFlagSchema),
});
export type MessageAnalysis = z.infer<typeof MessageAnalysisSchema>;

/** A delay in words, for the CLI and the UI alike: "42 s", "3 min 5 s", "2 h 10 min". */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
