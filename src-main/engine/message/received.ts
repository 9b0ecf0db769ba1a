import type { HopEncryption } from '../../contract/message';
import { INTERNAL_PROTOCOLS, MICROSOFT_HOST_SUFFIXES, WITH_PROTOCOLS } from './reference';

/**
 * One Received: field (RFC 5321 §4.4 "Trace Information", RFC 5322 §3.6.7)
 * taken apart: `from … by … via … with … id … for …; date`. Comments in
 * parentheses are kept: they carry the sender's address, and the TLS
 * details Postfix, sendmail, Google and Exchange write there.
 */
export interface ParsedReceived {
  readonly from?: string;
  readonly fromIp?: string;
  readonly by?: string;
  readonly via?: string;
  readonly with?: string;
  readonly id?: string;
  readonly for?: string;
  readonly date?: string;
  readonly comments: readonly string[];
  readonly encryption: HopEncryption;
  /** `15.2.1258.12` when Exchange stamped its build as the id. */
  readonly exchangeBuild?: string;
}

type Token = { readonly kind: 'word' | 'comment'; readonly text: string };

const KEYWORDS = new Set(['from', 'by', 'via', 'with', 'id', 'for']);

/** Words and (nested) comments; an unclosed comment runs to the end (a truncated header). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length && tokens.length < 400) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < text.length; j += 1) {
        if (text[j] === '\\') j += 1;
        else if (text[j] === '(') depth += 1;
        else if (text[j] === ')' && --depth === 0) break;
      }
      tokens.push({ kind: 'comment', text: text.slice(i + 1, j).trim() });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s(]/.test(text[j]!)) j += 1;
      tokens.push({ kind: 'word', text: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

const IP_IN_BRACKETS = /\[(?:IPv6:)?([0-9A-Fa-f:.]{2,45})\]/;
const BARE_IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})$/;

export function parseReceived(raw: string): ParsedReceived {
  const value = raw.replace(/\s+/g, ' ').trim();
  // The date follows the last semicolon (RFC 5322 §3.6.7); a semicolon inside a comment is rare enough to ignore.
  const semi = value.lastIndexOf(';');
  const date = semi >= 0 ? value.slice(semi + 1).trim() : undefined;
  const clauses = new Map<string, { words: string[]; comments: string[] }>();
  const comments: string[] = [];
  let current: { words: string[]; comments: string[] } | undefined;
  for (const token of tokenize(semi >= 0 ? value.slice(0, semi) : value)) {
    if (token.kind === 'comment') {
      comments.push(token.text);
      current?.comments.push(token.text);
      continue;
    }
    const keyword = token.text.toLowerCase();
    // A keyword opens its clause once; a second `by` or `with` (rare, in free text) stays a word of the current one.
    if (KEYWORDS.has(keyword) && !clauses.has(keyword)) {
      current = { words: [], comments: [] };
      clauses.set(keyword, current);
    } else {
      current?.words.push(token.text);
    }
  }
  const first = (key: string): string | undefined => clauses.get(key)?.words[0];
  const fromClause = clauses.get('from');
  let fromIp: string | undefined;
  for (const comment of fromClause?.comments ?? []) {
    const bracketed = IP_IN_BRACKETS.exec(comment)?.[1];
    if (bracketed) {
      fromIp = bracketed;
      break;
    }
    if (BARE_IP.test(comment)) {
      fromIp = comment;
      break;
    }
  }
  fromIp ??= IP_IN_BRACKETS.exec(first('from') ?? '')?.[1];
  const withWords = clauses.get('with')?.words.join(' ');
  const id = first('id')?.replace(/[;,]$/, '');
  const isExchange = /Microsoft SMTP Server|^mapi$/i.test(withWords ?? '') || /Transport$/i.test(clauses.get('via')?.words.join(' ') ?? '');
  // Submission lines zero-pad the build (`15.00.1497.002`); it is the same build as `15.0.1497.2`.
  const exchangeBuild = isExchange && id && /^\d{1,2}\.\d{1,2}\.\d{1,5}\.\d{1,5}$/.test(id) ? id.split('.').map(Number).join('.') : undefined;
  const forValue = first('for');
  return {
    ...(first('from') ? { from: first('from')!.replace(/\.$/, '') } : {}),
    ...(fromIp ? { fromIp } : {}),
    ...(first('by') ? { by: first('by')!.replace(/\.$/, '') } : {}),
    ...(clauses.get('via') ? { via: clauses.get('via')!.words.join(' ') } : {}),
    ...(withWords ? { with: withWords } : {}),
    ...(id ? { id } : {}),
    ...(forValue ? { for: forValue.replace(/^<|>$/g, '') } : {}),
    ...(date ? { date } : {}),
    comments,
    encryption: encryptionOf(withWords, clauses.get('with')?.comments ?? [], comments),
    ...(exchangeBuild ? { exchangeBuild } : {}),
  };
}

/**
 * Was the hop encrypted? From the protocol word (RFC 3848: ESMTPS, ESMTPSA…),
 * Exchange's `Microsoft SMTP Server (version=TLS1_2, cipher=…)`, Postfix's
 * `(using TLSv1.3 with cipher …)`, sendmail's `(version=TLSv1.3 cipher=…)`
 * and Google's `(Google Transport Security)`.
 */
