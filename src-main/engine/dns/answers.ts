import type { DnsAnswer } from '../../contract/dns';

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

/** The A and AAAA addresses of the answers given, in order (answers not yet asked may be left out as undefined). */
export function addressesOf(...answers: readonly (DnsAnswer | undefined)[]): string[] {
  return answers.flatMap((a) => (a?.records ?? []).flatMap((r) => (r.type === 'A' || r.type === 'AAAA' ? [r.address] : [])));
}
