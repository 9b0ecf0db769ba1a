/**
 * Small pure helpers for the values connectors hold: IPv4 ranges and domain
 * patterns. Connectors take IPv4 only, masks /24 to /32 (fact sheet, §1).
 */

export interface Ipv4Range {
  readonly start: number;
  readonly end: number;
  readonly prefix: number;
}

export type IpCheck =
  | { readonly ok: true; readonly range: Ipv4Range }
  | { readonly ok: false; readonly problem: string };

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses `a.b.c.d` or `a.b.c.d/n` and applies the connector rule (/24 to /32, no IPv6). */
export function checkConnectorIp(value: string): IpCheck {
  const text = value.trim();
  if (text.includes(':')) return { ok: false, problem: `"${text}" is IPv6; connectors accept IPv4 addresses and ranges only` };
  const [addr = '', mask, extra] = text.split('/');
  if (extra !== undefined) return { ok: false, problem: `"${text}" is not an IPv4 address or CIDR range` };
  const parts = addr.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return { ok: false, problem: `"${text}" is not an IPv4 address or CIDR range` };
  const prefix = mask === undefined ? 32 : Number(mask);
  if (mask !== undefined && (!/^\d{1,2}$/.test(mask) || prefix > 32)) return { ok: false, problem: `"${text}" has an invalid mask` };
  if (prefix < 24) return { ok: false, problem: `"${text}" is a /${prefix}; connectors accept masks /24 to /32 only` };
  return { ok: true, range: rangeOf(parts.map(Number), prefix) };
}

/** The addresses of `octets`/`prefix` as numbers, the host bits cleared. */
function rangeOf(octets: readonly number[], prefix: number): Ipv4Range {
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const start = base - (base % size);
  return { start, end: start + size - 1, prefix };
}

/** Lenient parse for comparing imported values: any IPv4 address or range, undefined otherwise. */
export function parseIpv4Range(value: string): Ipv4Range | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return undefined;
  return rangeOf(octets, prefix);
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

/**
 * Wildcards are allowed only as a whole first label (`*.contoso.com`) or as
 * `*` alone (what the Hybrid Configuration Wizard puts in SenderDomains).
 * Returns the problem, or undefined when the pattern is valid.
 */
export function checkDomainPattern(value: string, allowStar = false): string | undefined {
  const d = norm(value);
  if (d === '*') return allowStar ? undefined : `"${value}": "*" alone is not a domain here`;
  const body = d.startsWith('*.') ? d.slice(2) : d;
  if (body.includes('*')) return `"${value}": a wildcard is allowed only as "*.domain" (e.g. *.contoso.com), not inside a name`;
  if (!/^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z]{2,63}$/.test(body)) return `"${value}" is not a valid domain name`;
  return undefined;
}

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
