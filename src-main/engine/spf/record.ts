import { isIPv4, isIPv6 } from 'node:net';

/**
 * The one SPF record parser (RFC 7208 §4.5, §4.6, §5, §6, §7.1): the
 * evaluator and the domain check (`checks/spf.ts`) both read records through
 * it, so "is this term valid" never gets two answers.
 */

export type SpfQualifier = '+' | '-' | '~' | '?';

interface TermBase {
  /** The term as written in the record. */
  readonly text: string;
}

export type SpfMechanism = TermBase & { readonly type: 'mechanism'; readonly qualifier: SpfQualifier } & (
  | { readonly kind: 'all' }
  | { readonly kind: 'include' | 'exists'; readonly domainSpec: string }
  | { readonly kind: 'ptr'; readonly domainSpec?: string }
  | { readonly kind: 'a' | 'mx'; readonly domainSpec?: string; readonly cidr4: number; readonly cidr6: number }
  | { readonly kind: 'ip4' | 'ip6'; readonly network: string; readonly prefix: number }
);

export type SpfMechanismKind = SpfMechanism['kind'];

export interface SpfModifier extends TermBase {
  readonly type: 'modifier';
  /** Lower case: `redirect`, `exp`, or an unknown modifier (ignored by evaluation, RFC 7208 §6). */
  readonly name: string;
  readonly value: string;
}

export type SpfTerm = SpfMechanism | SpfModifier;

/** A term that is not valid SPF, with the reason in words. */
export interface SpfTermError {
  readonly type: 'error';
  readonly text: string;
  readonly reason: string;
}

export interface ParsedSpfRecord {
  readonly text: string;
  readonly terms: readonly SpfTerm[];
  readonly mechanisms: readonly SpfMechanism[];
  readonly redirect?: string;
  readonly exp?: string;
}

export type SpfParseResult =
  | { readonly ok: true; readonly record: ParsedSpfRecord }
  | { readonly ok: false; readonly reason: string; readonly term?: string };

/** Mechanisms that query DNS and so count towards the limit of 10 (RFC 7208 §4.6.4), with the redirect modifier. */
export const DNS_MECHANISMS: ReadonlySet<SpfMechanismKind> = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

/** `v=spf1` followed by a space or the end (RFC 7208 §4.5), any case. */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1( |$)/i.test(text);
}

const MODIFIER = /^([a-z][a-z0-9_.-]*)=(.*)$/is;
const MACRO_LETTERS = 'slodiphcrtv';
/** Letters only an explanation string may use (RFC 7208 §7.2). */
export const EXP_ONLY_MACRO_LETTERS = 'crt';

/** One piece of a macro-string: literal text or a macro (RFC 7208 §7.1). */
export type MacroToken =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'macro'; readonly letter: string; readonly upper: boolean; readonly digits?: number; readonly reverse: boolean; readonly delimiters: string; readonly text: string }
  /** `%%`, `%_`, `%-`: a percent sign, a space, a URL-encoded space. */
  | { readonly kind: 'escape'; readonly text: string; readonly value: string };

/**
 * Splits a macro-string into tokens, or says why it is not one. `explanation`
 * allows the letters c, r, t and spaces (an explain-string, §7.1, §6.2).
 */
