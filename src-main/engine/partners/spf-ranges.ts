import type { Resolver } from '../dns/resolver';
import { flattenSpf } from '../spf/flatten';

/**
 * The IP ranges a partner's SPF record authorises: what an inbound partner
 * connector's SenderIPAddresses can be restricted to. The walk is the RFC 7208
 * evaluator's `flattenSpf` (engine/spf), the one SPF parser of the product;
 * this adapter only puts its answer in the workbench's words, and stays
 * behind the `FlattenSpf` type so a run can take another implementation.
 */
export interface SpfRanges {
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  /** False when part of the policy could not be turned into ranges. */
  readonly complete: boolean;
  readonly problems: readonly string[];
}

export type FlattenSpf = (domain: string) => Promise<SpfRanges>;

/** A /32 or /128 range as the address alone, as connectors and people write it. */
const plain = (range: string): string => range.replace(/\/(32|128)$/, '');

export function createSpfFlattener(resolver: Resolver, signal?: AbortSignal): FlattenSpf {
  return async (domain) => {
    const flat = await flattenSpf(domain, { resolver, ...(signal ? { signal } : {}) });
    return {
      ipv4: flat.ipv4.map((r) => plain(r.range)),
      ipv6: flat.ipv6.map((r) => plain(r.range)),
      complete: flat.complete,
      // A problem of the whole record names no term; one of a term names it (quoted: it is the partner's text).
      problems: flat.notFlattened.map((n) => (n.term === n.domain || n.term.startsWith('(') ? n.reason : `${n.domain}: "${n.term}": ${n.reason}`)),
    };
  };
}
