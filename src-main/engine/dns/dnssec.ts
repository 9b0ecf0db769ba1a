import type { DnsAnswer, DnssecStatus } from '../../contract/dns';
import type { Resolver } from './resolver';

/**
 * Whether the resolver in use validates DNSSEC, so that a missing AD bit can
 * be read (issue 8, defect 4). An answer without AD means "the zone is not
 * signed" only from a validating resolver; from an authoritative-only server
 * (no RA) or a recursive resolver that does not validate it means nothing.
 *
 * The test: the root zone is signed, so a validating resolver sets AD on the
 * root's NS answer (asked with AD=1, RFC 6840 section 5.7). One lookup, made
 * only when an answer that matters (TLSA records) came without AD.
 */
export type ResolverValidation = 'validating' | 'not-validating' | 'not-recursive' | 'no-answer';

/** The root's NS set: signed since 2010, answered by every resolver. */
export const SIGNED_PROBE_NAME = '';

export function validationOf(rootAnswer: DnsAnswer): ResolverValidation {
  if (rootAnswer.authenticated) return 'validating';
  if (rootAnswer.outcome !== 'answer' && rootAnswer.outcome !== 'nodata') return 'no-answer';
  return rootAnswer.recursionAvailable === false ? 'not-recursive' : 'not-validating';
}

export async function resolverValidation(resolver: Pick<Resolver, 'query'>, signal?: AbortSignal): Promise<ResolverValidation> {
  return validationOf(await resolver.query(SIGNED_PROBE_NAME, 'NS', signal ? { signal } : undefined));
}

/** Validated (AD), proven insecure (a validating resolver did not set AD), or unknown: never a guess. */
export function dnssecStatus(answer: Pick<DnsAnswer, 'authenticated'>, validation: ResolverValidation | undefined): DnssecStatus {
  if (answer.authenticated) return 'validated';
  return validation === 'validating' ? 'insecure' : 'unknown';
}

/** Why the state is unknown, in words, for findings. */
export function validationWords(validation: ResolverValidation | undefined): string {
  switch (validation) {
    case 'not-recursive': return 'the DNS server used is authoritative-only (no RA flag): it does not validate DNSSEC';
    case 'not-validating': return 'the resolver used does not validate DNSSEC (it did not set AD even for the signed root zone)';
    case 'no-answer': return 'the resolver could not be tested for DNSSEC validation (no answer for the root zone)';
    case 'validating': return 'the resolver validates DNSSEC';
    default: return 'whether the resolver validates DNSSEC was not tested';
  }
}
