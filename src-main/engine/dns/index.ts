/** The DNS layer: what checks, probes and the CLI import. */
export type { Resolver } from './resolver';
export { createResolver, parseServer, formatServer, type ResolverOptions } from './create-resolver';
export { normalizeDomain, type NormalizedDomain } from './domain';
export { compareResolvers, type ResolverComparison, type ResolverDifference } from './compare';
export { addressesOf, isAbsentOutcome, isFailedOutcome } from './answers';
