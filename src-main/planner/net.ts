import { parseIpv4Cidr } from '../contract/rules';

/**
 * Arithmetic on the values connectors hold: IPv4 ranges and domain patterns.
 * Whether a value is valid is decided by the rules in contract/rules.ts (one
 * rule per kind of value); this file only compares values.
 */

export interface Ipv4Range {
  readonly start: number;
  readonly end: number;
  readonly prefix: number;
}

/** The addresses of `octets`/`prefix` as numbers, the host bits cleared. */
function rangeOf(octets: readonly number[], prefix: number): Ipv4Range {
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const start = base - (base % size);
  return { start, end: start + size - 1, prefix };
}

/** Lenient parse for comparing imported values: any IPv4 address or range, undefined otherwise (the connector rules are in contract/rules.ts). */
export function parseIpv4Range(value: string): Ipv4Range | undefined {
  const parsed = parseIpv4Cidr(value);
  return 'problem' in parsed ? undefined : rangeOf(parsed.octets, parsed.prefix);
}

export function rangesOverlap(a: readonly string[], b: readonly string[]): boolean {
  const ra = a.map(parseIpv4Range).filter((r): r is Ipv4Range => r !== undefined);
  const rb = b.map(parseIpv4Range).filter((r): r is Ipv4Range => r !== undefined);
  return ra.some((x) => rb.some((y) => x.start <= y.end && y.start <= x.end));
}

/** Every address of `inner` lies inside one of `outer`. */
export function rangeCovered(inner: string, outer: readonly string[]): boolean {
  const r = parseIpv4Range(inner);
  if (!r) return false;
  return outer.map(parseIpv4Range).some((o) => o !== undefined && o.start <= r.start && r.end <= o.end);
}

export const norm = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');

/** Does the pattern (`*`, `*.contoso.com` or `contoso.com`) cover the domain? `*.x` covers x and its subdomains. */
export function domainMatches(pattern: string, domain: string): boolean {
  const p = norm(pattern);
  const d = norm(domain.startsWith('*.') ? domain.slice(2) : domain);
  if (p === '*') return true;
  if (p.startsWith('*.')) {
    const base = p.slice(2);
    return d === base || d.endsWith(`.${base}`);
  }
  return p === d;
}

/** Do two domain lists share any domain (either way round)? */
export function domainsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => domainMatches(x, y) || domainMatches(y, x)));
}

/**
 * Does a certificate name configured on a connector fit the server's
 * certificate name? Equal, or one is a wildcard covering the other's name.
 */
export function certificateNameMatches(configured: string, actual: string): boolean {
  const c = norm(configured);
  const a = norm(actual);
  if (c === a) return true;
  const covers = (w: string, n: string) => w.startsWith('*.') && !n.startsWith('*.') && n.endsWith(w.slice(1)) && !n.slice(0, -(w.length - 1)).includes('.');
  return covers(c, a) || covers(a, c);
}
