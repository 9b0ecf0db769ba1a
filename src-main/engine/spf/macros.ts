import { macroIp, type SpfAddress } from './address';
import { tokenizeMacroString, type MacroToken } from './record';

/**
 * Macro expansion (RFC 7208 §7): the values each letter stands for, the
 * transformers (keep the N right-most parts, `r` to reverse), delimiters,
 * URL-escaping for upper-case letters, and the 253-character cut of a name.
 */
export interface MacroValues {
  /** s: the sender, `local@domain`. */
  readonly sender: string;
  /** l and o: its local part and domain. */
  readonly localPart: string;
  readonly senderDomain: string;
  /** d: the domain being evaluated. */
  readonly domain: string;
  readonly ip: SpfAddress;
  /** h: the HELO/EHLO name. */
  readonly helo: string;
  /** r: the receiving host's name (`unknown` when not given). */
  readonly receiver: string;
  /** t: seconds since 1970. */
  readonly timestamp: number;
  /** p: looked up only when a macro asks for it (it costs DNS queries). */
  readonly validatedName: () => Promise<string>;
}

/** RFC 3986 unreserved characters stay; everything else is %XX of its UTF-8 bytes. */
function urlEscape(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => {
    const c = String.fromCharCode(b);
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

async function letterValue(letter: string, values: MacroValues): Promise<string> {
  switch (letter) {
    case 's': return values.sender;
    case 'l': return values.localPart;
    case 'o': return values.senderDomain;
    case 'd': return values.domain;
    case 'i': return macroIp(values.ip);
    case 'p': return values.validatedName();
    case 'v': return values.ip.version === 4 ? 'in-addr' : 'ip6';
    case 'h': return values.helo;
    case 'c': return values.ip.text;
    case 'r': return values.receiver;
    case 't': return String(values.timestamp);
    default: throw new Error(`unknown macro letter ${letter}`);
  }
}

async function expandToken(token: MacroToken, values: MacroValues): Promise<string> {
  if (token.kind === 'literal') return token.text;
  if (token.kind === 'escape') return token.value;
  const raw = await letterValue(token.letter, values);
  const delimiters = new RegExp(`[${token.delimiters.replace(/[-\\\]^/]/g, '\\$&')}]`);
  let parts = raw.split(delimiters);
  if (token.reverse) parts = parts.reverse();
  if (token.digits !== undefined && token.digits < parts.length) parts = parts.slice(parts.length - token.digits);
  const joined = parts.join('.');
  return token.upper ? urlEscape(joined) : joined;
}

/** Thrown for a macro-string that is not valid: the caller turns it into permerror. */
export class SpfMacroError extends Error {
  override readonly name = 'SpfMacroError';
}

/** Expands a macro-string; `explanation` allows c, r, t and spaces (an exp= text). */
export async function expandMacros(text: string, values: MacroValues, options: { readonly explanation?: boolean } = {}): Promise<string> {
  const parsed = tokenizeMacroString(text, options);
  if ('error' in parsed) throw new SpfMacroError(`"${text}" ${parsed.error}`);
  let out = '';
  for (const token of parsed.tokens) out += await expandToken(token, values);
  return out;
}

/**
 * A domain-spec expanded into the name to query: without a final dot, and
 * cut from the left, label by label, to at most 253 characters (RFC 7208 §7.3).
 */
export async function expandDomainSpec(spec: string, values: MacroValues): Promise<string> {
  let name = (await expandMacros(spec, values)).replace(/\.$/, '');
  while (name.length > 253 && name.includes('.')) name = name.slice(name.indexOf('.') + 1);
  return name;
}

/** Does a domain-spec use any macro (so its target depends on the message)? */
export function hasMacros(spec: string): boolean {
  const parsed = tokenizeMacroString(spec, { explanation: true });
  return 'error' in parsed || parsed.tokens.some((t) => t.kind === 'macro');
}
