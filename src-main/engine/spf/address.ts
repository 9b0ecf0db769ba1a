import { isIPv4, isIPv6 } from 'node:net';
import { expandIpv6 } from '../dns/names';

/**
 * Client addresses as SPF sees them: bytes for prefix matching, the forms
 * the `i`, `c` and `v` macros expand to, and IPv4-mapped IPv6 treated as the
 * IPv4 address it carries (RFC 7208 §5: a mapped client is an IPv4 client).
 */
export interface SpfAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
  /** Dotted quad, or RFC 5952 text for IPv6. */
  readonly text: string;
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function ipv6Bytes(text: string): Uint8Array {
  const groups = expandIpv6(text);
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => { const n = parseInt(g, 16); bytes[i * 2] = n >> 8; bytes[i * 2 + 1] = n & 0xff; });
  return bytes;
}

/** RFC 5952 text of 16 bytes: lower case, longest run of two or more zero groups as "::". */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Parses a client address; IPv4-mapped IPv6 (`::ffff:192.0.2.1`) becomes IPv4. Undefined when it is not an address. */
export function parseSpfAddress(input: string): SpfAddress | undefined {
  const text = input.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(text)) return { version: 4, bytes: ipv4Bytes(text), text: [...ipv4Bytes(text)].join('.') };
  if (!isIPv6(text) || text.includes('%')) return undefined;
  const bytes = ipv6Bytes(text);
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) {
    const v4 = bytes.slice(12);
    return { version: 4, bytes: v4, text: [...v4].join('.') };
  }
  return { version: 6, bytes, text: formatIpv6(bytes) };
}

/** Do the first `prefix` bits of the two addresses agree? Different versions never match. */
export function inNetwork(address: SpfAddress, network: SpfAddress, prefix: number): boolean {
  if (address.version !== network.version) return false;
  const whole = Math.floor(prefix / 8);
  for (let i = 0; i < whole; i++) if (address.bytes[i] !== network.bytes[i]) return false;
  const bits = prefix % 8;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (address.bytes[whole]! & mask) === (network.bytes[whole]! & mask);
}

/** The network address of `address/prefix`, as text (for flattened ranges). */
export function networkText(address: SpfAddress, prefix: number): string {
  const bytes = Uint8Array.from(address.bytes);
  for (let bit = prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return address.version === 4 ? [...bytes].join('.') : formatIpv6(bytes);
}

/**
 * The `i` macro (RFC 7208 §7.3): dotted quad, or 32 dot-separated nibbles for
 * IPv6. The nibbles are upper case, as the openspf test suite expects in an
 * explanation (v-macro-ip6); the RFC's example (§7.4) writes them in lower
 * case, which DNS treats as the same name.
 */
export function macroIp(address: SpfAddress): string {
  if (address.version === 4) return address.text;
  return [...address.bytes].flatMap((b) => [(b >> 4).toString(16), (b & 0xf).toString(16)]).join('.').toUpperCase();
}

/** The reverse-lookup name of the address (in-addr.arpa / ip6.arpa). */
export function reverseLookupName(address: SpfAddress): string {
  return `${macroIp(address).toLowerCase().split('.').reverse().join('.')}.${address.version === 4 ? 'in-addr' : 'ip6'}.arpa`;
}
