import type { DnsAnswer, RecordType } from '../../contract/dns';
import { isAbsentOutcome, isFailedOutcome } from '../dns/answers';

/** What every check gets: a query function that also records DNS failures, and the domain. */
export interface CheckContext {
  readonly domain: string;
  /**
   * `quiet`: a lookup made ahead of need (the DMARC tree walk asks all parent
   * names at once); its failure becomes a DNS finding only if the check then
   * hands it to `reportFailure`, because it turned out to matter.
   */
  query(name: string, type: RecordType, options?: { readonly quiet?: boolean }): Promise<DnsAnswer>;
  /** Records a failed quiet lookup as one the check needed (a DNS finding). */
  reportFailure(answer: DnsAnswer): void;
}

/** The resolver did not answer: never the same as "no such record". */
export function isFailure(answer: DnsAnswer): boolean {
  return isFailedOutcome(answer.outcome);
}

/** No record of that type, or no such name. */
export function isAbsent(answer: DnsAnswer): boolean {
  return isAbsentOutcome(answer.outcome);
}

/** TXT records as single texts (strings joined without separator, RFC 7208 §3.3). */
export function txtTexts(answer: DnsAnswer): string[] {
  return answer.records.flatMap((r) => (r.type === 'TXT' ? [r.strings.join('')] : []));
}

/** One line describing a DNS answer, for evidence. */
export function describeAnswer(answer: DnsAnswer): string[] {
  if (answer.outcome !== 'answer') {
    return [`${answer.name} ${answer.type}: ${outcomeWords(answer)}`];
  }
  const via = answer.cnameChain.length > 0 ? ` (via CNAME ${answer.cnameChain.join(' -> ')})` : '';
  return answer.records.map((r) => {
    switch (r.type) {
      case 'TXT': return `${r.name} TXT ${r.strings.map((s) => JSON.stringify(s)).join(' ')}${via}`;
      case 'MX': return `${r.name} MX ${r.preference} ${r.exchange || '.'}`;
      case 'A': case 'AAAA': return `${r.name} ${r.type} ${r.address}${via}`;
      case 'CNAME': case 'PTR': case 'NS': return `${r.name} ${r.type} ${r.target}`;
      case 'TLSA': return `${r.name} TLSA ${r.usage} ${r.selector} ${r.matchingType} ${r.data}`;
      case 'SOA': return `${r.name} SOA ${r.primary} ${r.admin} ${r.serial}`;
    }
  });
}

export function outcomeWords(answer: DnsAnswer): string {
  switch (answer.outcome) {
    case 'answer': return 'answered';
    case 'nodata': return 'no record of this type (NODATA)';
    case 'nxdomain': return 'name does not exist (NXDOMAIN)';
    case 'servfail': return `server failure${answer.error ? `: ${answer.error}` : ''}`;
    case 'refused': return 'the server refused the query (REFUSED)';
    // The resolver's own words say the deadline and the tries ("no answer within 10 s (tried twice, 20 s in all)").
    case 'timeout': return answer.error?.startsWith('no answer') ? answer.error : `no answer (timeout${answer.error ? `: ${answer.error}` : ''})`;
    case 'network-error': return `network error${answer.error ? `: ${answer.error}` : ''}`;
  }
}
