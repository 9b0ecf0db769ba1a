import { z } from 'zod';

/**
 * DNS data as the engine returns it and the UI shows it.
 *
 * The outcome keeps apart what users must never confuse: "there is no such
 * record" (nodata, nxdomain) and "the resolver did not answer" (timeout,
 * servfail, refused, network-error).
 */
export const RecordTypeSchema = z.enum(['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SOA', 'PTR', 'TLSA']);
export type RecordType = z.infer<typeof RecordTypeSchema>;

export const DnsOutcomeSchema = z.enum(['answer', 'nodata', 'nxdomain', 'servfail', 'refused', 'timeout', 'network-error']);
export type DnsOutcome = z.infer<typeof DnsOutcomeSchema>;

export const DnsRecordSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('A'), name: z.string(), ttl: z.number(), address: z.string() }),
  z.object({ type: z.literal('AAAA'), name: z.string(), ttl: z.number(), address: z.string() }),
  z.object({ type: z.literal('MX'), name: z.string(), ttl: z.number(), preference: z.number(), exchange: z.string() }),
  /** `strings` keeps the character-string boundaries; readers that take a record as one text join them with ''. */
  z.object({ type: z.literal('TXT'), name: z.string(), ttl: z.number(), strings: z.array(z.string()) }),
  z.object({ type: z.literal('CNAME'), name: z.string(), ttl: z.number(), target: z.string() }),
  z.object({ type: z.literal('NS'), name: z.string(), ttl: z.number(), target: z.string() }),
  z.object({ type: z.literal('PTR'), name: z.string(), ttl: z.number(), target: z.string() }),
  z.object({
    type: z.literal('SOA'), name: z.string(), ttl: z.number(),
    primary: z.string(), admin: z.string(), serial: z.number(), refresh: z.number(), retry: z.number(), expiration: z.number(), minimum: z.number(),
  }),
  z.object({
    type: z.literal('TLSA'), name: z.string(), ttl: z.number(),
    usage: z.number(), selector: z.number(), matchingType: z.number(), /** hex, lower case */ data: z.string(),
  }),
]);
export type DnsRecord = z.infer<typeof DnsRecordSchema>;
export type DnsRecordOf<T extends RecordType> = Extract<DnsRecord, { type: T }>;

export const DnssecStatusSchema = z.enum(['validated', 'insecure', 'unknown']);
export type DnssecStatus = z.infer<typeof DnssecStatusSchema>;

export const DnsAnswerSchema = z.object({
  /** The name as queried (ASCII / punycode, lower case, no trailing dot). */
  name: z.string(),
  type: RecordTypeSchema,
  outcome: DnsOutcomeSchema,
  /** Records of the asked type, after following any CNAME chain. */
  records: z.array(DnsRecordSchema),
  /** CNAME targets followed on the way, in order. */
  cnameChain: z.array(z.string()),
  /** The resolver set the AD bit: it vouched for the answer with DNSSEC. */
  authenticated: z.boolean(),
  /** The server set RA (it recurses); false from an authoritative-only server, which never validates. */
  recursionAvailable: z.boolean().optional(),
  /**
   * DNSSEC state of the answer, where a check judged it (TLSA): validated (AD
   * from the resolver), insecure (a resolver proven to validate did not set AD),
   * unknown (this resolver does not validate, so nothing was validated).
   */
  dnssec: DnssecStatusSchema.optional(),
  /** Which resolver answered, e.g. `127.0.0.1:5300` or a DoH URL. */
  server: z.string(),
  /** For failures: what went wrong, in words. */
  error: z.string().optional(),
  elapsedMs: z.number(),
});
export type DnsAnswer = z.infer<typeof DnsAnswerSchema>;
