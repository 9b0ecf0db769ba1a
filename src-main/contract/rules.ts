/**
 * One rule per kind of value: host name, domain, IPv4 address, public IPv4,
 * connector IP range, smart host, certificate name.
 *
 * Each rule takes the text as typed and returns `undefined` when it is valid,
 * or the problem in words ("\"mail fabrikam com\" has spaces; a host name
 * cannot"). The same functions serve the contract's schemas, the wizard's
 * field messages, the planner's checks, the CLI and the importers, so a value
 * is judged the same everywhere and nothing invalid reaches a script.
 *
 * Pure: no Node or DOM APIs (the renderer imports this file too).
 */
export type ValueRule = (value: string) => string | undefined;

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Shows control characters as escapes and shortens, so a message quoting the value stays one readable line. */
export function quoteValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = value.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
  return `"${visible.length > 80 ? `${visible.slice(0, 79)}…` : visible}"`;
}

function shapeProblem(value: string, what: string): string | undefined {
  if (value.length === 0) return `${what} is empty`;
  if (/\s/.test(value)) return `${quoteValue(value)} has spaces; ${what} cannot (put each value on its own line or separate them with commas)`;
  if (/[,;]/.test(value)) return `${quoteValue(value)} has a comma or semicolon; give one value per entry`;
  return undefined;
}

/**
 * The labels of a DNS name in ASCII (IDN converted to punycode), lower case,
 * without a trailing dot, or the problem. `minLabels` 2 means "a full name
 * with a dot" (contoso.com, not contoso).
 */
function dnsLabels(value: string, what: string, minLabels: number): { labels: string[] } | { problem: string } {
  const shape = shapeProblem(value, what);
  if (shape) return { problem: shape };
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.startsWith('.') || name.includes('..')) return { problem: `${quoteValue(value)} has an empty part (two dots in a row, or a leading dot)` };
  const ascii = toAsciiName(name);
  if (ascii === undefined) return { problem: `${quoteValue(value)} has characters ${what} cannot have (letters, digits, hyphens and dots)` };
  if (ascii.length > 253) return { problem: `${quoteValue(value)} is ${ascii.length} characters long; ${what} has at most 253` };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length > 63) return { problem: `the part ${quoteValue(label)} is ${label.length} characters long; each part of a name has at most 63` };
    if (!LABEL.test(label)) return { problem: `${quoteValue(value)} has characters ${what} cannot have (letters, digits, hyphens and dots; no hyphen at the start or end of a part)` };
  }
  if (labels.length < minLabels) return { problem: `${quoteValue(value)} is not a full name (no dot); use the full name, e.g. ${what === 'a domain' ? 'contoso.com' : 'mail.contoso.com'}` };
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return { problem: `${quoteValue(value)} looks like an IP address, not a name` };
  return { labels };
}

/**
 * A name in ASCII (punycode for IDN), lower case, or undefined when it has
 * characters no host name can have. Uses the URL parser every JavaScript
 * runtime has, so the same conversion runs in main and in the renderer.
 */