export function tokenizeMacroString(text: string, options: { readonly explanation?: boolean } = {}): { readonly tokens: MacroToken[] } | { readonly error: string } {
  const tokens: MacroToken[] = [];
  let literal = '';
  const flush = (): void => { if (literal) { tokens.push({ kind: 'literal', text: literal }); literal = ''; } };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') {
      const code = c.charCodeAt(0);
      if (!(code >= 0x21 && code <= 0x7e) && !(options.explanation && c === ' ')) {
        return { error: code > 0x7e ? 'contains a character that is not ASCII' : `contains the control character or space ${JSON.stringify(c)}` };
      }
      literal += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      flush();
      tokens.push({ kind: 'escape', text: `%${next}`, value: next === '%' ? '%' : next === '_' ? ' ' : '%20' });
      i += 1;
      continue;
    }
    if (next !== '{') return { error: `has a "%" that does not start a macro (use "%%" for a percent sign)` };
    const close = text.indexOf('}', i + 2);
    if (close < 0) return { error: 'has a macro without its closing "}"' };
    const body = text.slice(i + 2, close);
    const m = /^([a-z])(\d*)(r?)([.\-+,/_=]*)$/i.exec(body);
    if (!m || !MACRO_LETTERS.includes(m[1]!.toLowerCase())) return { error: `has an invalid macro "%{${body}}"` };
    const letter = m[1]!.toLowerCase();
    if (!options.explanation && EXP_ONLY_MACRO_LETTERS.includes(letter)) return { error: `uses the macro %{${m[1]}}, which only an explanation (exp) may use` };
    if (m[2] !== '' && Number(m[2]) === 0) return { error: `has a macro "%{${body}}" that keeps zero labels` };
    flush();
    tokens.push({
      kind: 'macro', letter, upper: m[1] !== letter, reverse: m[3] !== '', delimiters: m[4] || '.', text: `%{${body}}`,
      ...(m[2] !== '' ? { digits: Math.min(Number(m[2]), 1000) } : {}),
    });
    i = close;
  }
  flush();
  return { tokens };
}

const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/**
 * A domain-spec (RFC 7208 §7.1): a macro-string ending in a macro or in
 * "." toplabel (an optional final dot). `include:<script>` is not one.
 */
export function domainSpecError(spec: string): string | undefined {
  if (spec === '') return 'the domain is empty';
  const parsed = tokenizeMacroString(spec);
  if ('error' in parsed) return `"${spec}" ${parsed.error}`;
  const last = parsed.tokens[parsed.tokens.length - 1]!;
  if (last.kind !== 'literal') return undefined;
  const tail = last.text.replace(/\.$/, '');
  const dot = tail.lastIndexOf('.');
  if (dot < 0 || !TOPLABEL.test(tail.slice(dot + 1))) return `"${spec}" is not a domain name: it must end in a dot and a top-level label, or in a macro`;
  return undefined;
}

/** `/24`, `//64`, `/24//64` at the end of an a or mx term (RFC 7208 §5.6 dual-cidr-length). */
const DUAL_CIDR = /^(.*?)(?:\/(0|[1-9]\d{0,2}))?(?:\/\/(0|[1-9]\d{0,2}))?$/s;

const IPV4_NETWORK = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function mechanism(text: string): SpfMechanism | SpfTermError {
  const bad = (reason: string): SpfTermError => ({ type: 'error', text, reason });
  const m = /^([+\-~?]?)([a-z][a-z0-9]*)(.*)$/is.exec(text);
  if (!m) return bad('it is neither a mechanism nor a modifier');
  const qualifier = (m[1] || '+') as SpfQualifier;
  const name = m[2]!.toLowerCase();
  const rest = m[3]!;
  const base = { type: 'mechanism' as const, qualifier, text };
  switch (name) {
    case 'all':
      return rest === '' ? { ...base, kind: 'all' } : bad('"all" takes no argument');
    case 'include':
    case 'exists': {
      if (!rest.startsWith(':')) return bad(`"${name}" needs a domain ("${name}:example.com")`);
      const error = domainSpecError(rest.slice(1));
      return error ? bad(error) : { ...base, kind: name, domainSpec: rest.slice(1) };
    }
    case 'ptr': {
      if (rest === '') return { ...base, kind: 'ptr' };
      if (!rest.startsWith(':')) return bad('"ptr" takes ":" and a domain');
      const error = domainSpecError(rest.slice(1));
      return error ? bad(error) : { ...base, kind: 'ptr', domainSpec: rest.slice(1) };
    }
    case 'a':
    case 'mx': {
      if (rest !== '' && !rest.startsWith(':') && !rest.startsWith('/')) return bad(`"${name}" is followed by something that is not ":domain" or "/prefix"`);
      const cidr = DUAL_CIDR.exec(rest.startsWith(':') ? rest.slice(1) : rest)!;
      const spec = cidr[1]!;
      if (!rest.startsWith(':') && spec !== '') return bad(`"${name}" has an invalid prefix length`);
      const cidr4 = cidr[2] === undefined ? 32 : Number(cidr[2]);
      const cidr6 = cidr[3] === undefined ? 128 : Number(cidr[3]);
      if (cidr4 > 32) return bad(`the IPv4 prefix length /${cidr4} is over 32`);
      if (cidr6 > 128) return bad(`the IPv6 prefix length //${cidr6} is over 128`);
      if (rest.startsWith(':')) {
        const error = domainSpecError(spec);
        if (error) return bad(error);
        return { ...base, kind: name, domainSpec: spec, cidr4, cidr6 };
      }
      return { ...base, kind: name, cidr4, cidr6 };
    }
    case 'ip4':
    case 'ip6': {
      if (!rest.startsWith(':')) return bad(`"${name}" needs an address ("${name}:${name === 'ip4' ? '192.0.2.0/24' : '2001:db8::/32'}")`);
      const slash = rest.indexOf('/');
      const network = slash < 0 ? rest.slice(1) : rest.slice(1, slash);
      const prefixText = slash < 0 ? undefined : rest.slice(slash + 1);
      const max = name === 'ip4' ? 32 : 128;
      const valid = name === 'ip4' ? IPV4_NETWORK.test(network) : isIPv6(network) && !network.includes('%');
      if (!valid) return bad(`"${network}" is not an ${name === 'ip4' ? 'IPv4' : 'IPv6'} address`);
      if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return bad(`"/${prefixText}" is not a prefix length`);
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (prefix > max) return bad(`the prefix length /${prefix} is over ${max}`);
      return { ...base, kind: name, network, prefix };
    }
    default:
      return bad(`"${name}" is not an SPF mechanism`);
  }
}

