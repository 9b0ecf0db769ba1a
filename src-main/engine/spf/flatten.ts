import type { DnsRecord, RecordType } from '../../contract/dns';
import { isAbsentOutcome, isFailedOutcome } from '../dns/answers';
import type { Resolver } from '../dns/resolver';
import { networkText, parseSpfAddress } from './address';
import { isQueryableName, SPF_LIMITS } from './check-host';
import { hasMacros } from './macros';
import { isSpfRecord, parseSpfRecord, type SpfMechanism } from './record';

/**
 * "Which addresses send for this domain?": the IPv4 and IPv6 ranges a
 * domain's SPF authorises (ip4/ip6, a, mx, through include and redirect),
 * for an inbound partner connector's SenderIPAddresses. What cannot be
 * turned into ranges (exists, ptr, macros, +all, failed lookups) is listed
 * with the reason, never silently dropped.
 */
export interface SpfRange {
  /** `192.0.2.0/24`, `2001:db8::/32`. */
  readonly range: string;
  readonly version: 4 | 6;
  /** Where it comes from: the domains and terms that lead to it. */
  readonly via: readonly string[];
}

export interface SpfUnflattenable {
  readonly domain: string;
  readonly term: string;
  readonly reason: string;
}

export interface FlattenedSpf {
  readonly domain: string;
  readonly ipv4: readonly SpfRange[];
  readonly ipv6: readonly SpfRange[];
  /** Terms whose addresses cannot be listed; when not empty, the ranges are not the whole story. */
  readonly notFlattened: readonly SpfUnflattenable[];
  /** True when every pass term became ranges. */
  readonly complete: boolean;
  /** DNS-querying terms met (include, a, mx, ptr, exists, redirect); receivers stop at 10. */
  readonly lookups: number;
  /** IPv4 ranges as Exchange Online takes them in SenderIPAddresses (masks /24 to /32, no IPv6). */
  readonly connector: { readonly senderIpAddresses: readonly string[]; readonly unusable: readonly { readonly range: string; readonly reason: string }[] };
}

export interface FlattenOptions {
  readonly resolver: Resolver;
  readonly signal?: AbortSignal;
}

/** Records followed at most (includes and redirects), whatever the records say. */
const MAX_RECORDS = 40;

interface Walk {
  readonly resolver: Resolver;
  readonly signal?: AbortSignal;
  readonly ranges: Map<string, SpfRange>;
  readonly notFlattened: SpfUnflattenable[];
  lookups: number;
  records: number;
}

async function records(walk: Walk, name: string, type: RecordType): Promise<{ records: DnsRecord[]; problem?: string }> {
  const answer = await walk.resolver.query(name, type, walk.signal ? { signal: walk.signal } : undefined);
  if (isFailedOutcome(answer.outcome)) return { records: [], problem: `the ${type} lookup of ${name} failed (${answer.outcome}${answer.error ? `: ${answer.error}` : ''})` };
  if (isAbsentOutcome(answer.outcome)) return { records: [] };
  return { records: answer.records.filter((r) => r.type === type) };
}

function addRange(walk: Walk, address: string, prefix: number, via: readonly string[]): void {
  const parsed = parseSpfAddress(address);
  if (!parsed) return;
  const range = `${networkText(parsed, prefix)}/${prefix}`;
  if (!walk.ranges.has(range)) walk.ranges.set(range, { range, version: parsed.version, via });
}

async function addHostAddresses(walk: Walk, host: string, mechanism: Extract<SpfMechanism, { kind: 'a' | 'mx' }>, via: readonly string[], domain: string): Promise<void> {
  const [v4, v6] = await Promise.all([records(walk, host, 'A'), records(walk, host, 'AAAA')]);
  for (const problem of [v4.problem, v6.problem]) if (problem) walk.notFlattened.push({ domain, term: mechanism.text, reason: problem });
  for (const r of [...v4.records, ...v6.records]) {
    if (r.type === 'A') addRange(walk, r.address, mechanism.cidr4, via);
    if (r.type === 'AAAA') addRange(walk, r.address, mechanism.cidr6, via);
  }
}

