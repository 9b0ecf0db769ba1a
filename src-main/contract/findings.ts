import { z } from 'zod';
import { FINDING_AREAS, SEVERITIES, type FindingArea, type Severity } from './finding-order';

/**
 * Findings: the one shape every check, probe and plan reports in.
 *
 * A finding's `code` is stable (users search for it, scripts match on it);
 * its wording may improve over time. Severities, areas and the order of
 * findings are plain values in ./finding-order.ts (the engine uses them at run
 * time without building schemas).
 */
export const SeveritySchema = z.enum(SEVERITIES);
/** Areas group findings in reports, in this order. */
export const FindingAreaSchema = z.enum(FINDING_AREAS);
export type { FindingArea, Severity };

export const FindingSchema = z.object({
  /** Stable upper-case code, e.g. `SPF_TOO_MANY_LOOKUPS`. */
  code: z.string().regex(/^[A-Z0-9_]+$/),
  severity: SeveritySchema,
  area: FindingAreaSchema,
  /** The domain, host or host:port the finding is about. */
  subject: z.string(),
  /** One line, specific to this case. */
  message: z.string(),
  /** Why it matters, in plain words. */
  explanation: z.string(),
  /** What to do about it. */
  fix: z.string(),
  /** What was seen: records, replies, certificate fields (untrusted text, shown as text). */
  evidence: z.array(z.string()),
});
export type Finding = z.infer<typeof FindingSchema>;
