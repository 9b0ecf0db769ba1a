import type { Capabilities } from '../../contract/probe';
import { visibleText } from '../../contract/text';

/**
 * Reads the EHLO reply: the first line is the server's greeting (its name
 * first), every further line one extension keyword with its parameters.
 * Case-insensitive, as RFC 5321 says; `AUTH=LOGIN` (old Exchange/Outlook
 * form) counts as AUTH too.
 */
export function parseEhlo(lines: readonly string[]): { readonly greetingHost: string | null; readonly capabilities: Capabilities } {
  const [greeting = '', ...keywords] = lines;
  const greetingHost = visibleText(greeting.trim().split(/\s+/)[0] ?? '') || null;
  const auth = new Set<string>();
  let size: number | null = null;
  const has = new Set<string>();
  for (const line of keywords) {
    const [keywordRaw = '', ...params] = line.trim().split(/\s+/);
    const keyword = keywordRaw.toUpperCase();
    if (keyword.startsWith('AUTH=')) {
      for (const m of [keyword.slice(5), ...params]) if (m) auth.add(m.toUpperCase());
      continue;
    }
    has.add(keyword);
    if (keyword === 'AUTH') for (const m of params) auth.add(m.toUpperCase());
    if (keyword === 'SIZE') {
      const value = Number(params[0]);
      size = Number.isFinite(value) && params[0] !== undefined ? value : 0;
    }
  }
  return {
    greetingHost,
    capabilities: {
      // Kept for display and exports: control and bidi characters made visible.
      raw: keywords.map(visibleText),
      starttls: has.has('STARTTLS'),
      size,
      eightBitMime: has.has('8BITMIME'),
      pipelining: has.has('PIPELINING'),
      smtpUtf8: has.has('SMTPUTF8'),
      chunking: has.has('CHUNKING'),
      requireTls: has.has('REQUIRETLS'),
      auth: [...auth],
    },
  };
}

/** The host name a 220 banner starts with (`220 mx.contoso.com ESMTP ...`), if it looks like one. */
export function bannerHostOf(firstLine: string): string | null {
  const word = firstLine.trim().split(/\s+/)[0] ?? '';
  return /^[A-Za-z0-9.-]+\.[A-Za-z0-9-]+\.?$/.test(word) ? word.replace(/\.$/, '').toLowerCase() : null;
}
