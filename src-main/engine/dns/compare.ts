import type { Resolver } from './resolver';
import type { DnsAnswer } from '../../contract/dns';
import { isFailedOutcome } from './answers';

/** One place where two resolvers disagree. */
export interface ResolverDifference {
  readonly name: string;
  readonly type: 'MX' | 'A' | 'AAAA';
  readonly first: readonly string[];
  readonly second: readonly string[];
  readonly firstOutcome: string;
  readonly secondOutcome: string;
}

export interface ResolverComparison {
  readonly first: string;
  readonly second: string;
  readonly differences: readonly ResolverDifference[];
  /** Every name/type compared, for the report. */
  readonly compared: readonly string[];
}

function values(answer: DnsAnswer): string[] {
  return answer.records.map((r) => {
    if (r.type === 'MX') return `${r.preference} ${r.exchange}`;
    if (r.type === 'A' || r.type === 'AAAA') return r.address;
    return '';
  }).sort();
}

/**
 * Split DNS: asks two resolvers for the domain's MX and the addresses of every
 * MX host either of them names (and of the domain itself), all at once, and
 * lists where they disagree. Hybrid set-ups break this way: the inside view
 * points at the on-premises server, the outside at Office 365.
 */
export async function compareResolvers(
  domain: string,
  first: { readonly label: string; readonly resolver: Resolver },
  second: { readonly label: string; readonly resolver: Resolver },
): Promise<ResolverComparison> {
  const differences: ResolverDifference[] = [];
  const compared: string[] = [];
  const compare = async (name: string, type: 'MX' | 'A' | 'AAAA'): Promise<[DnsAnswer, DnsAnswer]> => {
    const pair = await Promise.all([first.resolver.query(name, type), second.resolver.query(name, type)]);
    compared.push(`${name} ${type}`);
    const [a, b] = [values(pair[0]), values(pair[1])];
    // "no record" and "no such name" agree (both empty); a failure on one side does not.
    if (isFailedOutcome(pair[0].outcome) !== isFailedOutcome(pair[1].outcome) || a.join('|') !== b.join('|')) {
      differences.push({ name, type, first: a, second: b, firstOutcome: pair[0].outcome, secondOutcome: pair[1].outcome });
    }
    return pair;
  };
  const addressPairs = (host: string): Promise<unknown> => Promise.all([compare(host, 'A'), compare(host, 'AAAA')]);
  await Promise.all([
    compare(domain, 'MX').then(async ([a, b]) => {
      const hosts = new Set([...a.records, ...b.records].flatMap((r) => (r.type === 'MX' && r.exchange !== '' ? [r.exchange] : [])));
      await Promise.all([...hosts].map(addressPairs));
    }),
    addressPairs(domain),
  ]);
  differences.sort((x, y) => x.name.localeCompare(y.name) || x.type.localeCompare(y.type));
  return { first: first.label, second: second.label, differences, compared: compared.sort() };
}