export function toAsciiName(name: string): string | undefined {
  if (/^[A-Za-z0-9._-]+$/.test(name)) return name.toLowerCase();
  // eslint-disable-next-line no-control-regex
  if (/[\s/\\?#@:[\]%<>"'`*\u0000-\u001f\u007f]/u.test(name)) return undefined;
  try {
    const host = new URL(`http://${name}/`).hostname;
    return /^[a-z0-9._-]+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

/** A full host name (at least one dot), e.g. mail.contoso.com; IDN allowed. */
export const hostNameRule: ValueRule = (value) => {
  const result = dnsLabels(value.trim(), 'a host name', 2);
  return 'problem' in result ? result.problem : undefined;
};

/** A full domain name, e.g. contoso.com; IDN allowed. */
export const domainRule: ValueRule = (value) => {
  const result = dnsLabels(value.trim(), 'a domain', 2);
  return 'problem' in result ? result.problem : undefined;
};

/** A domain or `*.domain` (a domain and its subdomains), as connectors take them. */
export const domainPatternRule: ValueRule = (value) => {
  const text = value.trim();
  if (text === '*') return `"*" alone means every domain; name the domains instead`;
  const body = text.startsWith('*.') ? text.slice(2) : text;
  if (body.includes('*')) return `${quoteValue(text)}: a wildcard is allowed only as "*.domain" (e.g. *.contoso.com), not inside a name`;
  return domainRule(body);
};

/** A certificate name: a host name, or `*.domain` for a wildcard certificate. */
export const certificateNameRule: ValueRule = (value) => {
  const text = value.trim();
  const body = text.startsWith('*.') ? text.slice(2) : text;
  if (body.includes('*')) return `${quoteValue(text)}: a wildcard is allowed only as the whole first part ("*.contoso.com")`;
  const result = dnsLabels(body, 'a certificate name', 2);
  return 'problem' in result ? result.problem : undefined;
};

/** The four numbers of a dotted IPv4 address, or undefined. */
export function parseIpv4(value: string): readonly [number, number, number, number] | undefined {
  const parts = value.trim().split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = parts.map(Number);
  return [a, b, c, d];
}

/** Exactly an IPv4 address in dotted form: parseIpv4 without its trimming (no spaces around it). */
export function isIpv4Address(value: string): boolean {
  return value.trim() === value && parseIpv4(value) !== undefined;
}

/**
 * Exactly an IPv6 address, in any of its text forms (`::1`, `2001:db8::25`,
 * `::ffff:192.0.2.1`): hex digits, colons and dots only, as the URL parser
 * every JavaScript runtime has reads an address in brackets. (The alphabet
 * check comes first: inside brackets the URL parser would also take `@` and
 * a backslash, and it drops tabs and line breaks.)
 */
export function isIpv6Address(value: string): boolean {
  return /^[0-9a-fA-F:.]+$/.test(value) && value.includes(':') && URL.canParse(`http://[${value}]/`);
}

/** An IPv4 address in dotted form (each number 0 to 255). */
export const ipv4Rule: ValueRule = (value) => {
  const text = value.trim();
  const shape = shapeProblem(text, 'an IPv4 address');
  if (shape) return shape;
  if (text.includes(':')) return `${quoteValue(text)} is an IPv6 address; Exchange Online connectors take IPv4 addresses only`;
  if (parseIpv4(text) === undefined) return `${quoteValue(text)} is not an IPv4 address (four numbers from 0 to 255, e.g. 203.0.113.10)`;
  return undefined;
};

/**
 * Address blocks that are never seen on the Internet (RFC 6890's special
 * purpose registry), with the reason in words. The documentation blocks
 * (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are allowed on purpose:
 * examples and rehearsals use them.
 */
const NON_PUBLIC_IPV4: ReadonlyArray<{ readonly first: number; readonly prefix: number; readonly why: string }> = [
  { first: ip(0, 0, 0, 0), prefix: 8, why: 'is in 0.0.0.0/8 ("this network")' },
  { first: ip(10, 0, 0, 0), prefix: 8, why: 'is a private address (10.0.0.0/8)' },
  { first: ip(100, 64, 0, 0), prefix: 10, why: 'is a carrier-grade NAT address (100.64.0.0/10)' },
  { first: ip(127, 0, 0, 0), prefix: 8, why: 'is a loopback address (127.0.0.0/8)' },
  { first: ip(169, 254, 0, 0), prefix: 16, why: 'is a link-local address (169.254.0.0/16)' },
  { first: ip(172, 16, 0, 0), prefix: 12, why: 'is a private address (172.16.0.0/12)' },
  { first: ip(192, 0, 0, 0), prefix: 24, why: 'is reserved for protocol assignments (192.0.0.0/24)' },
  { first: ip(192, 168, 0, 0), prefix: 16, why: 'is a private address (192.168.0.0/16)' },
  { first: ip(198, 18, 0, 0), prefix: 15, why: 'is reserved for benchmarking (198.18.0.0/15)' },
  { first: ip(224, 0, 0, 0), prefix: 4, why: 'is a multicast address (224.0.0.0/4)' },
  { first: ip(240, 0, 0, 0), prefix: 4, why: 'is reserved (240.0.0.0/4)' },
];

function ip(a: number, b: number, c: number, d: number): number {
  return ((a * 256 + b) * 256 + c) * 256 + d;
}

/** Why an IPv4 address is not public, or undefined when it is. */
export function nonPublicReason(octets: readonly [number, number, number, number]): string | undefined {
  const value = ip(...octets);
  for (const block of NON_PUBLIC_IPV4) {
    const size = 2 ** (32 - block.prefix);
    if (value >= block.first && value < block.first + size) return block.why;
  }
  return undefined;
}

const PUBLIC_WHY = 'Office 365 sees the public address your mail leaves from (your firewall\'s or NAT\'s), never an internal one';

/** A public IPv4 address: what Office 365 sees a server or device send from. */
export const publicIpv4Rule: ValueRule = (value) => {
  const problem = ipv4Rule(value);
  if (problem) return problem;
  const text = value.trim();
  const why = nonPublicReason(parseIpv4(text)!);
  return why ? `${quoteValue(text)} ${why}; ${PUBLIC_WHY}` : undefined;
};

/** The address and mask of `a.b.c.d` or `a.b.c.d/n`, or the problem. */
export function parseIpv4Cidr(value: string): { readonly octets: readonly [number, number, number, number]; readonly prefix: number } | { readonly problem: string } {
  const text = value.trim();
  const shape = shapeProblem(text, 'an IPv4 address or range');
  if (shape) return { problem: shape };
  if (text.includes(':')) return { problem: `${quoteValue(text)} is IPv6; Exchange Online connectors take IPv4 addresses and ranges only` };
  const [address = '', mask, extra] = text.split('/');
  const octets = parseIpv4(address);
  if (extra !== undefined || octets === undefined) return { problem: `${quoteValue(text)} is not an IPv4 address or CIDR range (e.g. 203.0.113.10 or 203.0.113.0/24)` };
  if (mask !== undefined && (!/^\d{1,2}$/.test(mask) || Number(mask) > 32)) return { problem: `${quoteValue(text)} has an invalid mask (a number from 0 to 32 after the /)` };
  return { octets, prefix: mask === undefined ? 32 : Number(mask) };
}

/** A public IPv4 address or range of /24 to /32: what a connector's SenderIPAddresses takes. */
export const publicIpv4RangeRule: ValueRule = (value) => {
  const parsed = parseIpv4Cidr(value);
  if ('problem' in parsed) return parsed.problem;
  const text = value.trim();
  if (parsed.prefix < 24) return `${quoteValue(text)} is a /${parsed.prefix}; connectors accept ranges from /24 to /32 only (split it into /24s)`;
  const why = nonPublicReason(parsed.octets);
  return why ? `${quoteValue(text)} ${why}; ${PUBLIC_WHY}` : undefined;
};

/**
 * A smart host as New-OutboundConnector's -SmartHosts takes it: a full host
 * name, an IPv4 address, or an IPv4 range; no port (the connector always
 * delivers on port 25).
 */
export const smartHostRule: ValueRule = (value) => {
  const text = value.trim();
  const shape = shapeProblem(text, 'a smart host');
  if (shape) return shape;
  if (/^[^:]+:\d*$/.test(text) || /^\[[^\]]*\]:\d*$/.test(text)) {
    return `${quoteValue(text)} has a port; a connector's smart host is a host name or IP address only (Office 365 always delivers on port 25)`;
  }
  if (/^[\d./]+$/.test(text)) {
    const parsed = parseIpv4Cidr(text);
    if ('problem' in parsed) return parsed.problem;
    const why = nonPublicReason(parsed.octets);
    return why ? `${quoteValue(text)} ${why}; Office 365 delivers over the Internet, so a smart host needs a public address` : undefined;
  }
  if (text.includes(':')) return `${quoteValue(text)} is IPv6; connectors take a host name or an IPv4 address`;
  return hostNameRule(text);
};

/**
 * A CA file's path as settings and `--ca-file` take it: an absolute path to a
 * local file. Refused: UNC paths (`\\server\share\ca.pem`, `//server/share`),
 * which would make the app contact a file server (and hand it the user's
 * Windows credentials); device and namespace paths (`\\.\`, `\\?\`, `/dev/`,
 * `/proc/`, `CON`, `NUL`, …); relative paths, which mean a different file
 * from wherever the app was started.
 */
export const caFilePathRule: ValueRule = (value) => {
  const text = value.trim();
  if (text.length === 0) return 'a CA file path is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(text)) return 'a CA file path cannot hold control characters';
  if (/^[\\/]{2}/.test(text)) return `${quoteValue(text)} is a network (UNC) or device path; copy the CA file to this computer and choose it there`;
  if (/^\/(dev|proc|sys)(\/|$)/.test(text)) return `${quoteValue(text)} is a device or system path, not a CA file`;
  const base = (text.split(/[\\/]/).pop() ?? '').replace(/\..*$/, '').toUpperCase();
  if (/^(CON|PRN|AUX|NUL|COM\d|LPT\d|CONIN\$|CONOUT\$)$/.test(base)) return `${quoteValue(text)} names a Windows device, not a CA file`;
  if (!(text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text))) return `${quoteValue(text)} is not a full path; give the whole path, e.g. /etc/ssl/company-ca.pem or C:\\certs\\company-ca.pem`;
  return undefined;
};
