import { isIPv6 } from 'node:net';

/**
 * Name and address comparisons used on both sides of the engine: MTA-STS mx
 * patterns (checks), certificate names (tls), connector settings (connectors),
 * reverse DNS (checks). One implementation, so "does this pattern cover this
 * host" and "are these the same address" never get two answers.
 */

/** Lower case, trimmed, without the trailing root dot. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * `*` stands for exactly one whole left-most label and never matches the
 * parent itself (RFC 6125 §6.4.3 for certificates, RFC 8461 §4.1 for MTA-STS
 * mx patterns); `*.com`-style patterns over a public suffix match nothing.
 */
export function wildcardMatches(pattern: string, host: string): boolean {
  const p = normalizeName(pattern);
  const h = normalizeName(host);
  if (!p || !h) return false;
  if (!p.includes('*')) return p === h;
  if (!p.startsWith('*.') || p.indexOf('*', 1) !== -1) return false;
  const suffix = p.slice(1); // ".contoso.com"
  if (suffix.split('.').length < 3) return false; // no "*.com"
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

/** The eight 16-bit groups of an IPv6 address, each as four hex digits (also for `::ffff:192.0.2.1`). */
export function expandIpv6(address: string): string[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail = ''] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = text.includes('::') ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0'));
}

/** The same address however it is written (IPv6 zero compression, case). */
export function sameAddress(a: string, b: string): boolean {
  const x = a.trim().replace(/^\[|\]$/g, '');
  const y = b.trim().replace(/^\[|\]$/g, '');
  if (x.toLowerCase() === y.toLowerCase()) return true;
  return isIPv6(x) && isIPv6(y) && expandIpv6(x).join(':') === expandIpv6(y).join(':');
}

