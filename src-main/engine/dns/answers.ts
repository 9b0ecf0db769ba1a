/**
 * Reading a DnsAnswer, the same way everywhere: the checks, the split-DNS
 * comparison and the CLI. One list of failure outcomes, so "the resolver did
 * not answer" and "there is no record" are never told apart two ways.
 */
const FAILED_OUTCOMES: ReadonlySet<string> = new Set(['timeout', 'servfail', 'refused', 'network-error']);

/** The resolver did not answer: never the same as "no such record". */
export function isFailedOutcome(outcome: string): boolean {
  return FAILED_OUTCOMES.has(outcome);
}

/** No record of that type, or no such name. */
export function isAbsentOutcome(outcome: string): boolean {
  return outcome === 'nodata' || outcome === 'nxdomain';
}
