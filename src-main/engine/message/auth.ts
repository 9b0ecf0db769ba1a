import type { AuthHeader, AuthMethod, Authentication } from '../../contract/message';
import type { HeaderField } from './input';
import { AUTH_METHOD_NAMES, AUTH_RESULT_WORDS, COMPAUTH_REASONS, COMPAUTH_REASON_CLASSES } from './reference';

/**
 * Authentication results in words: Authentication-Results (RFC 8601, and
 * Microsoft's form without an authserv-id), ARC-Authentication-Results
 * (RFC 8617), Received-SPF (RFC 7208 §9.1), compauth and its reason codes,
 * and which domain and selector signed (DKIM-Signature, RFC 6376).
 */
const MAX_AUTH_HEADERS = 50;

/** Splits on `;` outside comments and quotes. */
function splitSemicolons(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\\') i += 1;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')' && depth > 0) depth -= 1;
    else if (!quoted && depth === 0 && c === ';') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** A method clause: `spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=contoso.com`. */
function parseMethod(clause: string): AuthMethod | undefined {
  const comments: string[] = [];
  const bare = clause.replace(/\(([^()]*)\)/g, (_m, c: string) => {
    comments.push(c.trim());
    return ' ';
  });
  const tokens = bare.split(/\s+/).filter((t) => t !== '');
  const head = /^([A-Za-z][\w.-]*)(?:\/\d+)?=([\w.-]+)$/.exec(tokens[0] ?? '');
  if (!head) return undefined;
  const method = head[1]!.toLowerCase();
  const result = head[2]!.toLowerCase();
  const properties: Record<string, string> = {};
  for (const token of tokens.slice(1, 40)) {
    const eq = token.indexOf('=');
    if (eq > 0) properties[token.slice(0, eq).toLowerCase()] = token.slice(eq + 1).replace(/^"|"$/g, '');
  }
  if (comments[0]) properties['comment'] = comments[0];
  return describeMethod(method, result, properties);
}

function describeMethod(method: string, result: string, properties: Record<string, string>): AuthMethod {
  const words = AUTH_RESULT_WORDS[result] ?? { verdict: 'neutral' as const, words: result };
  const name = AUTH_METHOD_NAMES[method] ?? method.toUpperCase();
  let text = `${name} ${words.words}`;
  if (method === 'spf') {
    const domain = properties['smtp.mailfrom'] ?? properties['smtp.helo'];
    if (domain) text += ` for ${domain} (envelope sender)`;
  } else if (method === 'dkim') {
    const domain = properties['header.d'] ?? properties['header.i'];
    if (domain && domain !== 'none') text += `: signed by ${domain}${properties['header.s'] ? `, selector ${properties['header.s']}` : ''}`;
  } else if (method === 'dmarc') {
    if (properties['header.from']) text += ` for the From domain ${properties['header.from']}`;
    if (properties['action'] && properties['action'] !== 'none') text += ` (action: ${properties['action']})`;
  } else if (method === 'compauth') {
    const reason = properties['reason'];
    if (reason) text += `, reason ${reason}: ${compauthReason(reason)}`;
  }
  if (properties['comment'] && method !== 'compauth') text += ` (${properties['comment']})`;
  return { method, result, verdict: words.verdict, text, properties };
}

/** A compauth reason code in words (Microsoft's table, else its class by first digit). */
export function compauthReason(code: string): string {
  const exact = COMPAUTH_REASONS[code];
  if (exact) return exact;
  const range = /^70[1-4]$/.test(code) ? 'DMARC was not enforced because this organisation has a history of legitimate mail from this sending infrastructure.' : undefined;
  if (range) return range;
  const cls = COMPAUTH_REASON_CLASSES[code[0] ?? ''];
  return cls ? `the message ${cls} (code ${code}).` : `code ${code} is not in Microsoft's published list.`;
}

export function parseAuthenticationResults(value: string, header: string): AuthHeader {
  const parts = splitSemicolons(value);
  let by: string | undefined;
  let instance: number | undefined;
  const methods: AuthMethod[] = [];
  for (const part of parts.slice(0, 40)) {
    const arcInstance = /^i=(\d{1,3})$/.exec(part);
    if (arcInstance) {
      instance = Number(arcInstance[1]);
      continue;
    }
    const method = parseMethod(part);
    if (method) methods.push(method);
    else if (by === undefined && methods.length === 0 && !part.includes('=')) by = part.replace(/\s+\d+$/, '').trim();
    else if (by === undefined && methods.length === 0 && /^[^\s=]+\s+\S+=/.test(part)) {
      // `mx.google.com; dkim=…` is the usual form; `mx.example.org spf=pass` (no semicolon) happens too.
      const [id, ...rest] = part.split(/\s+/);
      by = id;
      const inner = parseMethod(rest.join(' '));
      if (inner) methods.push(inner);
    }
  }
  return { header, ...(by ? { by } : {}), ...(instance !== undefined ? { instance } : {}), methods };
}

/** `Pass (protection.outlook.com: domain of … designates … as permitted sender) receiver=…; client-ip=…; helo=…;` */
export function parseReceivedSpf(value: string): AuthHeader {
  const result = (/^\s*(\w+)/.exec(value)?.[1] ?? 'none').toLowerCase();
  const comment = /\(([^)]*)\)/.exec(value)?.[1]?.trim();
  const properties: Record<string, string> = {};
  for (const m of value.replace(/\([^)]*\)/g, ' ').matchAll(/([\w.-]+)=("[^"]*"|[^;\s]+)/g)) properties[m[1]!.toLowerCase()] = m[2]!.replace(/^"|"$/g, '');
  if (comment) properties['comment'] = comment;
  const method = describeMethod('spf', result, { ...properties, ...(properties['envelope-from'] ? { 'smtp.mailfrom': properties['envelope-from'] } : {}) });
  return { header: 'Received-SPF', ...(properties['receiver'] ? { by: properties['receiver'] } : {}), methods: [method] };
}

export function analyseAuthentication(headers: readonly HeaderField[]): Authentication {
  const found: AuthHeader[] = [];
  for (const h of headers) {
    if (found.length >= MAX_AUTH_HEADERS) break;
    if (h.name === 'authentication-results') found.push(parseAuthenticationResults(h.value, 'Authentication-Results'));
    else if (h.name === 'arc-authentication-results') found.push(parseAuthenticationResults(h.value, 'ARC-Authentication-Results'));
    else if (h.name === 'received-spf') found.push(parseReceivedSpf(h.value));
  }
  const signatures = headers
    .filter((h) => h.name === 'dkim-signature')
    .slice(0, 20)
    .map((h) => ({ domain: /(?:^|;)\s*d=([^;\s]+)/.exec(h.value)?.[1] ?? '?', selector: /(?:^|;)\s*s=([^;\s]+)/.exec(h.value)?.[1] ?? '?' }));
  // The newest Authentication-Results (top-most) is the receiving organisation's verdict.
  const newest = found.find((f) => f.header === 'Authentication-Results' && f.methods.length > 0) ?? found.find((f) => f.methods.length > 0);
  const summary = newest ? newest.methods.map((m) => `${m.text.replace(/\.$/, '')}.`) : [];
  if (!newest) summary.push('No authentication results in the headers (the message was not received by a server that records them, or they were removed).');
  for (const s of signatures) if (!summary.some((line) => line.includes(`signed by ${s.domain}`))) summary.push(`DKIM signature present: domain ${s.domain}, selector ${s.selector}.`);
  return { headers: found, summary, signatures };
}
