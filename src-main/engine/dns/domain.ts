import { domainToASCII, domainToUnicode } from 'node:url';
import { isIP } from 'node:net';
import { InputError } from '../../contract/errors';

export interface NormalizedDomain {
  /** Lower case, punycode, no trailing dot: what we query. */
  readonly ascii: string;
  /** What the user knows the domain as (same as `ascii` when ASCII). */
  readonly unicode: string;
}

/**
 * Turns what users paste into a domain name: `Contoso.COM.`, `bob@contoso.com`,
 * `https://contoso.com/path`, `bücher.example`. Throws InputError with a
 * one-line reason otherwise.
 */
export function normalizeDomain(input: string): NormalizedDomain {
  let text = input.trim();
  if (text === '') throw new InputError('no domain given');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      text = new URL(text).hostname;
    } catch {
      throw new InputError(`"${printable(input)}" is not a valid URL`);
    }
  } else {
    const at = text.lastIndexOf('@');
    if (at >= 0) text = text.slice(at + 1);
    text = text.replace(/[/?#].*$/, '');
  }
  const bare = text.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) throw new InputError(`"${printable(input)}" is an IP address; a domain name is needed here`);
  text = text.replace(/\.$/, '');
  if (text === '') throw new InputError('no domain given');
  if (/\s/.test(text)) throw new InputError(`"${printable(input)}" contains spaces, which a domain name cannot`);
  if (/\.\./.test(text) || text.startsWith('.')) throw new InputError(`"${printable(input)}" has an empty label (two dots in a row)`);
  const ascii = domainToASCII(text).toLowerCase();
  if (ascii === '') throw new InputError(`"${printable(input)}" contains characters a domain name cannot have`);
  if (ascii.length > 253) throw new InputError(`"${printable(input).slice(0, 40)}…" is ${ascii.length} characters long; a domain name has at most 253`);
  for (const label of ascii.split('.')) {
    if (label.length > 63) throw new InputError(`the label "${label.slice(0, 20)}…" is ${label.length} characters long; a label has at most 63`);
    if (!/^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/.test(label)) {
      throw new InputError(`"${printable(input)}" contains characters a domain name cannot have`);
    }
  }
  if (!ascii.includes('.')) throw new InputError(`"${printable(input)}" is not a full domain name (no dot), e.g. contoso.com`);
  if (/^\d+$/.test(ascii.split('.').pop()!)) throw new InputError(`"${printable(input)}" looks like an IP address; a domain name is needed here`);
  return { ascii, unicode: domainToUnicode(ascii) || ascii };
}

/** Shows control characters as escapes so an error message stays one line. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).slice(0, 300);
}
