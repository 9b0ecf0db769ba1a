import { z } from 'zod';

/**
 * Findings: the one shape every check, probe and plan reports in.
 *
 * A finding's `code` is stable (users search for it, scripts match on it);
 * its wording may improve over time.
 */
export const SeveritySchema = z.enum(['ok', 'info', 'warn', 'fail']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Areas group findings in reports, in this order. */
export const FindingAreaSchema = z.enum([
  'dns',
  'mx',
  'spf',
  'dmarc',
  'dkim',
  'autodiscover',
  'mta-sts',
  'tls-rpt',
  'dane',
  'reverse-dns',
  'smtp',
  'tls',
  'certificate',
  'connector',
  'plan',
]);
export type FindingArea = z.infer<typeof FindingAreaSchema>;

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

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { ok: 0, info: 1, warn: 2, fail: 3 };

/**
 * The one ordering of findings, shared by the engine, the reports, the CLI,
 * the handlers and the renderer (it used to be written out four times).
 */
const AREA_INDEX: ReadonlyMap<FindingArea, number> = new Map(FindingAreaSchema.options.map((area, index) => [area, index]));

/** Worst first: fail, warn, info, ok. For `Array.prototype.sort`. */
export function bySeverity(a: { readonly severity: Severity }, b: { readonly severity: Severity }): number {
  return SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity];
}

/** The worst severity among `findings`; `ok` when there are none. */
export function worstSeverity(findings: ReadonlyArray<{ readonly severity: Severity }>): Severity {
  let worst: Severity = 'ok';
  for (const finding of findings) if (SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER[worst]) worst = finding.severity;
  return worst;
}

/** A copy of `findings`, worst first (issue 8: a person reads the worst first), then by area in the contract's order (a stable sort). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => bySeverity(a, b) || (AREA_INDEX.get(a.area) ?? 0) - (AREA_INDEX.get(b.area) ?? 0));
}

/** A copy of `findings`, worst first, otherwise in their order (reports list every area together). */
export function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(bySeverity);
}
