/**
 * Severities and areas of findings, and the one ordering of findings shared
 * by the engine, the reports, the CLI, the handlers and the renderer (it used
 * to be written out four times).
 *
 * Plain values, no schema library: the engine and the command line's probe
 * import these at run time, and a module here that builds zod schemas would
 * make every `mailflow-doctor probe` compile zod first (findings.ts builds the
 * schemas from these lists).
 */
export const SEVERITIES = ['ok', 'info', 'warn', 'fail'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Areas group findings in reports, in this order. */
export const FINDING_AREAS = [
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
] as const;
export type FindingArea = (typeof FINDING_AREAS)[number];

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { ok: 0, info: 1, warn: 2, fail: 3 };

const AREA_INDEX: ReadonlyMap<FindingArea, number> = new Map(FINDING_AREAS.map((area, index) => [area, index]));

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
export function sortFindings<F extends { readonly severity: Severity; readonly area: FindingArea }>(findings: readonly F[]): F[] {
  return [...findings].sort((a, b) => bySeverity(a, b) || (AREA_INDEX.get(a.area) ?? 0) - (AREA_INDEX.get(b.area) ?? 0));
}

/** A copy of `findings`, worst first, otherwise in their order (reports list every area together). */
export function sortBySeverity<F extends { readonly severity: Severity }>(findings: readonly F[]): F[] {
  return [...findings].sort(bySeverity);
}
