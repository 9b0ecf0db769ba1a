import type { Finding, FindingArea, Severity } from '../contract/findings';

/**
 * The catalogue entry behind a finding code: what it means and how to fix it,
 * written once, so every report of the code says the same thing.
 */
export interface FindingSpec {
  readonly code: string;
  readonly area: FindingArea;
  readonly severity: Severity;
  readonly explanation: string;
  readonly fix: string;
}

/** Declares a group of finding codes; the key is the code. */
export function defineFindings<K extends string>(
  specs: { readonly [P in K]: Omit<FindingSpec, 'code'> },
): { readonly [P in K]: FindingSpec } {
  const out: Partial<Record<K, FindingSpec>> = {};
  for (const code of Object.keys(specs) as K[]) out[code] = { code, ...specs[code] };
  return out as { readonly [P in K]: FindingSpec };
}

/** Makes one finding from its catalogue entry and the facts of this case. */
export function finding(
  spec: FindingSpec,
  subject: string,
  message: string,
  evidence: readonly string[] = [],
  overrides: { severity?: Severity; fix?: string } = {},
): Finding {
  return {
    code: spec.code,
    severity: overrides.severity ?? spec.severity,
    area: spec.area,
    subject,
    message,
    explanation: spec.explanation,
    fix: overrides.fix ?? spec.fix,
    evidence: [...evidence],
  };
}
