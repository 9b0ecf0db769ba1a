import type { Resolver } from '../dns/resolver';
import { addressesOf } from '../dns/answers';
import { isSpfRecord } from '../checks/spf';
import { isFailure, txtTexts } from '../checks/context';
import { sortedMx } from '../checks/mx';

/**
 * The IP ranges a domain's SPF record authorises: what an inbound partner
 * connector's SenderIPAddresses can be restricted to.
 *
 * A simple flatten (ip4, ip6, a, mx, include, redirect; 10 DNS lookups as
 * RFC 7208 §4.6.4 allows), kept behind the `FlattenSpf` type so the run takes
 * any implementation injected (the RFC 7208 evaluator's `flattenSpf` when the
 * project has one). Mechanisms it cannot turn into ranges (ptr, exists,
 * macros) make the answer incomplete, said in `problems`.
 */
export interface SpfRanges {
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  /** False when part of the policy could not be turned into ranges. */
  readonly complete: boolean;
  readonly problems: readonly string[];
  /** The domain's own SPF record, as published (untrusted text). */
  readonly record?: string;
}

export type FlattenSpf = (domain: string) => Promise<SpfRanges>;

const LOOKUP_LIMIT = 10;
const MAX_RANGES = 1000;

export function createSimpleSpfFlattener(resolver: Resolver, signal?: AbortSignal): FlattenSpf {
  const query = (name: string, type: 'TXT' | 'A' | 'AAAA' | 'MX') => resolver.query(name, type, signal ? { signal } : undefined);
  return async (domain) => {
    const ipv4 = new Set<string>();
    const ipv6 = new Set<string>();
    const problems: string[] = [];
    let lookups = 0;
    let complete = true;
    let rootRecord: string | undefined;
    const problem = (text: string): void => {
      complete = false;
      if (problems.length < 10 && !problems.includes(text)) problems.push(text);
    };
    const add = (address: string, prefix: string | undefined): void => {
      if (ipv4.size + ipv6.size >= MAX_RANGES) return problem(`more than ${MAX_RANGES} ranges; the rest were not listed`);
      const v6 = address.includes(':');
      const text = prefix ? `${address}/${prefix}` : address;
      (v6 ? ipv6 : ipv4).add(text);
    };
    const walk = async (name: string, depth: number): Promise<void> => {
      const answer = await query(name, 'TXT');
      if (isFailure(answer)) return problem(`the SPF lookup of ${name} failed (${answer.outcome})`);
      const records = txtTexts(answer).filter(isSpfRecord);
      if (records.length === 0) return problem(`${name} has no SPF record`);
      if (records.length > 1) return problem(`${name} has ${records.length} SPF records (permerror)`);
      const record = records[0]!;
      if (depth === 0) rootRecord = record;
      const terms = record.split(/\s+/).slice(1).filter((t) => t !== '');
      let redirect: string | undefined;
      let hasAll = false;
      for (const term of terms) {
        const qualifier = /^[+\-~?]/.test(term) ? term[0]! : '+';
        const body = term.replace(/^[+\-~?]/, '');
        const lower = body.toLowerCase();
        if (lower === 'all') { hasAll = true; continue; }
        if (lower.startsWith('redirect=')) { redirect = body.slice(9); continue; }
        if (/^[a-z][a-z0-9_.-]*=/.test(lower)) continue; // exp= and unknown modifiers
        if (qualifier !== '+') continue; // -ip4 etc. authorise nothing
        if (body.includes('%')) { problem(`${name}: "${term}" uses macros; its addresses depend on each message`); continue; }
        const m = /^(ip4|ip6|a|mx|include|ptr|exists)(?::([^/]*))?(?:\/(\d+))?(?:\/\/(\d+))?$/i.exec(body);
        if (!m) { problem(`${name}: "${term}" is not an SPF term this tool reads`); continue; }
        const kind = m[1]!.toLowerCase();
        const target = (m[2] ?? name).replace(/\.$/, '');
        if (kind === 'ip4' || kind === 'ip6') {
          if (!m[2]) { problem(`${name}: "${term}" has no address`); continue; }
          add(m[2], m[3]);
          continue;
        }
        if (kind === 'ptr' || kind === 'exists') { problem(`${name}: "${term}" cannot be turned into IP ranges`); continue; }
        if (++lookups > LOOKUP_LIMIT) { problem(`more than ${LOOKUP_LIMIT} DNS lookups (permerror at Exchange Online too)`); return; }
        if (kind === 'include') {
          await walk(target, depth + 1);
        } else if (kind === 'a') {
          const [a, aaaa] = await Promise.all([query(target, 'A'), query(target, 'AAAA')]);
          for (const address of addressesOf(a, aaaa)) add(address, address.includes(':') ? m[4] : m[3]);
        } else {
          const mx = await query(target, 'MX');
          for (const r of sortedMx(mx).slice(0, 10)) {
            if (r.exchange === '') continue;
            const [a, aaaa] = await Promise.all([query(r.exchange, 'A'), query(r.exchange, 'AAAA')]);
            for (const address of addressesOf(a, aaaa)) add(address, address.includes(':') ? m[4] : m[3]);
          }
        }
      }
      if (redirect && !hasAll) {
        if (++lookups > LOOKUP_LIMIT) return problem(`more than ${LOOKUP_LIMIT} DNS lookups (permerror at Exchange Online too)`);
        await walk(redirect.replace(/\.$/, ''), depth + 1);
      }
    };
    await walk(domain, 0);
    return { ipv4: [...ipv4], ipv6: [...ipv6], complete, problems, ...(rootRecord !== undefined ? { record: rootRecord } : {}) };
  };
}