export function encryptionOf(withWords: string | undefined, withComments: readonly string[], allComments: readonly string[]): HopEncryption {
  const protocol = (withWords ?? '').split(' ')[0]?.toUpperCase() ?? '';
  const microsoft = /Microsoft SMTP Server/i.test(withWords ?? '');
  for (const comment of [...withComments, ...allComments]) {
    const ms = /version=(TLS[\w.]+)\s*,?\s*cipher=([\w-]+)/i.exec(comment);
    if (ms) return { state: 'tls', text: `${tlsWords(ms[1]!)} (${ms[2]})`, version: ms[1]!, cipher: ms[2]! };
    const postfix = /using (TLSv?[\d.]+) with cipher ([\w-]+)/i.exec(comment);
    if (postfix) return { state: 'tls', text: `${tlsWords(postfix[1]!)} (${postfix[2]})`, version: postfix[1]!, cipher: postfix[2]! };
    const sendmail = /version=(TLSv?[\d.]+)\s+cipher=([\w-]+)/i.exec(comment);
    if (sendmail) return { state: 'tls', text: `${tlsWords(sendmail[1]!)} (${sendmail[2]})`, version: sendmail[1]!, cipher: sendmail[2]! };
    if (/Google Transport Security/i.test(comment)) return { state: 'tls', text: 'TLS (Google Transport Security)' };
  }
  if (microsoft) return { state: 'none', text: 'no TLS (Exchange wrote no TLS version for this hop)' };
  if (INTERNAL_PROTOCOLS.includes(protocol)) return { state: 'internal', text: `inside the server (${withWords})` };
  const known = WITH_PROTOCOLS[protocol];
  if (known) return known.tls ? { state: 'tls', text: `TLS (${protocol}: ${known.words})` } : { state: 'none', text: `no TLS (${protocol}: ${known.words})` };
  return { state: 'unknown', text: withWords ? `not stated (${withWords})` : 'not stated' };
}

/** `TLS1_2`, `TLSv1.3` → "TLS 1.2", "TLS 1.3". */
function tlsWords(version: string): string {
  const m = /TLSv?(\d)[._](\d)/i.exec(version);
  return m ? `TLS ${m[1]}.${m[2]}` : version;
}

export function isMicrosoftHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/\.$/, '');
  return MICROSOFT_HOST_SUFFIXES.some((s) => h.endsWith(s));
}

/**
 * An RFC 5322 date (obsolete zones, comments and two-digit years included)
 * as epoch milliseconds, or undefined. A date without a zone is read as UTC
 * and said so (`zoneMissing`).
 */
export function parseMailDate(text: string): { readonly ms: number; readonly zoneMissing: boolean } | undefined {
  let t = text.replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (t === '' || t.length > 100) return undefined;
  t = t.replace(/^[A-Za-z]{3},?\s*/, '');
  const m = /^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[A-Za-z]{1,5})?$/.exec(t);
  if (!m) {
    const iso = Date.parse(t);
    return Number.isNaN(iso) || !/\d{4}-\d{2}-\d{2}/.test(t) ? undefined : { ms: iso, zoneMissing: !/(Z|[+-]\d{2}:?\d{2})$/.test(t) };
  }
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  const month = months.indexOf(m[2]!.toLowerCase());
  if (month < 0) return undefined;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3]!.length === 3) year += 1900;
  const [day, hour, minute, second] = [Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const zone = m[7];
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined && zone !== undefined) return undefined;
  return { ms: Date.UTC(year, month, day, hour, minute, second) - (offset ?? 0) * 60_000, zoneMissing: zone === undefined };
}

const NAMED_ZONES: Readonly<Record<string, number>> = { UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return undefined;
  const numeric = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (numeric) return (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3]));
  // RFC 5322 §4.3: military zones other than Z "SHOULD be considered equivalent to -0000".
  const upper = zone.toUpperCase();
  if (upper in NAMED_ZONES) return NAMED_ZONES[upper];
  return /^[A-IK-Z]$/.test(upper) ? 0 : undefined;
}
