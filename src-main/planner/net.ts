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

const ALREADY_NORMAL = /^[a-z0-9*_-](?:[a-z0-9*._-]*[a-z0-9*_-])?$/;
/** A name as compared: trimmed, lower case, without a trailing dot (names already in that form are returned as they are, without copying). */
export const norm = (s: string): string => (ALREADY_NORMAL.test(s) ? s : s.trim().toLowerCase().replace(/\.$/, ''));

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

/** `mail.contoso.com` → `contoso.com` → `com` → undefined. */
export function parentName(name: string): string | undefined {
  const dot = name.indexOf('.');
  return dot < 0 ? undefined : name.slice(dot + 1);
}

/** A domain list as sets, for lookups that stay fast with tens of thousands of domains. */
export interface DomainIndex {
  /** `*` alone is in the list. */
  readonly everything: boolean;
  /**
   * The list names this domain: the domain itself, or a wildcard `*.parent`
   * covering it. `*` alone does not count: a connector for every domain is
   * not evidence that it is for this one.
   */
  coversSpecifically(domain: string): boolean;
  /** Covered in any way, `*` included. */
  covers(domain: string): boolean;
}

const indexes = new WeakMap<readonly string[], DomainIndex>();

/** The index of a list, built once per list (imported lists are compared with every planned connector). */
export function domainIndex(list: readonly string[]): DomainIndex {
  const known = indexes.get(list);
  if (known) return known;
  const index = buildDomainIndex(list);
  indexes.set(list, index);
  return index;
}

function buildDomainIndex(list: readonly string[]): DomainIndex {
  const exact = new Set<string>();
  const wild = new Set<string>();
  let everything = false;
  for (const raw of list) {
    const d = norm(raw);
    if (d === '*') everything = true;
    else if (d.startsWith('*.')) wild.add(d.slice(2));
    else exact.add(d);
  }
  const coversSpecifically = (domain: string) => {
    const d = norm(domain);
    const isWild = d.startsWith('*.');
    const body = isWild ? d.slice(2) : d;
    if (!isWild && exact.has(body)) return true;
    for (let parent: string | undefined = body; parent !== undefined; parent = parentName(parent)) if (wild.has(parent)) return true;
    return false;
  };
  return { everything, coversSpecifically, covers: (domain) => everything || coversSpecifically(domain) };
}

/** Do two domain lists share any domain (either way round)? Linear in the two lists' lengths. */
export function domainsOverlap(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const ia = domainIndex(a);
  const ib = domainIndex(b);
  if (ia.everything || ib.everything) return true;
  return a.some((x) => ib.coversSpecifically(x)) || b.some((y) => ia.coversSpecifically(y));
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