/** One term of a record (after `v=spf1`): a mechanism, a modifier, or why it is neither. */
export function parseSpfTerm(text: string): SpfTerm | SpfTermError {
  // A modifier name is followed by "=" before any ":" or "/" (RFC 7208 §4.6.1).
  const modifier = MODIFIER.exec(text);
  if (modifier) {
    const name = modifier[1]!.toLowerCase();
    const value = modifier[2]!;
    if (name === 'redirect' || name === 'exp') {
      const error = domainSpecError(value);
      if (error) return { type: 'error', text, reason: `${name}=: ${error}` };
    } else {
      const parsed = tokenizeMacroString(value);
      if ('error' in parsed) return { type: 'error', text, reason: `the value "${value}" ${parsed.error}` };
    }
    return { type: 'modifier', text, name, value };
  }
  return mechanism(text);
}

/** The terms of a record as written: separated by one or more spaces, nothing else (RFC 7208 §4.6.1). */
export function spfWords(record: string): string[] {
  return record.split(' ').slice(1).filter((w) => w !== '');
}

/**
 * Parses a whole record (which must start with `v=spf1`). Any invalid term
 * anywhere makes the whole record a permerror (RFC 7208 §4.6), as do a
 * second redirect= or exp= (§6).
 */
export function parseSpfRecord(text: string): SpfParseResult {
  if (!isSpfRecord(text)) return { ok: false, reason: 'does not start with "v=spf1"' };
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) return { ok: false, reason: 'contains characters that are not ASCII (RFC 7208 §3.1)' };
  const terms: SpfTerm[] = [];
  let redirect: string | undefined;
  let exp: string | undefined;
  for (const word of spfWords(text)) {
    const term = parseSpfTerm(word);
    if (term.type === 'error') return { ok: false, reason: `the term "${word}" is not valid: ${term.reason}`, term: word };
    if (term.type === 'modifier' && (term.name === 'redirect' || term.name === 'exp')) {
      if ((term.name === 'redirect' ? redirect : exp) !== undefined) return { ok: false, reason: `"${term.name}=" appears more than once (RFC 7208 §6)`, term: word };
      if (term.name === 'redirect') redirect = term.value;
      else exp = term.value;
    }
    terms.push(term);
  }
  return {
    ok: true,
    record: {
      text, terms,
      mechanisms: terms.filter((t): t is SpfMechanism => t.type === 'mechanism'),
      ...(redirect !== undefined ? { redirect } : {}),
      ...(exp !== undefined ? { exp } : {}),
    },
  };
}

/** An IPv4 address, or an IPv6 address (IPv4-mapped IPv6 is a separate concern of the caller). */
export function isIpAddress(text: string): boolean {
  return isIPv4(text) || (isIPv6(text) && !text.includes('%'));
}
