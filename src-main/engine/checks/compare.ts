import type { Finding } from '../../contract/findings';
import type { ResolverComparison } from '../dns/compare';
import { finding } from '../findings';
import { F } from './catalogue';

const show = (values: readonly string[], outcome: string): string => (values.length > 0 ? values.join(', ') : `(${outcome})`);

/** Split DNS as findings: one per name/type where the resolvers disagree. */
export function comparisonFindings(domain: string, comparison: ResolverComparison): Finding[] {
  if (comparison.differences.length === 0) {
    return [finding(F.DNS_RESOLVERS_AGREE, domain, `${comparison.first} and ${comparison.second} agree on the MX and addresses of ${domain}.`, comparison.compared)];
  }
  return comparison.differences.map((d) => finding(F.DNS_RESOLVERS_DISAGREE, d.name,
    `${comparison.first} and ${comparison.second} disagree on ${d.name} ${d.type}: ${show(d.first, d.firstOutcome)} vs ${show(d.second, d.secondOutcome)}.`,
    [`${comparison.first}: ${d.name} ${d.type} ${show(d.first, d.firstOutcome)}`, `${comparison.second}: ${d.name} ${d.type} ${show(d.second, d.secondOutcome)}`]));
}
