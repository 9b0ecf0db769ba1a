import { visibleLines, visibleText } from '../contract/text';
import { splitInlineCode } from '../contract/words';

/**
 * Escaping for untrusted text (banners, certificate fields, DNS records,
 * imported files): it is data, shown as text, never markup, and control and
 * bidirectional characters are made visible first (contract/text.ts).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return visibleLines(text).replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Markup we built ourselves; everything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${untrusted}</td>\`` escapes `untrusted`; nested `html` results pass through. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Markdown inline text: characters that would start markup anywhere in a line
 * (emphasis, code, links, HTML, table cells, strikethrough) are
 * backslash-escaped; those that only matter at the start of a line (a
 * heading, a list, a quote) only there; `&` only before what reads as an
 * entity. Line breaks become spaces so a hostile value cannot start a new
 * block. Parentheses, `#` mid-line and the like stay as typed: a link needs
 * its `[`, which is escaped, so "(see RFC 5321)" needs no `\(`.
 */
export function escapeMarkdown(text: string): string {
  return visibleText(text.replace(/[\r\n]+/g, ' '))
    .replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    // A line start that reads as a heading or list: escape its punctuation (`\#`, `1\.`); a backslash before a digit is no escape.
    .replace(/^(\s*)([#+=-])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*)(\d+)([.)])(?=\s|$)/, '$1$2\\$3');
}

/**
 * Markdown inline text whose `backticked` parts stay code spans (finding
 * texts quote commands that way): each code part gets a fence longer than any
 * backtick run in it, and `|` escaped so a table cell still ends where it should.
 */
export function markdownWithCode(text: string): string {
  return splitInlineCode(text)
    .map((part) => {
      if (!part.code) return escapeMarkdown(part.text);
      const body = visibleText(part.text.replace(/[\r\n]+/g, ' ')).replace(/\|/g, '\\|');
      const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
      const fence = '`'.repeat(longest + 1);
      const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
      return `${fence}${pad}${body}${pad}${fence}`;
    })
    .join('');
}

/** A fenced code block that no backtick run inside `text` can close early. */
export function markdownCodeBlock(text: string, language = ''): string {
  text = visibleLines(text);
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** A safe piece of a file name: letters, digits, dots and hyphens only. */
export function fileNamePart(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return cleaned || 'report';
}