async function flattenDomain(walk: Walk, domain: string, via: readonly string[], seen: ReadonlySet<string>): Promise<void> {
  walk.records += 1;
  if (walk.records > MAX_RECORDS) {
    walk.notFlattened.push({ domain, term: via[via.length - 1] ?? domain, reason: `more than ${MAX_RECORDS} records followed; stopped here` });
    return;
  }
  const txt = await records(walk, domain, 'TXT');
  if (txt.problem) { walk.notFlattened.push({ domain, term: via[via.length - 1] ?? domain, reason: txt.problem }); return; }
  const spf = txt.records.flatMap((r) => (r.type === 'TXT' ? [r.strings.join('')] : [])).filter(isSpfRecord);
  const term = via[via.length - 1] ?? domain;
  if (spf.length !== 1) {
    walk.notFlattened.push({ domain, term, reason: spf.length === 0 ? `${domain} has no SPF record` : `${domain} has ${spf.length} SPF records (a permanent error for receivers)` });
    return;
  }
  const parsed = parseSpfRecord(spf[0]!);
  if (!parsed.ok) { walk.notFlattened.push({ domain, term, reason: `the record is not valid SPF: ${parsed.reason}` }); return; }
  let sawException = false;
  for (const mechanism of parsed.record.mechanisms) {
    const here = [...via, `${domain}: ${mechanism.text}`];
    if (mechanism.kind !== 'all' && mechanism.kind !== 'ip4' && mechanism.kind !== 'ip6') walk.lookups += 1;
    if (mechanism.kind === 'all') {
      if (mechanism.qualifier === '+') walk.notFlattened.push({ domain, term: mechanism.text, reason: '"+all" authorises every address on the internet; there is no range to list' });
      return; // nothing after "all" is ever evaluated, nor is redirect
    }
    if (mechanism.qualifier !== '+') {
      // Fail/softfail/neutral terms do not authorise; ranges listed after them are listed whole.
      sawException = true;
      continue;
    }
    if (sawException) walk.notFlattened.push({ domain, term: mechanism.text, reason: 'an earlier fail/softfail/neutral term carves exceptions out of this range; the range is listed whole' });
    if (mechanism.kind === 'ptr') { walk.notFlattened.push({ domain, term: mechanism.text, reason: 'ptr authorises by reverse DNS of each client, not by address' }); continue; }
    if (mechanism.kind === 'exists') { walk.notFlattened.push({ domain, term: mechanism.text, reason: 'exists authorises by a DNS answer for each message, not by address' }); continue; }
    if ('domainSpec' in mechanism && mechanism.domainSpec !== undefined && hasMacros(mechanism.domainSpec)) {
      walk.notFlattened.push({ domain, term: mechanism.text, reason: 'uses macros: its target depends on each message (sender, client address)' });
      continue;
    }
    const target = 'domainSpec' in mechanism && mechanism.domainSpec !== undefined ? mechanism.domainSpec.replace(/\.$/, '').toLowerCase() : domain;
    switch (mechanism.kind) {
      case 'ip4': case 'ip6': addRange(walk, mechanism.network, mechanism.prefix, here); break;
      case 'a': if (isQueryableName(target)) await addHostAddresses(walk, target, mechanism, here, domain); break;
      case 'mx': {
        if (!isQueryableName(target)) break;
        const mx = await records(walk, target, 'MX');
        if (mx.problem) { walk.notFlattened.push({ domain, term: mechanism.text, reason: mx.problem }); break; }
        const hosts = mx.records.flatMap((r) => (r.type === 'MX' && r.exchange !== '' ? [r.exchange] : []));
        if (hosts.length > SPF_LIMITS.mxNames) { walk.notFlattened.push({ domain, term: mechanism.text, reason: `${target} has ${hosts.length} MX records; receivers return a permanent error over ${SPF_LIMITS.mxNames}` }); break; }
        await Promise.all(hosts.map((h) => addHostAddresses(walk, h, mechanism, [...here, `MX ${h}`], domain)));
        break;
      }
      case 'include':
        if (seen.has(target)) { walk.notFlattened.push({ domain, term: mechanism.text, reason: `${target} is already being followed (a loop)` }); break; }
        await flattenDomain(walk, target, here, new Set([...seen, target]));
        break;
    }
  }
  const redirect = parsed.record.redirect;
  if (redirect !== undefined) {
    walk.lookups += 1;
    const term = `redirect=${redirect}`;
    if (hasMacros(redirect)) { walk.notFlattened.push({ domain, term, reason: 'uses macros: its target depends on each message' }); return; }
    const target = redirect.replace(/\.$/, '').toLowerCase();
    if (seen.has(target)) { walk.notFlattened.push({ domain, term, reason: `${target} is already being followed (a loop)` }); return; }
    await flattenDomain(walk, target, [...via, `${domain}: ${term}`], new Set([...seen, target]));
  }
}

/** Ranges in address order, IPv4 first. */
function byAddress(a: SpfRange, b: SpfRange): number {
  const x = parseSpfAddress(a.range.split('/')[0]!)!;
  const y = parseSpfAddress(b.range.split('/')[0]!)!;
  for (let i = 0; i < x.bytes.length; i++) if (x.bytes[i] !== y.bytes[i]) return x.bytes[i]! - y.bytes[i]!;
  return Number(a.range.split('/')[1]) - Number(b.range.split('/')[1]);
}

/** The ranges the SPF of `domain` authorises (flattened), with what could not be flattened. */
export async function flattenSpf(domain: string, options: FlattenOptions): Promise<FlattenedSpf> {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  const walk: Walk = { resolver: options.resolver, ...(options.signal ? { signal: options.signal } : {}), ranges: new Map(), notFlattened: [], lookups: 0, records: 0 };
  await flattenDomain(walk, name, [], new Set([name]));
  const all = [...walk.ranges.values()];
  const ipv4 = all.filter((r) => r.version === 4).sort(byAddress);
  const ipv6 = all.filter((r) => r.version === 6).sort(byAddress);
  if (walk.lookups > SPF_LIMITS.dnsMechanisms) {
    walk.notFlattened.push({ domain: name, term: '(whole record)', reason: `${walk.lookups} DNS-querying terms: receivers stop at the ${SPF_LIMITS.dnsMechanisms}th with a permanent error, so senders only matched after it fail SPF today` });
  }
  const senderIpAddresses = ipv4.filter((r) => Number(r.range.split('/')[1]) >= 24).map((r) => (r.range.endsWith('/32') ? r.range.slice(0, -3) : r.range));
  const unusable = [
    ...ipv4.filter((r) => Number(r.range.split('/')[1]) < 24).map((r) => ({ range: r.range, reason: 'wider than /24: SenderIPAddresses takes masks /24 to /32 only (split it into /24 ranges, or use TlsSenderCertificateName instead)' })),
    ...ipv6.map((r) => ({ range: r.range, reason: 'IPv6: SenderIPAddresses takes IPv4 only' })),
  ];
  return { domain: name, ipv4, ipv6, notFlattened: walk.notFlattened, complete: walk.notFlattened.length === 0, lookups: walk.lookups, connector: { senderIpAddresses, unusable } };
}
